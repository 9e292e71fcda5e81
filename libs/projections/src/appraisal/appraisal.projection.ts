import type { MemberEvent, OrganizationEvent } from '@registry/domain';
import type { ProjectionDefinition } from '../projection';
import { domainEventOf } from '../runtime/domain-event';
import type { RecordedEvent } from '@registry/event-store';
import { eventsOf, isNew, unique } from '../runtime/stream-events';
import { insertOnce, type KeyedRows, keyedTable } from '../runtime/tables';

interface AppraisalRow {
  appraisal_key: string;
  position: string;
  member_id: string;
  year: number;
  grade: string;
  decided_on: string;
}

interface RatingRow {
  rating_key: string;
  position: string;
  org_id: string;
  year: number;
  stars: number;
  rated_on: string;
}

interface PointsRow {
  points_key: string;
  position: string;
  member_id: string;
  year: number;
  /** The year's entries added up; the score is the base (a setting of the report) plus this. */
  delta_sum: number;
  entries: number;
}

const POINTS = keyedTable<PointsRow>('member_points', 'points_key', {
  points_key: 'text',
  position: 'bigint',
  member_id: 'uuid',
  year: 'integer',
  delta_sum: 'integer',
  entries: 'integer',
});

const APPRAISALS = keyedTable<AppraisalRow>('member_appraisals', 'appraisal_key', {
  appraisal_key: 'text',
  position: 'bigint',
  member_id: 'uuid',
  year: 'integer',
  grade: 'text',
  decided_on: 'date',
});
const RATINGS = keyedTable<RatingRow>('organization_ratings', 'rating_key', {
  rating_key: 'text',
  position: 'bigint',
  org_id: 'uuid',
  year: 'integer',
  stars: 'integer',
  rated_on: 'date',
});

/** One row per member and year, one per organisation and year: each written once (a second is refused). */
const keyOf = (id: string, year: number): string => `${id}:${year}`;

/** Democratic appraisals of members (民主评议) and star ratings of organisations (星级创建), by year. */
export const appraisalProjection: ProjectionDefinition = {
  name: 'appraisal',
  version: 1,
  description: "members' yearly appraisals (民主评议) and points (积分), organisations' yearly star ratings (星级创建)",

  categories: ['member', 'organization'],
  rebuildWeight: 1,

  createTables: (s) => `
    CREATE TABLE ${s}.member_appraisals (
      appraisal_key text PRIMARY KEY, position bigint NOT NULL, member_id uuid NOT NULL, year integer NOT NULL,
      grade text NOT NULL, decided_on date NOT NULL);
    CREATE TABLE ${s}.member_points (
      points_key text PRIMARY KEY, position bigint NOT NULL, member_id uuid NOT NULL, year integer NOT NULL,
      delta_sum integer NOT NULL, entries integer NOT NULL);
    CREATE TABLE ${s}.organization_ratings (
      rating_key text PRIMARY KEY, position bigint NOT NULL, org_id uuid NOT NULL, year integer NOT NULL,
      stars integer NOT NULL, rated_on date NOT NULL);`,

  createIndexes: (s) => `
    CREATE INDEX ON ${s}.member_appraisals (year);
    CREATE INDEX ON ${s}.member_points (year);
    CREATE INDEX ON ${s}.organization_ratings (year);
    CREATE INDEX ON ${s}.organization_ratings (org_id, year);`,

  views: (s) => [
    {
      name: 'member_appraisals',
      comment: 'Democratic appraisals (民主评议): one grade per member and year',
      select: `SELECT member_id, year, grade, decided_on FROM ${s}.member_appraisals`,
    },
    {
      name: 'member_points',
      comment: "Points (积分) per member and year: the entries' sum; the score is the base (a setting) plus it",
      select: `SELECT member_id, year, delta_sum, entries FROM ${s}.member_points`,
    },
    {
      name: 'organization_ratings',
      comment: 'Star ratings (星级创建): stars per organisation and year',
      select: `SELECT org_id, year, stars, rated_on FROM ${s}.organization_ratings`,
    },
  ],

  async apply(tables, events) {
    const appraised = eventsOf(events, 'member').filter(({ event }) => event.type === 'MemberAppraised');
    const rated = eventsOf(events, 'organization').filter(({ event }) => event.type === 'OrganizationRated');
    const points = eventsOf(events, 'member').filter(({ event }) => event.type === 'PointsRecorded');
    if (points.length > 0) await applyPoints(tables.keyed(POINTS), points);
    if (appraised.length > 0) {
      const rows = appraised.map(({ id, event }): AppraisalRow => {
        const e = domainEventOf<MemberEvent>(event);
        if (e.type !== 'MemberAppraised') throw new Error(`not an appraisal: ${event.type}`);
        return {
          appraisal_key: keyOf(id, e.data.year),
          position: event.position.toString(),
          member_id: id,
          year: e.data.year,
          grade: e.data.grade,
          decided_on: e.data.decidedOn,
        };
      });
      await insertOnce(tables.keyed(APPRAISALS), rows, (row) => row.appraisal_key);
    }
    if (rated.length > 0) {
      const rows = rated.map(({ id, event }): RatingRow => {
        const e = domainEventOf<OrganizationEvent>(event);
        if (e.type !== 'OrganizationRated') throw new Error(`not a rating: ${event.type}`);
        return {
          rating_key: keyOf(id, e.data.year),
          position: event.position.toString(),
          org_id: id,
          year: e.data.year,
          stars: e.data.stars,
          rated_on: e.data.ratedOn,
        };
      });
      await insertOnce(tables.keyed(RATINGS), rows, (row) => row.rating_key);
    }
  },
};

async function applyPoints(
  table: KeyedRows<PointsRow>,
  events: readonly { id: string; event: RecordedEvent }[],
): Promise<void> {
  const entries = events.map(({ id, event }) => {
    const e = domainEventOf<MemberEvent>(event);
    if (e.type !== 'PointsRecorded') throw new Error(`not a points entry: ${event.type}`);
    return { id, event, year: e.data.year, delta: e.data.delta };
  });
  const rows = await table.load(unique(entries.map(({ id, year }) => keyOf(id, year))));
  const changed = new Map<string, PointsRow>();
  for (const { id, event, year, delta } of entries) {
    const key = keyOf(id, year);
    const row = rows.get(key) ?? { points_key: key, position: '0', member_id: id, year, delta_sum: 0, entries: 0 };
    if (!isNew(row, event)) continue;
    Object.assign(row, {
      delta_sum: row.delta_sum + delta,
      entries: row.entries + 1,
      position: event.position.toString(),
    });
    rows.set(key, row);
    changed.set(key, row);
  }
  await table.upsert([...changed.values()]);
}
