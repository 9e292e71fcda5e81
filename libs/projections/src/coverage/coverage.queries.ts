import { type Db, rate } from '../queries/reporting';
import { regionLabel, regionRollup } from '../queries/regions';

export type CoverageGroupBy = 'region' | 'industry' | 'building' | 'park';

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
    orgCoverageRate: rate(c.single + c.joint, c.units),
    workCoverageRate: rate(c.single + c.joint + c.work, c.units),
    shouldEstablish: c.should,
    members: c.members,
  };
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
  const { rows } = await db.query<{
    group_value: string;
    units: number;
    single_covered: number;
    joint_covered: number;
    work_covered_only: number;
    uncovered: number;
    should_establish: number;
    members: number;
  }>(
    `SELECT group_value, units, single_covered, joint_covered, work_covered_only, uncovered, should_establish, members
       FROM reporting.coverage_counts
      WHERE group_by = $1 AND valid @> $2::date AND ($3::text IS NULL OR group_value LIKE $3 || '%')`,
    [groupBy, asOf, rollup ? rollup.prefix || null : null],
  );
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
    .map(([key, sum]) => coverageRow(key, groupBy === 'region' ? regionLabel(key) : key, sum));
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
