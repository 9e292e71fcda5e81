import { firstRow } from '@registry/postgres';
import { type Db, rate, requireOrganization, SUBTREE_NOW } from '../queries/reporting';

/**
 * A sum of fen as PostgreSQL returns it (bigint or numeric, as text): each amount fits an `integer`
 * column, their sum need not. Past 2^53 a JS number would round silently, so that is an error instead.
 */
function fenOfSum(sum: string): number {
  const fen = Number(sum);
  if (!Number.isSafeInteger(fen))
    throw new RangeError(`a sum of ${sum} fen is beyond what a JSON number holds exactly`);
  return fen;
}

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
  const row = firstRow(rows, 'the dues report');
  const expected = fenOfSum(row.expected);
  const collected = fenOfSum(row.collected);
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

export interface DuesRow {
  readonly memberId: string;
  readonly orgId: string;
  readonly month: string;
  readonly expectedFen: number;
  readonly paidFen: number;
}

/** Per member: what was due and what was paid for a month (for exports). */
export async function duesRows(db: Db, month: string, orgIds?: readonly string[]): Promise<DuesRow[]> {
  const { rows } = await db.query<{ member_id: string; org_id: string; monthly_fen: number; paid: string }>(
    `SELECT DISTINCT ON (m.member_id) m.member_id, m.org_id, a.monthly_fen,
            (SELECT coalesce(sum(amount_fen), 0)::text FROM reporting.dues_payments x WHERE x.member_id = m.member_id AND x.month = to_date($1, 'YYYY-MM')) AS paid
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
    paidFen: fenOfSum(r.paid),
  }));
}
