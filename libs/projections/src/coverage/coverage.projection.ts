import type { RecordedEvent } from '@registry/event-store';
import type { UnitEvent } from '@registry/domain';
import { type Employment, employments, type MemberFact, memberFactOf } from '../model/member-facts';
import {
  type OrganizationFact,
  organizationFactOf,
  organizationVersions,
  unitLinks,
} from '../model/organization-facts';
import { counterDeltas, type CounterDelta, type Segment, sharedPrefix } from '../model/timeline';
import {
  COVERAGE_COUNTERS,
  coverageContribution,
  groupKeys,
  type InstructorFact,
  instructorPeriods,
  type UnitCoverage,
  unitCoverage,
} from './unit-coverage';
import type { ProjectionDefinition } from '../projection';
import { domainEventOf } from '../runtime/domain-event';
import { groupBy } from '../runtime/sql-tables';
import { dateRange, parseDateRange } from '../runtime/sql';
import { appendNewFacts, eventsOf, factsOf, isNew, unique } from '../runtime/stream-events';
import {
  counterIndexesDdl,
  counterTable,
  counterTableDdl,
  keyedTable,
  ownedTable,
  type ProjectionTables,
} from '../runtime/tables';

interface UnitRow {
  unit_id: string;
  position: string;
  name: string | null;
  kind: string | null;
  region_code: string | null;
  industry: string | null;
  building_id: string | null;
  park_id: string | null;
  registered_on: string | null;
  closed_on: string | null;
  /** Instructors assigned and withdrawn, in business time (the periods of work coverage follow from them). */
  instructor_facts: InstructorFact[];
}

interface OrganizationRow {
  org_id: string;
  position: string;
  facts: OrganizationFact[];
}

interface LinkRow {
  org_id: string;
  unit_id: string;
  form: string;
  valid: string;
}

interface MemberRow {
  member_id: string;
  position: string;
  facts: MemberFact[];
  employments: Segment<Employment>[];
}

interface UnitStateRow {
  unit_id: string;
  valid: string;
  state: string;
  should_establish: boolean;
  members: number;
  full_members: number;
}

const UNITS = keyedTable<UnitRow>('units', 'unit_id', {
  unit_id: 'uuid',
  position: 'bigint',
  name: 'text',
  kind: 'text',
  region_code: 'text',
  industry: 'text',
  building_id: 'text',
  park_id: 'text',
  registered_on: 'date',
  closed_on: 'date',
  instructor_facts: 'jsonb',
});
const ORGANIZATIONS = keyedTable<OrganizationRow>('organizations', 'org_id', {
  org_id: 'uuid',
  position: 'bigint',
  facts: 'jsonb',
});
const LINKS = ownedTable<LinkRow>('organization_links', 'org_id', {
  org_id: 'uuid',
  unit_id: 'uuid',
  form: 'text',
  valid: 'daterange',
});
const MEMBERS = keyedTable<MemberRow>('members', 'member_id', {
  member_id: 'uuid',
  position: 'bigint',
  facts: 'jsonb',
  employments: 'jsonb',
});
const UNIT_STATES = ownedTable<UnitStateRow>('unit_states', 'unit_id', {
  unit_id: 'uuid',
  valid: 'daterange',
  state: 'text',
  should_establish: 'boolean',
  members: 'integer',
  full_members: 'integer',
});
const UNIT_MEMBERS = counterTable('unit_members', 'unit_id', 'uuid', ['members', 'full_members']);
const GROUP_COUNTS = counterTable('group_counts', 'group_key', 'text', COVERAGE_COUNTERS);

/**
 * The two coverages (两个覆盖) in business time: each unit's coverage state while it operates,
 * the party members employed there, 应建未建, and counts per region / industry / building / park
 * as piecewise-constant timelines, so a report as of any date reads one row per group.
 */
export function coverageProjection(): ProjectionDefinition {
  return {
    name: 'coverage',
    // 3: instructors can be withdrawn, so work coverage is a set of periods (units.instructor_facts).
    version: 3,
    description: 'coverage state of every unit over business time and counts per region, industry, building and park',

    categories: ['unit', 'organization', 'member'],
    rebuildWeight: 50,

    createTables: (s) => `
      CREATE TABLE ${s}.units (
        unit_id uuid PRIMARY KEY, position bigint NOT NULL, name text, kind text, region_code text, industry text,
        building_id text, park_id text, registered_on date, closed_on date, instructor_facts jsonb NOT NULL);
      CREATE TABLE ${s}.organizations (org_id uuid PRIMARY KEY, position bigint NOT NULL, facts jsonb NOT NULL);
      CREATE TABLE ${s}.organization_links (org_id uuid NOT NULL, unit_id uuid NOT NULL, form text NOT NULL, valid daterange NOT NULL);
      CREATE TABLE ${s}.members (member_id uuid PRIMARY KEY, position bigint NOT NULL, facts jsonb NOT NULL, employments jsonb NOT NULL);
      CREATE TABLE ${s}.unit_states (
        unit_id uuid NOT NULL, valid daterange NOT NULL, state text NOT NULL, should_establish boolean NOT NULL,
        members integer NOT NULL, full_members integer NOT NULL);
      ${counterTableDdl(s, UNIT_MEMBERS)}
      ${counterTableDdl(s, GROUP_COUNTS)}`,

    createIndexes: (s) => `
      CREATE INDEX ON ${s}.organization_links (org_id);
      CREATE INDEX ON ${s}.organization_links (unit_id);
      CREATE INDEX ON ${s}.unit_states (unit_id);
      CREATE INDEX ON ${s}.unit_states USING gist (valid) WHERE should_establish;
      ${counterIndexesDdl(s, UNIT_MEMBERS)}
      ${counterIndexesDdl(s, GROUP_COUNTS)}`,

    views: (s) => [
      {
        name: 'units',
        comment: 'Registered units (两新组织) with their grouping attributes',
        select: `SELECT unit_id, name, kind, region_code, industry, building_id, park_id, registered_on, closed_on,
          (SELECT min((f->>'on')::date) FROM jsonb_array_elements(instructor_facts) f WHERE f->>'kind' = 'assigned') AS instructor_since,
          (SELECT max((f->>'on')::date) FROM jsonb_array_elements(instructor_facts) f WHERE f->>'kind' = 'withdrawn') AS instructor_withdrawn_on
          FROM ${s}.units WHERE registered_on IS NOT NULL`,
      },
      {
        name: 'unit_coverage',
        comment:
          "Each operating unit's coverage state (single | joint | work-only | uncovered), members employed there and 应建未建 over business time",
        select: `SELECT unit_id, valid, lower(valid) AS valid_from, upper(valid) AS valid_to, state, should_establish, members, full_members FROM ${s}.unit_states`,
      },
      {
        name: 'coverage_counts',
        comment:
          'Coverage counts per group key (region:<code> at county level, industry:, building:, park:) over business time',
        select: `SELECT group_key, split_part(group_key, ':', 1) AS group_by, substr(group_key, strpos(group_key, ':') + 1) AS group_value, valid, ${COVERAGE_COUNTERS.join(', ')} FROM ${s}.group_counts`,
      },
    ],

    async apply(tables, events, services) {
      const dirtyUnits = new Set<string>();
      await applyUnitEvents(tables, eventsOf(events, 'unit'), dirtyUnits);
      await applyOrganizationEvents(tables, eventsOf(events, 'organization'), dirtyUnits);
      await applyMemberEvents(tables, eventsOf(events, 'member'), dirtyUnits);
      await recomputeUnits(tables, [...dirtyUnits], services.settings.shouldEstablishFullMembers);
    },
  };
}

async function applyUnitEvents(
  tables: ProjectionTables,
  events: { id: string; event: RecordedEvent }[],
  dirty: Set<string>,
): Promise<void> {
  if (events.length === 0) return;
  const units = tables.keyed(UNITS);
  const rows = await units.load(unique(events.map((e) => e.id)));
  const changed = new Map<string, UnitRow>();
  for (const { id, event } of events) {
    let row = rows.get(id);
    if (!row) {
      row = {
        unit_id: id,
        position: '0',
        name: null,
        kind: null,
        region_code: null,
        industry: null,
        building_id: null,
        park_id: null,
        registered_on: null,
        closed_on: null,
        instructor_facts: [],
      };
      rows.set(id, row);
    }
    if (!isNew(row, event)) continue;
    const e = domainEventOf<UnitEvent>(event);
    if (e.type === 'UnitRegistered') {
      Object.assign(row, {
        name: e.data.name,
        kind: e.data.kind,
        region_code: e.data.regionCode,
        industry: e.data.industry,
        building_id: e.data.buildingId ?? null,
        park_id: e.data.parkId ?? null,
        registered_on: e.data.registeredOn,
      });
    } else if (e.type === 'InstructorAssigned') {
      row.instructor_facts = [...row.instructor_facts, { kind: 'assigned', on: e.data.effectiveOn }];
    } else if (e.type === 'InstructorWithdrawn') {
      row.instructor_facts = [...row.instructor_facts, { kind: 'withdrawn', on: e.data.effectiveOn }];
    } else if (e.type === 'UnitClosed') {
      row.closed_on = e.data.effectiveOn;
    }
    row.position = event.position.toString();
    changed.set(id, row);
    dirty.add(id);
  }
  await units.upsert([...changed.values()]);
}

async function applyOrganizationEvents(
  tables: ProjectionTables,
  events: { id: string; event: RecordedEvent }[],
  dirty: Set<string>,
): Promise<void> {
  const relevant = factsOf(events, organizationFactOf, (fact) => fact.kind !== 'renamed' && fact.kind !== 'secretary');
  if (relevant.length === 0) return;
  const organizations = tables.keyed(ORGANIZATIONS);
  const rows = await organizations.load(unique(relevant.map((e) => e.id)));
  const { changed } = appendNewFacts(rows, relevant, (id) => ({ org_id: id, position: '0', facts: [] }));
  if (changed.size === 0) return;
  const orgIds = [...changed.keys()];
  const links = tables.owned(LINKS);
  for (const row of await links.rowsOf('org_id', orgIds)) dirty.add(row.unit_id);
  const newLinks = [...changed].flatMap(([id, { facts }]) => {
    const form = organizationVersions(facts)[0]?.value.form ?? 'single';
    return unitLinks(facts).map((link) => ({
      org_id: id,
      unit_id: link.unitId,
      form,
      valid: dateRange(link.from, link.to),
    }));
  });
  for (const link of newLinks) dirty.add(link.unit_id);
  await organizations.upsert([...changed.values()]);
  await links.replace(orgIds, newLinks);
}

const employmentContribution = (e: Employment): [string, number[]][] => [[e.unitId, [1, e.full ? 1 : 0]]];

async function applyMemberEvents(
  tables: ProjectionTables,
  events: { id: string; event: RecordedEvent }[],
  dirty: Set<string>,
): Promise<void> {
  const relevant = factsOf(events, memberFactOf, (fact) => fact.kind !== 'flowed-out' && fact.kind !== 'flow-returned');
  if (relevant.length === 0) return;
  const members = tables.keyed(MEMBERS);
  const rows = await members.load(unique(relevant.map((e) => e.id)));
  const { changed } = appendNewFacts(rows, relevant, (id) => ({
    member_id: id,
    position: '0',
    facts: [],
    employments: [],
  }));
  const deltas: CounterDelta[] = [];
  for (const row of changed.values()) {
    const old = row.employments;
    row.employments = employments(row.facts);
    deltas.push(...counterDeltas(old, row.employments, employmentContribution));
  }
  await members.upsert([...changed.values()]);
  await tables.counters(UNIT_MEMBERS).apply(deltas);
  for (const delta of deltas) dirty.add(delta.key);
}

const segmentOf = (state: UnitStateRow): Segment<UnitCoverage> => ({
  ...parseDateRange(state.valid),
  value: {
    state: state.state as UnitCoverage['state'],
    shouldEstablish: state.should_establish,
    members: state.members,
    fullMembers: state.full_members,
  },
});

async function recomputeUnits(tables: ProjectionTables, ids: string[], shouldEstablishAt: number): Promise<void> {
  if (ids.length === 0) return;
  const units = await tables.keyed(UNITS).load(ids);
  const linksOf = new Map<string, { form: string; from: string; to: string | null }[]>();
  for (const link of await tables.owned(LINKS).rowsOf('unit_id', ids))
    linksOf.set(link.unit_id, [
      ...(linksOf.get(link.unit_id) ?? []),
      { form: link.form, ...parseDateRange(link.valid) },
    ]);
  const countsOf = await tables.counters(UNIT_MEMBERS).rowsOf(ids);
  // The coverage stored so far: a batch rewrites it only from the first segment that changes.
  const storedOf = groupBy(await tables.owned(UNIT_STATES).rowsOf('unit_id', ids), (state) => state.unit_id, segmentOf);

  const deltas: CounterDelta[] = [];
  const since = new Map<string, string>();
  const states: UnitStateRow[] = [];
  for (const row of units.values()) {
    // Referenced before its registration event: nothing to count yet.
    if (row.registered_on === null || row.region_code === null || row.industry === null) continue;
    const coverage = unitCoverage(
      {
        registeredOn: row.registered_on,
        closedOn: row.closed_on,
        instructorPeriods: instructorPeriods(row.instructor_facts),
      },
      linksOf.get(row.unit_id) ?? [],
      countsOf.get(row.unit_id) ?? [],
      shouldEstablishAt,
    );
    // Only the segments from the first that differs are rewritten: a unit's older rows stay put.
    const stored = (storedOf.get(row.unit_id) ?? []).sort((a, b) => (a.from < b.from ? -1 : 1));
    const shared = sharedPrefix(stored, coverage);
    if (shared === stored.length && shared === coverage.length) continue;
    const keys = groupKeys({
      regionCode: row.region_code,
      industry: row.industry,
      buildingId: row.building_id,
      parkId: row.park_id,
    });
    deltas.push(...counterDeltas(stored, coverage, coverageContribution(keys)));
    const starts = [stored[shared]?.from, coverage[shared]?.from].filter((d) => d !== undefined);
    since.set(
      row.unit_id,
      starts.reduce((min, d) => (d < min ? d : min)),
    );
    for (const segment of coverage.slice(shared)) {
      states.push({
        unit_id: row.unit_id,
        valid: dateRange(segment.from, segment.to),
        state: segment.value.state,
        should_establish: segment.value.shouldEstablish,
        members: segment.value.members,
        full_members: segment.value.fullMembers,
      });
    }
  }
  if (since.size === 0) return;
  await tables.owned(UNIT_STATES).replaceSince(since, states);
  await tables.counters(GROUP_COUNTS).apply(deltas);
}
