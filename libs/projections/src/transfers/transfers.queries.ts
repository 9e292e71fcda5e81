import type { Db } from '../queries/reporting';

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
