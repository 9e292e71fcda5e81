import { addMonths, APPROVAL_WITHIN_MONTHS, INTERVIEW_WITHIN_MONTHS, REVIEW_EVERY_MONTHS } from '@registry/domain';
import { type Db, requireOrganization, SUBTREE_NOW } from '../queries/reporting';

export interface DevelopmentReport {
  readonly orgId: string;
  readonly year: number;
  /** Applicants who entered each stage in the year (by the business date of the step). */
  readonly applied: number;
  readonly activists: number;
  readonly candidates: number;
  readonly admitted: number;
  readonly approved: number;
  readonly withdrawn: number;
  /** Open applications whose next step is past its window on `today`, oldest first. */
  readonly overdue: { applicantId: string; step: 'interview' | 'review' | 'approval'; dueOn: string }[];
}

/** The development pipeline of a subtree: the year's entries into each stage, and the steps overdue today. */
export async function developmentReport(
  db: Db,
  today: string,
  orgId: string,
  year: number,
): Promise<DevelopmentReport> {
  await requireOrganization(db, orgId, today);
  const inSubtree = `a.org_id IN (${SUBTREE_NOW.replace(/\$1/g, '$1::uuid')})`;
  const { rows } = await db.query<Omit<DevelopmentReport, 'orgId' | 'year' | 'overdue'>>(
    `SELECT count(*) FILTER (WHERE a.applied_on BETWEEN $3 AND $4)::int AS applied,
            count(*) FILTER (WHERE a.activist_on BETWEEN $3 AND $4)::int AS activists,
            count(*) FILTER (WHERE a.candidate_on BETWEEN $3 AND $4)::int AS candidates,
            count(*) FILTER (WHERE a.admitted_on BETWEEN $3 AND $4)::int AS admitted,
            count(*) FILTER (WHERE a.approved_on BETWEEN $3 AND $4)::int AS approved,
            count(*) FILTER (WHERE a.withdrawn_on BETWEEN $3 AND $4)::int AS withdrawn
       FROM reporting.applicants a WHERE ${inSubtree}`,
    [orgId, today, `${year}-01-01`, `${year}-12-31`],
  );
  const { rows: open } = await db.query<{
    applicant_id: string;
    stage: string;
    applied_on: string;
    interviewed_on: string | null;
    activist_on: string | null;
    last_reviewed_on: string | null;
    admitted_on: string | null;
  }>(
    `SELECT a.applicant_id, a.stage, a.applied_on::text, a.interviewed_on::text, a.activist_on::text,
            a.last_reviewed_on::text, a.admitted_on::text
       FROM reporting.applicants a
      WHERE a.stage NOT IN ('approved', 'withdrawn') AND ${inSubtree}`,
    [orgId, today],
  );
  const overdue: DevelopmentReport['overdue'] = [];
  for (const row of open) {
    const due = dueStep(row);
    if (due && due.dueOn < today) overdue.push({ applicantId: row.applicant_id, ...due });
  }
  overdue.sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.applicantId < b.applicantId ? -1 : 1));
  const counts = rows[0] ?? { applied: 0, activists: 0, candidates: 0, admitted: 0, approved: 0, withdrawn: 0 };
  return { orgId, year, ...counts, overdue };
}

/** The next step an open application waits for, and the day it falls due (DOMAIN.md, 发展党员工作细则). */
function dueStep(row: {
  stage: string;
  applied_on: string;
  interviewed_on: string | null;
  activist_on: string | null;
  last_reviewed_on: string | null;
  admitted_on: string | null;
}): { step: 'interview' | 'review' | 'approval'; dueOn: string } | null {
  if (row.interviewed_on === null)
    return { step: 'interview', dueOn: addMonths(row.applied_on, INTERVIEW_WITHIN_MONTHS) };
  if (row.stage === 'admitted' && row.admitted_on !== null)
    return { step: 'approval', dueOn: addMonths(row.admitted_on, APPROVAL_WITHIN_MONTHS) };
  if ((row.stage === 'activist' || row.stage === 'candidate') && row.activist_on !== null)
    return { step: 'review', dueOn: addMonths(row.last_reviewed_on ?? row.activist_on, REVIEW_EVERY_MONTHS) };
  return null;
}
