import { addMonths, addYears, LOST_CONTACT_MONTHS_BEFORE_SUSPENSION, wholeMonthsBetween } from '@registry/domain';
import { type Db, requireOrganization, SUBTREE_NOW } from '../queries/reporting';

/** After this long suspended with no contact, removal may be decided (党员教育管理工作条例 art. 24). */
const YEARS_SUSPENDED_BEFORE_REMOVAL = 2;

export type LostContactFlag = 'suspension-due' | 'removal-due' | null;

export interface LostContactRow {
  readonly memberId: string;
  readonly orgId: string | null;
  readonly since: string | null;
  readonly months: number;
  readonly suspendedOn: string | null;
  readonly flag: LostContactFlag;
}

/** The registry flags; people decide: a suspension is due after 6 months out of contact, a removal 2 years after suspension. */
export function lostContactFlag(since: string | null, suspendedOn: string | null, today: string): LostContactFlag {
  if (suspendedOn !== null)
    return addYears(suspendedOn, YEARS_SUSPENDED_BEFORE_REMOVAL) <= today ? 'removal-due' : null;
  if (since !== null && addMonths(since, LOST_CONTACT_MONTHS_BEFORE_SUSPENSION) <= today) return 'suspension-due';
  return null;
}

/** Current members out of contact or suspended (失联党员, 停止党籍), in the subtree of `orgId` when given. */
export async function lostContactReport(db: Db, today: string, orgId?: string): Promise<LostContactRow[]> {
  if (orgId) await requireOrganization(db, orgId, today);
  const { rows } = await db.query<{
    member_id: string;
    org_id: string | null;
    since: string | null;
    suspended_on: string | null;
  }>(
    `SELECT m.member_id, m.org_id, m.lost_contact_since::text AS since, m.suspended_on::text AS suspended_on
       FROM reporting.members m
      WHERE m.status = 'member' AND (m.lost_contact_since IS NOT NULL OR m.suspended_on IS NOT NULL)
        AND ($1::uuid IS NULL OR m.org_id IN (${SUBTREE_NOW.replace(/\$1/g, '$1::uuid')}))
      ORDER BY m.lost_contact_since NULLS LAST, m.member_id`,
    [orgId ?? null, today],
  );
  return rows.map((row) => ({
    memberId: row.member_id,
    orgId: row.org_id,
    since: row.since,
    months: row.since === null ? 0 : wholeMonthsBetween(row.since, today),
    suspendedOn: row.suspended_on,
    flag: lostContactFlag(row.since, row.suspended_on, today),
  }));
}
