import { type Db, rate } from '../queries/reporting';
import { regionLabel, regionRollup } from '../queries/regions';

export type CoverageGroupBy = 'region' | 'industry' | 'building' | 'park' | 'grid';

export interface CoverageRow {
  readonly key: string;
  readonly label: string;
  readonly units: number;
  readonly singleCovered: number;
  readonly jointCovered: number;
  readonly workCoveredOnly: number;
  readonly uncovered: number;
  readonly orgCoverageRate: number | null;
  readonly workCoverageRate: number | null;
  readonly shouldEstablish: number;
  readonly members: number;
}

/** The two coverages (DOMAIN.md): organisational (single + joint) and work (also work-only), over the units. */
export function coverageRates(c: { units: number; single: number; joint: number; work: number }): {
  orgCoverageRate: number | null;
  workCoverageRate: number | null;
} {
  return {
    orgCoverageRate: rate(c.single + c.joint, c.units),
    workCoverageRate: rate(c.single + c.joint + c.work, c.units),
  };
}

function coverageRow(
  key: string,
  label: string,
  c: { units: number; single: number; joint: number; work: number; uncovered: number; should: number; members: number },
): CoverageRow {
  return {
    key,
    label,
    units: c.units,
    singleCovered: c.single,
    jointCovered: c.joint,
    workCoveredOnly: c.work,
    uncovered: c.uncovered,
    ...coverageRates(c),
    shouldEstablish: c.should,
    members: c.members,
  };
}

interface CountsRow {
  group_value: string;
  label?: string;
  units: number;
  single_covered: number;
  joint_covered: number;
  work_covered_only: number;
  uncovered: number;
  should_establish: number;
  members: number;
}

/**
 * Coverage per grid (网格联建): the grids' units on the date, counted from each unit's coverage then.
 * Grids are few and small, so the counts are made when asked; the key is the grid id, the label its name.
 */
function gridCounts(db: Db, asOf: string) {
  return db.query<CountsRow>(
    `SELECT gu.grid_id::text AS group_value, min(g.name) AS label, count(*)::int AS units,
            count(*) FILTER (WHERE c.state = 'single')::int AS single_covered,
            count(*) FILTER (WHERE c.state = 'joint')::int AS joint_covered,
            count(*) FILTER (WHERE c.state = 'work-only')::int AS work_covered_only,
            count(*) FILTER (WHERE c.state = 'uncovered')::int AS uncovered,
            count(*) FILTER (WHERE c.should_establish)::int AS should_establish,
            coalesce(sum(c.members), 0)::int AS members
       FROM reporting.grid_units gu
       JOIN reporting.grids g ON g.grid_id = gu.grid_id
       JOIN reporting.unit_coverage c ON c.unit_id = gu.unit_id AND c.valid @> $1::date
      WHERE gu.valid @> $1::date
      GROUP BY gu.grid_id`,
    [asOf],
  );
}

export interface CoverageReport {
  readonly asOf: string;
  readonly groupBy: CoverageGroupBy;
  readonly regionCode: string | null;
  readonly level: string | null;
  readonly rows: CoverageRow[];
  readonly totals: CoverageRow;
}

/** The two coverages as of a date per group; regions roll up province → city → county. */
export async function coverageReport(
  db: Db,
  groupBy: CoverageGroupBy,
  asOf: string,
  regionCode?: string,
): Promise<CoverageReport> {
  const rollup = groupBy === 'region' ? regionRollup(regionCode) : undefined;
  const { rows } =
    groupBy === 'grid'
      ? await gridCounts(db, asOf)
      : await db.query<CountsRow>(
          `SELECT group_value, units, single_covered, joint_covered, work_covered_only, uncovered, should_establish, members
             FROM reporting.coverage_counts
            WHERE group_by = $1 AND valid @> $2::date AND ($3::text IS NULL OR group_value LIKE $3 || '%')`,
          [groupBy, asOf, rollup ? rollup.prefix || null : null],
        );
  const labels = new Map(rows.map((row) => [row.group_value, row.label ?? row.group_value]));
  const sums = new Map<
    string,
    { units: number; single: number; joint: number; work: number; uncovered: number; should: number; members: number }
  >();
  const total = { units: 0, single: 0, joint: 0, work: 0, uncovered: 0, should: 0, members: 0 };
  for (const row of rows) {
    const key = rollup ? rollup.keyOf(row.group_value) : row.group_value;
    const sum = sums.get(key) ?? { units: 0, single: 0, joint: 0, work: 0, uncovered: 0, should: 0, members: 0 };
    for (const target of [sum, total]) {
      target.units += row.units;
      target.single += row.single_covered;
      target.joint += row.joint_covered;
      target.work += row.work_covered_only;
      target.uncovered += row.uncovered;
      target.should += row.should_establish;
      target.members += row.members;
    }
    sums.set(key, sum);
  }
  const result = [...sums]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, sum]) => coverageRow(key, groupBy === 'region' ? regionLabel(key) : (labels.get(key) ?? key), sum));
  return {
    asOf,
    groupBy,
    regionCode: regionCode ?? null,
    level: rollup?.level ?? null,
    rows: result,
    totals: coverageRow('total', regionCode ? regionLabel(regionCode) : 'total', total),
  };
}

export interface ShouldEstablishUnit {
  readonly unitId: string;
  readonly name: string;
  readonly regionCode: string;
  readonly industry: string;
  readonly fullMembers: number;
  readonly members: number;
  readonly coverage: string;
  readonly since: string;
}

/** 应建未建: operating units with enough full members and no organisation of their own. */
export async function shouldEstablishReport(db: Db, asOf: string, regionCode?: string): Promise<ShouldEstablishUnit[]> {
  const prefix = regionCode ? regionRollup(regionCode).prefix : null;
  const { rows } = await db.query<{
    unit_id: string;
    name: string;
    region_code: string;
    industry: string;
    full_members: number;
    members: number;
    state: string;
    valid_from: string;
  }>(
    `SELECT c.unit_id, u.name, u.region_code, u.industry, c.full_members, c.members, c.state, c.valid_from::text AS valid_from
       FROM reporting.unit_coverage c JOIN reporting.units u USING (unit_id)
      WHERE c.valid @> $1::date AND c.should_establish AND ($2::text IS NULL OR u.region_code LIKE $2 || '%')
      ORDER BY c.full_members DESC, u.name`,
    [asOf, prefix || null],
  );
  return rows.map((r) => ({
    unitId: r.unit_id,
    name: r.name,
    regionCode: r.region_code,
    industry: r.industry,
    fullMembers: r.full_members,
    members: r.members,
    coverage: r.state,
    since: r.valid_from,
  }));
}
