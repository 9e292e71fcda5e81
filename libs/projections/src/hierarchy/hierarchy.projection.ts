import type { RecordedEvent } from '@registry/event-store';
import {
  type MemberFact,
  memberFactOf,
  ORGANIZATION_COUNTERS,
  type Placement,
  placementContribution,
  placements,
} from '../model/member-facts';
import { type InflowFact, inflowContribution, inflowFactOf, type InflowStay, inflowStays } from '../model/inflow-facts';
import {
  type OrganizationFact,
  organizationFactOf,
  organizationVersions,
  parentTimeline,
  pathTimelines,
  unitLinks,
} from '../model/organization-facts';
import { counterDeltas, type Segment } from '../model/timeline';
import type { ProjectionDefinition } from '../projection';
import { dateRange } from '../runtime/sql';
import { appendNewFacts, eventsOf, factsOf, unique } from '../runtime/stream-events';
import {
  counterIndexesDdl,
  counterTable,
  counterTableDdl,
  keyedTable,
  ownedTable,
  type ProjectionTables,
} from '../runtime/tables';

interface OrganizationRow {
  org_id: string;
  node: number;
  position: string;
  facts: OrganizationFact[];
}

interface MemberRow {
  member_id: string;
  position: string;
  facts: MemberFact[];
  placements: Segment<Placement>[];
}

interface InflowRow {
  inflow_id: string;
  position: string;
  facts: InflowFact[];
  stays: Segment<InflowStay>[];
}

interface VersionRow {
  org_id: string;
  valid: string;
  name: string;
  level: string;
  form: string;
  region_code: string;
  parent_id: string | null;
  secretary_id: string | null;
}

interface PathRow {
  org_id: string;
  node: number;
  valid: string;
  path: number[];
}

interface UnitLinkRow {
  org_id: string;
  unit_id: string;
  valid: string;
}

const ORGANIZATIONS = keyedTable<OrganizationRow>('organizations', 'org_id', {
  org_id: 'uuid',
  node: 'integer',
  position: 'bigint',
  facts: 'jsonb',
});
const VERSIONS = ownedTable<VersionRow>('organization_versions', 'org_id', {
  org_id: 'uuid',
  valid: 'daterange',
  name: 'text',
  level: 'text',
  form: 'text',
  region_code: 'text',
  parent_id: 'uuid',
  secretary_id: 'uuid',
});
const PATHS = ownedTable<PathRow>('organization_paths', 'org_id', {
  org_id: 'uuid',
  node: 'integer',
  valid: 'daterange',
  path: 'integer[]',
});
const UNITS = ownedTable<UnitLinkRow>('organization_units', 'org_id', {
  org_id: 'uuid',
  unit_id: 'uuid',
  valid: 'daterange',
});
const MEMBERS = keyedTable<MemberRow>('members', 'member_id', {
  member_id: 'uuid',
  position: 'bigint',
  facts: 'jsonb',
  placements: 'jsonb',
});
const INFLOWS = keyedTable<InflowRow>('inflows', 'inflow_id', {
  inflow_id: 'uuid',
  position: 'bigint',
  facts: 'jsonb',
  stays: 'jsonb',
});
const COUNTS = counterTable('organization_counts', 'org_id', 'uuid', ORGANIZATION_COUNTERS);

/**
 * The organisation hierarchy in business time: every organisation's attributes, parent path and
 * units with validity intervals, and member counts per organisation as piecewise-constant
 * timelines. Subtrees are found through the path arrays (GIN), never by walking the tree.
 */
export const hierarchyProjection: ProjectionDefinition = {
  name: 'hierarchy',
  version: 3,
  description:
    'organisations, their parents, names and units over business time, with member counts (inflowing members in flowing_in)',

  categories: ['organization', 'member', 'inflow'],
  rebuildWeight: 30,

  createTables: (s) => `
    CREATE TABLE ${s}.organizations (org_id uuid PRIMARY KEY, node integer NOT NULL UNIQUE, position bigint NOT NULL, facts jsonb NOT NULL);
    CREATE TABLE ${s}.organization_versions (
      org_id uuid NOT NULL, valid daterange NOT NULL, name text NOT NULL, level text NOT NULL, form text NOT NULL,
      region_code text NOT NULL, parent_id uuid, secretary_id uuid);
    CREATE TABLE ${s}.organization_paths (
      org_id uuid NOT NULL, node integer NOT NULL, valid daterange NOT NULL, path integer[] NOT NULL);
    CREATE TABLE ${s}.organization_units (org_id uuid NOT NULL, unit_id uuid NOT NULL, valid daterange NOT NULL);
    CREATE TABLE ${s}.members (member_id uuid PRIMARY KEY, position bigint NOT NULL, facts jsonb NOT NULL, placements jsonb NOT NULL);
    CREATE TABLE ${s}.inflows (inflow_id uuid PRIMARY KEY, position bigint NOT NULL, facts jsonb NOT NULL, stays jsonb NOT NULL);
    ${counterTableDdl(s, COUNTS)}`,

  createIndexes: (s) => `
    CREATE INDEX ON ${s}.organization_versions (org_id);
    CREATE INDEX ON ${s}.organization_versions USING gist (valid);
    CREATE INDEX ON ${s}.organization_paths (org_id);
    CREATE INDEX ON ${s}.organization_paths USING gin (path);
    CREATE INDEX ON ${s}.organization_paths USING gist (valid);
    CREATE INDEX ON ${s}.organization_units (org_id);
    CREATE INDEX ON ${s}.organization_units (unit_id);
    ${counterIndexesDdl(s, COUNTS, { coveringDateIndex: true })}`,

  views: (s) => [
    {
      name: 'organization_versions',
      comment:
        "Each organisation's name, level, form, region, parent and secretary with the business-date interval they held",
      select: `SELECT org_id, valid, lower(valid) AS valid_from, upper(valid) AS valid_to, name, level, form, region_code, parent_id, secretary_id FROM ${s}.organization_versions`,
    },
    {
      name: 'organization_paths',
      comment:
        'Ancestor path (surrogate node ids, root first) of each organisation over business time; subtree of X on D: path @> ARRAY[node of X] AND valid @> D',
      select: `SELECT org_id, node, valid, path FROM ${s}.organization_paths`,
    },
    {
      name: 'organization_units',
      comment: 'Units an organisation covered, with the business-date interval',
      select: `SELECT org_id, unit_id, valid, lower(valid) AS valid_from, upper(valid) AS valid_to FROM ${s}.organization_units`,
    },
    {
      name: 'organization_counts',
      comment:
        'Members whose relation is with the organisation itself (not its subtree), over business time; flowing_in counts members it hosts',
      select: `SELECT org_id, valid, ${ORGANIZATION_COUNTERS.join(', ')} FROM ${s}.organization_counts`,
    },
    {
      name: 'member_placements',
      comment: "Each member's organisation, standing and flow over business time",
      select: `SELECT m.member_id, daterange((p->>'from')::date, (p->>'to')::date) AS valid, (p->'value'->>'orgId')::uuid AS org_id,
                      CASE WHEN (p->'value'->>'full')::boolean THEN 'full' ELSE 'probationary' END AS standing,
                      (p->'value'->>'flowing')::boolean AS flowing, (p->'value'->>'hostOrgId')::uuid AS host_org_id
                 FROM ${s}.members m CROSS JOIN LATERAL jsonb_array_elements(m.placements) AS p`,
    },
  ],

  async apply(tables, events) {
    await applyOrganizationEvents(tables, eventsOf(events, 'organization'));
    await applyMemberEvents(tables, eventsOf(events, 'member'));
    await applyInflowEvents(tables, eventsOf(events, 'inflow'));
  },
};

const PARENT_FACTS = new Set(['established', 'reparented', 'dissolved']);

async function applyOrganizationEvents(
  tables: ProjectionTables,
  events: { id: string; event: RecordedEvent }[],
): Promise<void> {
  const relevant = factsOf(events, organizationFactOf);
  if (relevant.length === 0) return;
  const ids = unique(relevant.map((e) => e.id));
  const organizations = tables.keyed(ORGANIZATIONS);
  const rows = await organizations.load(ids);
  // New organisations get the next node numbers in log order, so a rebuild numbers them the same.
  let lastNode = ids.every((id) => rows.has(id)) ? 0 : await organizations.max('node');
  const { applied, changed: changedRows } = appendNewFacts(rows, relevant, (id) => ({
    org_id: id,
    node: ++lastNode,
    position: '0',
    facts: [],
  }));
  const dirty = [...changedRows.keys()];
  const changed = [...changedRows.values()];
  const parentsChanged = applied.some((e) => PARENT_FACTS.has(e.fact.kind));
  if (changed.length === 0) return;
  await organizations.upsert(changed);
  await tables.owned(VERSIONS).replace(
    dirty,
    changed.flatMap((row) =>
      organizationVersions(row.facts).map((v) => ({
        org_id: row.org_id,
        valid: dateRange(v.from, v.to),
        name: v.value.name,
        level: v.value.level,
        form: v.value.form,
        region_code: v.value.regionCode,
        parent_id: v.value.parentId,
        secretary_id: v.value.secretaryId,
      })),
    ),
  );
  await tables.owned(UNITS).replace(
    dirty,
    changed.flatMap((row) =>
      unitLinks(row.facts).map((l) => ({ org_id: row.org_id, unit_id: l.unitId, valid: dateRange(l.from, l.to) })),
    ),
  );
  if (parentsChanged) await recomputePaths(tables, dirty);
}

/** Paths of the changed organisations and of everything that was ever below them. */
async function recomputePaths(tables: ProjectionTables, changed: string[]): Promise<void> {
  const all = await tables.keyed(ORGANIZATIONS).all();
  const organizations = new Map(all.map((row) => [row.org_id, { node: row.node, parents: parentTimeline(row.facts) }]));
  const children = new Map<string, Set<string>>();
  for (const [id, organization] of organizations) {
    for (const segment of organization.parents) {
      if (segment.value === null) continue;
      const set = children.get(segment.value) ?? new Set<string>();
      set.add(id);
      children.set(segment.value, set);
    }
  }
  const affected = new Set<string>();
  const queue = [...changed];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    if (affected.has(id)) continue;
    affected.add(id);
    for (const child of children.get(id) ?? []) queue.push(child);
  }
  const paths = pathTimelines(organizations, affected);
  await tables.owned(PATHS).replace(
    [...affected],
    [...paths].flatMap(([id, segments]) => {
      const organization = organizations.get(id);
      if (!organization) return [];
      return segments.map((segment) => ({
        org_id: id,
        node: organization.node,
        valid: dateRange(segment.from, segment.to),
        path: segment.value,
      }));
    }),
  );
}

async function applyMemberEvents(
  tables: ProjectionTables,
  events: { id: string; event: RecordedEvent }[],
): Promise<void> {
  const relevant = factsOf(events, memberFactOf);
  if (relevant.length === 0) return;
  const members = tables.keyed(MEMBERS);
  const rows = await members.load(unique(relevant.map((e) => e.id)));
  const { changed } = appendNewFacts(rows, relevant, (id) => ({
    member_id: id,
    position: '0',
    facts: [],
    placements: [],
  }));
  if (changed.size === 0) return;
  const deltas = [];
  for (const row of changed.values()) {
    const old = row.placements;
    row.placements = placements(row.facts);
    deltas.push(...counterDeltas(old, row.placements, placementContribution));
  }
  await members.upsert([...changed.values()]);
  await tables.counters(COUNTS).apply(deltas);
}

async function applyInflowEvents(
  tables: ProjectionTables,
  events: { id: string; event: RecordedEvent }[],
): Promise<void> {
  const relevant = factsOf(events, inflowFactOf);
  if (relevant.length === 0) return;
  const inflows = tables.keyed(INFLOWS);
  const rows = await inflows.load(unique(relevant.map((e) => e.id)));
  const { changed } = appendNewFacts(rows, relevant, (id) => ({ inflow_id: id, position: '0', facts: [], stays: [] }));
  if (changed.size === 0) return;
  const deltas = [];
  for (const row of changed.values()) {
    const old = row.stays;
    row.stays = inflowStays(row.facts);
    deltas.push(...counterDeltas(old, row.stays, inflowContribution));
  }
  await inflows.upsert([...changed.values()]);
  await tables.counters(COUNTS).apply(deltas);
}
