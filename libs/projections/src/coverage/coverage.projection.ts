import type { RecordedEvent } from '@registry/event-store';
import type { UnitEvent } from '@registry/domain';
import { type Employment, employments, type MemberFact, memberFactOf } from '../model/member-facts';
import {
  type OrganizationFact,
  organizationFactOf,
  organizationVersions,
  unitLinks,
} from '../model/organization-facts';
import { counterDeltas, type CounterDelta, type CounterRow, type Segment } from '../model/timeline';
import { COVERAGE_COUNTERS, coverageContribution, groupKeys, type UnitCoverage, unitCoverage } from './unit-coverage';
import type { ProjectionDefinition } from '../projection';
import { CounterTimeline } from '../runtime/counter-timeline';
import { domainEventOf } from '../runtime/domain-event';
import { dateRange, parseDateRange, type ProjectionSql, replaceRowsOf, upsertRows } from '../runtime/sql';
import { appendNewFacts, columnList, eventsOf, factsOf, isNew, loadRows, unique } from '../runtime/stream-events';

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
  instructor_since: string | null;
  coverage: Segment<UnitCoverage>[];
}

interface OrganizationRow {
  org_id: string;
  position: string;
  facts: OrganizationFact[];
}

interface MemberRow {
  member_id: string;
  position: string;
  facts: MemberFact[];
  employments: Segment<Employment>[];
}

const UNIT_COLUMNS = [
  'unit_id',
  'position',
  'name',
  'kind',
  'region_code',
  'industry',
  'building_id',
  'park_id',
  'registered_on',
  'closed_on',
  'instructor_since',
  'coverage',
];

const unitMembers = (s: string): CounterTimeline =>
  new CounterTimeline(`${s}.unit_members`, 'unit_id', 'uuid', ['members', 'full_members']);
const groupCounts = (s: string): CounterTimeline =>
  new CounterTimeline(`${s}.group_counts`, 'group_key', 'text', COVERAGE_COUNTERS);

/**
 * The two coverages (两个覆盖) in business time: each unit's coverage state while it operates,
 * the party members employed there, 应建未建, and counts per region / industry / building / park
 * as piecewise-constant timelines, so a report as of any date reads one row per group.
 */
export function coverageProjection(): ProjectionDefinition {
  return {
    name: 'coverage',
    version: 1,
    description: 'coverage state of every unit over business time and counts per region, industry, building and park',

    createTables: (s) => `
      CREATE TABLE ${s}.units (
        unit_id uuid PRIMARY KEY, position bigint NOT NULL, name text, kind text, region_code text, industry text,
        building_id text, park_id text, registered_on date, closed_on date, instructor_since date, coverage jsonb NOT NULL DEFAULT '[]');
      CREATE TABLE ${s}.organizations (org_id uuid PRIMARY KEY, position bigint NOT NULL, facts jsonb NOT NULL);
      CREATE TABLE ${s}.organization_links (org_id uuid NOT NULL, unit_id uuid NOT NULL, form text NOT NULL, valid daterange NOT NULL);
      CREATE INDEX ON ${s}.organization_links (org_id);
      CREATE INDEX ON ${s}.organization_links (unit_id);
      CREATE TABLE ${s}.members (member_id uuid PRIMARY KEY, position bigint NOT NULL, facts jsonb NOT NULL, employments jsonb NOT NULL);
      CREATE TABLE ${s}.unit_states (
        unit_id uuid NOT NULL, valid daterange NOT NULL, state text NOT NULL, should_establish boolean NOT NULL,
        members integer NOT NULL, full_members integer NOT NULL);
      CREATE INDEX ON ${s}.unit_states (unit_id);
      CREATE INDEX ON ${s}.unit_states USING gist (valid);
      ${unitMembers(s).ddl()}
      ${groupCounts(s).ddl()}`,

    views: (s) => [
      {
        name: 'units',
        comment: 'Registered units (两新组织) with their grouping attributes',
        select: `SELECT unit_id, name, kind, region_code, industry, building_id, park_id, registered_on, closed_on, instructor_since FROM ${s}.units WHERE registered_on IS NOT NULL`,
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

    async apply(sql, schema, events, services) {
      const dirtyUnits = new Set<string>();
      await applyUnitEvents(sql, schema, eventsOf(events, 'unit'), dirtyUnits);
      await applyOrganizationEvents(sql, schema, eventsOf(events, 'organization'), dirtyUnits);
      await applyMemberEvents(sql, schema, eventsOf(events, 'member'), dirtyUnits);
      await recomputeUnits(sql, schema, [...dirtyUnits], services.settings.shouldEstablishFullMembers);
    },
  };
}

function loadUnits(sql: ProjectionSql, s: string, ids: readonly string[]): Promise<Map<string, UnitRow>> {
  const dates = ['registered_on', 'closed_on', 'instructor_since'];
  return loadRows<UnitRow>(
    sql,
    `${s}.units`,
    'unit_id',
    columnList(UNIT_COLUMNS, (c) => c === 'position' || dates.includes(c)),
    ids,
  );
}

async function applyUnitEvents(
  sql: ProjectionSql,
  s: string,
  events: { id: string; event: RecordedEvent }[],
  dirty: Set<string>,
): Promise<void> {
  if (events.length === 0) return;
  const rows = await loadUnits(sql, s, unique(events.map((e) => e.id)));
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
        instructor_since: null,
        coverage: [],
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
      if (row.instructor_since === null || e.data.effectiveOn < row.instructor_since)
        row.instructor_since = e.data.effectiveOn;
    } else if (e.type === 'UnitClosed') {
      row.closed_on = e.data.effectiveOn;
    }
    row.position = event.position.toString();
    changed.set(id, row);
    dirty.add(id);
  }
  await upsertRows(
    sql,
    `${s}.units`,
    ['unit_id'],
    UNIT_COLUMNS.filter((c) => c !== 'coverage'),
    [...changed.values()].map((row) => ({ ...row, coverage: undefined })),
  );
}

async function applyOrganizationEvents(
  sql: ProjectionSql,
  s: string,
  events: { id: string; event: RecordedEvent }[],
  dirty: Set<string>,
): Promise<void> {
  const relevant = factsOf(events, organizationFactOf, (fact) => fact.kind !== 'renamed' && fact.kind !== 'secretary');
  if (relevant.length === 0) return;
  const rows = await loadRows<OrganizationRow>(
    sql,
    `${s}.organizations`,
    'org_id',
    'org_id, position::text AS position, facts',
    unique(relevant.map((e) => e.id)),
  );
  const { changed } = appendNewFacts(rows, relevant, (id) => ({ org_id: id, position: '0', facts: [] }));
  if (changed.size === 0) return;
  const orgIds = [...changed.keys()];
  for (const row of await sql.query<{ unit_id: string }>(
    `SELECT DISTINCT unit_id FROM ${s}.organization_links WHERE org_id = ANY($1::uuid[])`,
    [orgIds],
  )) {
    dirty.add(row.unit_id);
  }
  const links = [...changed].flatMap(([id, { facts }]) => {
    const form = organizationVersions(facts)[0]?.value.form ?? 'single';
    return unitLinks(facts).map((link) => ({
      org_id: id,
      unit_id: link.unitId,
      form,
      valid: dateRange(link.from, link.to),
    }));
  });
  for (const link of links) dirty.add(link.unit_id);
  await upsertRows(sql, `${s}.organizations`, ['org_id'], ['org_id', 'position', 'facts'], [...changed.values()]);
  await replaceRowsOf(sql, `${s}.organization_links`, 'org_id', orgIds, ['org_id', 'unit_id', 'form', 'valid'], links);
}

const employmentContribution = (e: Employment): [string, number[]][] => [[e.unitId, [1, e.full ? 1 : 0]]];

async function applyMemberEvents(
  sql: ProjectionSql,
  s: string,
  events: { id: string; event: RecordedEvent }[],
  dirty: Set<string>,
): Promise<void> {
  const relevant = factsOf(events, memberFactOf, (fact) => fact.kind !== 'flowed-out' && fact.kind !== 'flow-returned');
  if (relevant.length === 0) return;
  const rows = await loadRows<MemberRow>(
    sql,
    `${s}.members`,
    'member_id',
    'member_id, position::text AS position, facts, employments',
    unique(relevant.map((e) => e.id)),
  );
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
  await upsertRows(
    sql,
    `${s}.members`,
    ['member_id'],
    ['member_id', 'position', 'facts', 'employments'],
    [...changed.values()],
  );
  await unitMembers(s).apply(sql, deltas);
  for (const delta of deltas) dirty.add(delta.key);
}

async function recomputeUnits(sql: ProjectionSql, s: string, ids: string[], shouldEstablishAt: number): Promise<void> {
  if (ids.length === 0) return;
  const units = await loadUnits(sql, s, ids);
  const links = await sql.query<{ unit_id: string; form: string; valid: string }>(
    `SELECT unit_id, form, valid::text AS valid FROM ${s}.organization_links WHERE unit_id = ANY($1::uuid[])`,
    [ids],
  );
  const memberRows = await sql.query<{ unit_id: string; valid: string; members: number; full_members: number }>(
    `SELECT unit_id, valid::text AS valid, members, full_members FROM ${s}.unit_members WHERE unit_id = ANY($1::uuid[]) ORDER BY unit_id, lower(valid)`,
    [ids],
  );
  const linksOf = new Map<string, { form: string; from: string; to: string | null }[]>();
  for (const link of links)
    linksOf.set(link.unit_id, [
      ...(linksOf.get(link.unit_id) ?? []),
      { form: link.form, ...parseDateRange(link.valid) },
    ]);
  const countsOf = new Map<string, CounterRow[]>();
  for (const row of memberRows)
    countsOf.set(row.unit_id, [
      ...(countsOf.get(row.unit_id) ?? []),
      { ...parseDateRange(row.valid), counts: [row.members, row.full_members] },
    ]);

  const deltas: CounterDelta[] = [];
  const changed: UnitRow[] = [];
  const states: Record<string, unknown>[] = [];
  for (const row of units.values()) {
    // Referenced before its registration event: nothing to count yet.
    if (row.registered_on === null || row.region_code === null || row.industry === null) continue;
    const coverage = unitCoverage(
      { registeredOn: row.registered_on, closedOn: row.closed_on, instructorSince: row.instructor_since },
      linksOf.get(row.unit_id) ?? [],
      countsOf.get(row.unit_id) ?? [],
      shouldEstablishAt,
    );
    const keys = groupKeys({
      regionCode: row.region_code,
      industry: row.industry,
      buildingId: row.building_id,
      parkId: row.park_id,
    });
    deltas.push(...counterDeltas(row.coverage, coverage, coverageContribution(keys)));
    row.coverage = coverage;
    changed.push(row);
    for (const segment of coverage) {
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
  if (changed.length === 0) return;
  await sql.query(
    `UPDATE ${s}.units u SET coverage = c.coverage FROM jsonb_to_recordset($1::jsonb) AS c(unit_id uuid, coverage jsonb) WHERE u.unit_id = c.unit_id`,
    [JSON.stringify(changed.map((row) => ({ unit_id: row.unit_id, coverage: row.coverage })))],
  );
  await replaceRowsOf(
    sql,
    `${s}.unit_states`,
    'unit_id',
    changed.map((row) => row.unit_id),
    ['unit_id', 'valid', 'state', 'should_establish', 'members', 'full_members'],
    states,
  );
  await groupCounts(s).apply(sql, deltas);
}
