import type { Pool, PoolClient } from 'pg';
import type { OrganizationVersion } from '../model/organization-facts';
import { regionLabel, regionRollup } from './regions';

type Db = Pick<Pool | PoolClient, 'query'>;

export interface OrganizationCounts {
  readonly members: number;
  readonly full: number;
  readonly probationary: number;
  readonly flowingIn: number;
  readonly flowingOut: number;
}

export interface TreeNode {
  readonly id: string;
  readonly name: string;
  readonly level: string;
  readonly form: string;
  readonly regionCode: string;
  /** Subtree totals (the organisation and everything below it). */
  readonly counts: OrganizationCounts;
  /** The organisation's own members and hosted flowing members. */
  readonly ownCounts: OrganizationCounts;
  readonly children: TreeNode[];
}

export class NotInReadModel extends Error {
  override readonly name = 'NotInReadModel';
}

const add = (a: OrganizationCounts, b: OrganizationCounts): OrganizationCounts => ({
  members: a.members + b.members,
  full: a.full + b.full,
  probationary: a.probationary + b.probationary,
  flowingIn: a.flowingIn + b.flowingIn,
  flowingOut: a.flowingOut + b.flowingOut,
});

/**
 * The subtree under `rootId` as it stood on `asOf`, with subtree totals. One query: the path
 * arrays give the subtree (GIN), the count timelines one row per organisation.
 */
export async function organizationTree(db: Db, rootId: string, asOf: string, depth?: number): Promise<TreeNode> {
  const { rows } = await db.query<{
    org_id: string;
    node: number;
    path: number[];
    name: string;
    level: string;
    form: string;
    region_code: string;
    members: number;
    full_members: number;
    probationary_members: number;
    flowing_in: number;
    flowing_out: number;
  }>(
    // The rows holding on the date come from one range-index scan each and are hash-joined: probing
    // each organisation's count timeline in turn costs a scan of its history per organisation.
    `WITH root AS (SELECT node FROM reporting.organization_paths WHERE org_id = $1 AND valid @> $2::date),
          counts AS MATERIALIZED (SELECT * FROM reporting.organization_counts WHERE valid @> $2::date),
          versions AS MATERIALIZED (SELECT * FROM reporting.organization_versions WHERE valid @> $2::date)
     SELECT p.org_id, p.node, p.path, v.name, v.level, v.form, v.region_code,
            coalesce(c.members, 0) AS members, coalesce(c.full_members, 0) AS full_members,
            coalesce(c.probationary_members, 0) AS probationary_members, coalesce(c.flowing_in, 0) AS flowing_in,
            coalesce(c.flowing_out, 0) AS flowing_out
       FROM root
       JOIN reporting.organization_paths p ON p.path @> ARRAY[root.node] AND p.valid @> $2::date
       JOIN versions v ON v.org_id = p.org_id
       LEFT JOIN counts c ON c.org_id = p.org_id`,
    [rootId, asOf],
  );
  const root = rows.find((row) => row.org_id === rootId);
  if (!root) throw new NotInReadModel(`organisation ${rootId} did not exist on ${asOf}`);
  const rootDepth = root.path.length;
  const nodes = new Map<
    number,
    { node: TreeNode & { counts: OrganizationCounts }; parent: number | undefined; depth: number }
  >();
  for (const row of rows) {
    const own: OrganizationCounts = {
      members: row.members,
      full: row.full_members,
      probationary: row.probationary_members,
      flowingIn: row.flowing_in,
      flowingOut: row.flowing_out,
    };
    nodes.set(row.node, {
      node: {
        id: row.org_id,
        name: row.name,
        level: row.level,
        form: row.form,
        regionCode: row.region_code,
        counts: own,
        ownCounts: own,
        children: [],
      },
      parent: row.org_id === rootId ? undefined : row.path[row.path.length - 2],
      depth: row.path.length - rootDepth,
    });
  }
  const deepestFirst = [...nodes.values()].sort((a, b) => b.depth - a.depth);
  for (const entry of deepestFirst) {
    const parent = entry.parent === undefined ? undefined : nodes.get(entry.parent);
    if (!parent) continue;
    parent.node.counts = add(parent.node.counts, entry.node.counts);
    if (depth === undefined || entry.depth <= depth) parent.node.children.push(entry.node);
  }
  const sortTree = (node: TreeNode): void => {
    node.children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    node.children.forEach(sortTree);
  };
  const top = nodes.get(root.node)!.node;
  sortTree(top);
  return top;
}

export interface OrganizationView extends OrganizationVersion {
  readonly id: string;
  readonly asOf: string;
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly unitIds: string[];
  readonly counts: OrganizationCounts;
  readonly ownCounts: OrganizationCounts;
  readonly childCount: number;
}

export async function organizationAsOf(db: Db, id: string, asOf: string): Promise<OrganizationView> {
  const { rows } = await db.query<{
    name: string;
    level: string;
    form: string;
    region_code: string;
    parent_id: string | null;
    secretary_id: string | null;
    valid_from: string;
    valid_to: string | null;
  }>(
    `SELECT name, level, form, region_code, parent_id, secretary_id, valid_from::text AS valid_from, valid_to::text AS valid_to
       FROM reporting.organization_versions WHERE org_id = $1 AND valid @> $2::date`,
    [id, asOf],
  );
  const version = rows[0];
  if (!version) throw new NotInReadModel(`organisation ${id} did not exist on ${asOf}`);
  const units = await db.query<{ unit_id: string }>(
    'SELECT unit_id FROM reporting.organization_units WHERE org_id = $1 AND valid @> $2::date ORDER BY unit_id',
    [id, asOf],
  );
  const tree = await organizationTree(db, id, asOf, 1);
  return {
    id,
    asOf,
    name: version.name,
    level: version.level,
    form: version.form,
    regionCode: version.region_code,
    parentId: version.parent_id,
    secretaryId: version.secretary_id,
    validFrom: version.valid_from,
    validTo: version.valid_to,
    unitIds: units.rows.map((row) => row.unit_id),
    counts: tree.counts,
    ownCounts: tree.ownCounts,
    childCount: tree.children.length,
  };
}

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

const rate = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000;

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

export interface TransferReportRow {
  readonly transferId: string;
  readonly memberId: string;
  readonly fromOrgId: string;
  readonly to: { orgId: string } | { external: { name: string; regionCode: string } };
  readonly letterNo: string | null;
  readonly effectiveOn: string;
  readonly validUntil: string;
  readonly duesPaidUpTo: string | null;
  readonly overdue: boolean;
  readonly daysOverdue: number;
}

/** Pending transfers (all not yet accepted, rejected or cancelled); `overdue` only those past validity. */
export async function transfersReport(
  db: Db,
  status: 'pending' | 'overdue',
  today: string,
): Promise<TransferReportRow[]> {
  const { rows } = await db.query<{
    transfer_id: string;
    member_id: string;
    from_org_id: string;
    to_org_id: string | null;
    to_external_name: string | null;
    to_external_region_code: string | null;
    letter_no: string | null;
    effective_on: string;
    valid_until: string;
    dues_paid_up_to: string | null;
    days_overdue: number;
  }>(
    `SELECT transfer_id, member_id, from_org_id, to_org_id, to_external_name, to_external_region_code, letter_no,
            effective_on::text AS effective_on, valid_until::text AS valid_until, dues_paid_up_to, greatest($1::date - valid_until, 0) AS days_overdue
       FROM reporting.transfers WHERE status = 'pending' AND ($2::boolean = false OR valid_until < $1::date)
      ORDER BY valid_until, transfer_id`,
    [today, status === 'overdue'],
  );
  return rows.map((r) => ({
    transferId: r.transfer_id,
    memberId: r.member_id,
    fromOrgId: r.from_org_id,
    to: r.to_org_id
      ? { orgId: r.to_org_id }
      : { external: { name: r.to_external_name ?? '', regionCode: r.to_external_region_code ?? '' } },
    letterNo: r.letter_no,
    effectiveOn: r.effective_on,
    validUntil: r.valid_until,
    duesPaidUpTo: r.dues_paid_up_to,
    overdue: r.days_overdue > 0,
    daysOverdue: r.days_overdue,
  }));
}

const SUBTREE_NOW = `SELECT p.org_id FROM reporting.organization_paths p
  JOIN reporting.organization_paths r ON r.org_id = $1 AND r.valid @> $2::date
 WHERE p.path @> ARRAY[r.node] AND p.valid @> $2::date`;

export interface DuesReport {
  readonly orgId: string;
  readonly month: string;
  readonly members: number;
  readonly expectedFen: number;
  readonly collectedFen: number;
  readonly membersInArrears: number;
  readonly collectionRate: number | null;
}

/** Dues expected and collected for a month over an organisation's subtree (as it stands today). */
export async function duesReport(db: Db, orgId: string, month: string, today: string): Promise<DuesReport> {
  await requireOrganization(db, orgId, today);
  const { rows } = await db.query<{ members: number; expected: string; collected: string; in_arrears: number }>(
    `WITH subtree AS (${SUBTREE_NOW}),
          placed AS (
            SELECT DISTINCT ON (m.member_id) m.member_id FROM reporting.dues_member_orgs m
             WHERE m.org_id IN (SELECT org_id FROM subtree)
               AND m.valid && daterange(to_date($3, 'YYYY-MM'), (to_date($3, 'YYYY-MM') + interval '1 month')::date)),
          due AS (
            SELECT p.member_id, a.monthly_fen,
                   (SELECT coalesce(sum(amount_fen), 0) FROM reporting.dues_payments x WHERE x.member_id = p.member_id AND x.month = to_date($3, 'YYYY-MM')) AS paid
              FROM placed p
              JOIN LATERAL (SELECT monthly_fen FROM reporting.dues_assessments a
                             WHERE a.member_id = p.member_id AND a.from_month <= to_date($3, 'YYYY-MM')
                             ORDER BY a.from_month DESC, a.position DESC LIMIT 1) a ON true)
     SELECT count(*)::int AS members, coalesce(sum(monthly_fen), 0)::text AS expected, coalesce(sum(least(paid, monthly_fen)), 0)::text AS collected,
            count(*) FILTER (WHERE paid < monthly_fen)::int AS in_arrears
       FROM due`,
    [orgId, today, month],
  );
  const row = rows[0]!;
  const expected = Number(row.expected);
  const collected = Number(row.collected);
  return {
    orgId,
    month,
    members: row.members,
    expectedFen: expected,
    collectedFen: collected,
    membersInArrears: row.in_arrears,
    collectionRate: rate(collected, expected),
  };
}

export interface ArrearsRow {
  readonly memberId: string;
  readonly orgId: string;
  readonly consecutiveUnpaidMonths: number;
  readonly lastPaidMonth: string | null;
  readonly monthlyDuesFen: number;
}

/**
 * Members whose dues are unpaid for at least `minMonths` consecutive months up to `throughMonth`
 * (by default the month before the current one: the current month is not yet late). Reported for
 * people to decide on (党章 art. 9); nobody is removed automatically.
 */
export async function duesArrears(
  db: Db,
  minMonths: number,
  throughMonth: string,
  today: string,
  orgIds?: readonly string[],
): Promise<ArrearsRow[]> {
  const { rows } = await db.query<{
    member_id: string;
    org_id: string;
    streak: number;
    last_paid: string | null;
    monthly_fen: number;
  }>(
    `WITH ref AS (SELECT to_date($1, 'YYYY-MM') AS ref_month),
          current AS (SELECT member_id, org_id, lower(valid) AS placed_from FROM reporting.dues_member_orgs WHERE valid @> $3::date
                       AND ($4::uuid[] IS NULL OR org_id = ANY($4::uuid[]))),
          due AS (
            SELECT c.member_id, c.org_id,
                   (SELECT min(from_month) FROM reporting.dues_assessments a WHERE a.member_id = c.member_id) AS first_due,
                   (SELECT max(p.month) FROM reporting.dues_payments p, ref WHERE p.member_id = c.member_id AND p.month <= ref.ref_month) AS last_paid,
                   (SELECT monthly_fen FROM reporting.dues_assessments a, ref WHERE a.member_id = c.member_id AND a.from_month <= ref.ref_month
                     ORDER BY from_month DESC, position DESC LIMIT 1) AS monthly_fen
              FROM current c),
          streaks AS (
            SELECT d.*, (extract(year FROM age(ref.ref_month, greatest(d.last_paid, (d.first_due - interval '1 month')::date))) * 12
                       + extract(month FROM age(ref.ref_month, greatest(d.last_paid, (d.first_due - interval '1 month')::date))))::int AS streak
              FROM due d, ref WHERE d.first_due IS NOT NULL AND d.first_due <= ref.ref_month AND d.monthly_fen > 0)
     SELECT member_id, org_id, streak, to_char(last_paid, 'YYYY-MM') AS last_paid, monthly_fen FROM streaks
      WHERE streak >= $2 ORDER BY streak DESC, member_id`,
    [throughMonth, minMonths, today, orgIds ?? null],
  );
  return rows.map((r) => ({
    memberId: r.member_id,
    orgId: r.org_id,
    consecutiveUnpaidMonths: r.streak,
    lastPaidMonth: r.last_paid,
    monthlyDuesFen: r.monthly_fen,
  }));
}

export interface FlowingReport {
  readonly hostOrgId: string | null;
  readonly total: number;
  readonly byOccupation: { occupation: string; members: number; share: number }[];
  readonly byOriginRegion: { regionCode: string; label: string; members: number }[];
  readonly byHostOrganization: { orgId: string | null; members: number }[];
}

/** Flowing members hosted in an organisation's subtree (or everywhere), by occupation, origin and host. */
export async function flowingReport(db: Db, today: string, hostOrgId?: string): Promise<FlowingReport> {
  if (hostOrgId) await requireOrganization(db, hostOrgId, today);
  const { rows } = await db.query<{
    host_org_id: string | null;
    occupation: string;
    origin_region_code: string | null;
    members: number;
  }>(
    `SELECT f.host_org_id, f.occupation, f.origin_region_code, count(*)::int AS members
       FROM reporting.flowing_members f
      WHERE $1::uuid IS NULL OR f.host_org_id IN (${SUBTREE_NOW.replace(/\$1/g, '$1::uuid')})
      GROUP BY 1, 2, 3`,
    [hostOrgId ?? null, today],
  );
  const total = rows.reduce((sum, row) => sum + row.members, 0);
  const tally = <K>(keyOf: (row: (typeof rows)[number]) => K): Map<K, number> => {
    const map = new Map<K, number>();
    for (const row of rows) map.set(keyOf(row), (map.get(keyOf(row)) ?? 0) + row.members);
    return map;
  };
  const descending = <K>(map: Map<K, number>): [K, number][] => [...map].sort((a, b) => b[1] - a[1]);
  return {
    hostOrgId: hostOrgId ?? null,
    total,
    byOccupation: descending(tally((r) => r.occupation)).map(([occupation, members]) => ({
      occupation,
      members,
      share: rate(members, total) ?? 0,
    })),
    byOriginRegion: descending(tally((r) => r.origin_region_code ?? 'unknown')).map(([regionCode, members]) => ({
      regionCode,
      label: regionLabel(regionCode),
      members,
    })),
    byHostOrganization: descending(tally((r) => r.host_org_id)).map(([orgId, members]) => ({ orgId, members })),
  };
}

async function requireOrganization(db: Db, orgId: string, date: string): Promise<void> {
  const { rows } = await db.query(
    'SELECT 1 FROM reporting.organization_paths WHERE org_id = $1 AND valid @> $2::date',
    [orgId, date],
  );
  if (rows.length === 0) throw new NotInReadModel(`organisation ${orgId} does not exist on ${date}`);
}

/** Organisations in the subtree of `orgId` as of `date` (for scoping and exports). */
export async function subtreeOf(db: Db, orgId: string, date: string): Promise<string[]> {
  const { rows } = await db.query<{ org_id: string }>(SUBTREE_NOW, [orgId, date]);
  return rows.map((row) => row.org_id);
}

export interface DuesRow {
  readonly memberId: string;
  readonly orgId: string;
  readonly month: string;
  readonly expectedFen: number;
  readonly paidFen: number;
}

/** Per member: what was due and what was paid for a month (for exports). */
export async function duesRows(db: Db, month: string, orgIds?: readonly string[]): Promise<DuesRow[]> {
  const { rows } = await db.query<{ member_id: string; org_id: string; monthly_fen: number; paid: number }>(
    `SELECT DISTINCT ON (m.member_id) m.member_id, m.org_id, a.monthly_fen,
            (SELECT coalesce(sum(amount_fen), 0)::int FROM reporting.dues_payments x WHERE x.member_id = m.member_id AND x.month = to_date($1, 'YYYY-MM')) AS paid
       FROM reporting.dues_member_orgs m
       JOIN LATERAL (SELECT monthly_fen FROM reporting.dues_assessments a WHERE a.member_id = m.member_id AND a.from_month <= to_date($1, 'YYYY-MM')
                      ORDER BY a.from_month DESC, a.position DESC LIMIT 1) a ON true
      WHERE m.valid && daterange(to_date($1, 'YYYY-MM'), (to_date($1, 'YYYY-MM') + interval '1 month')::date)
        AND ($2::uuid[] IS NULL OR m.org_id = ANY($2::uuid[]))
      ORDER BY m.member_id, upper(m.valid) DESC NULLS FIRST`,
    [month, orgIds ?? null],
  );
  return rows.map((r) => ({
    memberId: r.member_id,
    orgId: r.org_id,
    month,
    expectedFen: r.monthly_fen,
    paidFen: r.paid,
  }));
}

/** Organisations at the top of the hierarchy on a date. */
export async function rootsOn(db: Db, date: string): Promise<string[]> {
  const { rows } = await db.query<{ org_id: string }>(
    `SELECT p.org_id FROM reporting.organization_paths p JOIN reporting.organization_versions v ON v.org_id = p.org_id AND v.valid @> $1::date
      WHERE p.valid @> $1::date AND cardinality(p.path) = 1 ORDER BY v.name`,
    [date],
  );
  return rows.map((row) => row.org_id);
}
