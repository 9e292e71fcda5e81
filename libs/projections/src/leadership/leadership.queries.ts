import { addMonths } from '@registry/domain';
import { type Db, requireOrganization, SUBTREE_NOW } from '../queries/reporting';

export type TermStatus = 'due' | 'overdue';

export interface TermsReport {
  readonly orgId: string;
  readonly status: TermStatus;
  readonly withinMonths: number;
  readonly today: string;
  readonly organizations: {
    orgId: string;
    name: string | null;
    electedOn: string;
    termEndsOn: string;
    postponedUntil: string | null;
    /** When the next election is due: the term's end, or the postponement's. */
    dueOn: string;
  }[];
}

/**
 * Terms in a subtree: `due`, ending (postponement counted) from today to `withinMonths` ahead;
 * `overdue`, ended before today with no new election.
 */
export async function termsReport(
  db: Db,
  today: string,
  orgId: string,
  status: TermStatus,
  withinMonths: number,
): Promise<TermsReport> {
  await requireOrganization(db, orgId, today);
  const horizon = addMonths(today, withinMonths);
  const { rows } = await db.query<{
    org_id: string;
    name: string | null;
    elected_on: string;
    term_ends_on: string;
    postponed_until: string | null;
    due_on: string;
  }>(
    `SELECT t.org_id, v.name, t.elected_on::text, t.term_ends_on::text, t.postponed_until::text,
            coalesce(t.postponed_until, t.term_ends_on)::text AS due_on
       FROM reporting.terms t
       LEFT JOIN reporting.organization_versions v ON v.org_id = t.org_id AND v.valid @> $2::date
      WHERE t.dissolved_on IS NULL AND t.org_id IN (${SUBTREE_NOW.replace(/\$1/g, '$1::uuid')})
        AND CASE WHEN $3 = 'overdue' THEN coalesce(t.postponed_until, t.term_ends_on) < $2::date
                 ELSE coalesce(t.postponed_until, t.term_ends_on) BETWEEN $2::date AND $4::date END
      ORDER BY due_on, t.org_id`,
    [orgId, today, status, horizon],
  );
  return {
    orgId,
    status,
    withinMonths,
    today,
    organizations: rows.map((row) => ({
      orgId: row.org_id,
      name: row.name,
      electedOn: row.elected_on,
      termEndsOn: row.term_ends_on,
      postponedUntil: row.postponed_until,
      dueOn: row.due_on,
    })),
  };
}
