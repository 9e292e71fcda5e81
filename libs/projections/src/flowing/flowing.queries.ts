import { regionLabel } from '../queries/regions';
import { type Db, rate, requireOrganization, SUBTREE_NOW } from '../queries/reporting';

export interface FlowingReport {
  readonly hostOrgId: string | null;
  readonly total: number;
  readonly byOccupation: { occupation: string; members: number; share: number }[];
  readonly byOriginRegion: { regionCode: string; label: string; members: number }[];
  readonly byHostOrganization: { orgId: string | null; members: number }[];
  /** Of `total`, those whose home organisation is outside the registry (流入党员). */
  readonly inflowing: number;
  /** Inflowing members who transferred their relation in (the inflow ended, converted to membership here). */
  readonly convertedInflows: number;
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
  const { rows: inflows } = await db.query<{ hosted: number; converted: number }>(
    `SELECT count(*) FILTER (WHERE i.ended IS NULL)::int AS hosted, count(*) FILTER (WHERE i.ended = 'converted')::int AS converted
       FROM reporting.inflowing_members i
      WHERE $1::uuid IS NULL OR i.host_org_id IN (${SUBTREE_NOW.replace(/\$1/g, '$1::uuid')})`,
    [hostOrgId ?? null, today],
  );
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
    inflowing: inflows[0]?.hosted ?? 0,
    convertedInflows: inflows[0]?.converted ?? 0,
  };
}
