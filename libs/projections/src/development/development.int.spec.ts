import { randomUUID } from 'node:crypto';
import { developmentReport } from '@registry/projections';
import type { ProjectionHarness } from '../../../../test/support/projection-harness';
import { B, expectReplayedTwiceUnchanged, m1, m2, R, S, startWithRegistry } from '../../test/registry-scenario';

// Three applicants under B (in R's subtree) and one under S: one approved, one an activist whose
// review is overdue, one withdrawn, one who applied and was never interviewed.
const [approved, activist, withdrawn, waiting] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const newMember = randomUUID();
const sealed = { keyId: 'k', ciphertext: 'c' };

describe('development read model against PostgreSQL', () => {
  let h: ProjectionHarness;

  const record = (applicantId: string, type: string, data: Record<string, unknown>) =>
    h.record(`applicant-${applicantId}`, type, { applicantId, ...data });
  const apply = (applicantId: string, orgId: string, appliedOn: string) =>
    record(applicantId, 'ApplicationSubmitted', { personal: sealed, gender: 'female', orgId, appliedOn });

  beforeAll(async () => {
    h = await startWithRegistry();
    await apply(approved, B, '2022-03-01');
    await record(approved, 'ApplicantInterviewed', { interviewedOn: '2022-03-20', interviewerId: m1 });
    await record(approved, 'ActivistDesignated', { designatedOn: '2022-06-01', contactIds: [m1] });
    await record(approved, 'ApplicantReviewed', { reviewedOn: '2022-12-01', summary: '好' });
    await record(approved, 'CandidateDesignated', {
      designatedOn: '2023-06-10',
      introducerIds: [m1, m2],
      politicalReviewOn: '2023-06-01',
    });
    await record(approved, 'ApplicantTrained', { completedOn: '2023-09-01', hours: 16 });
    await record(approved, 'ApplicantTrained', { completedOn: '2023-10-01', hours: 8 });
    await record(approved, 'ApplicantAdmitted', {
      meetingOn: '2023-12-15',
      eligibleVoters: 9,
      present: 8,
      inFavour: 7,
    });
    await record(approved, 'ApplicantApproved', { approvedOn: '2024-02-01', memberId: newMember });

    await apply(activist, B, '2023-01-10');
    await record(activist, 'ApplicantInterviewed', { interviewedOn: '2023-01-20', interviewerId: m1 });
    await record(activist, 'ActivistDesignated', { designatedOn: '2023-04-01', contactIds: [m1, m2] });

    await apply(withdrawn, B, '2023-02-01');
    await record(withdrawn, 'ApplicationWithdrawn', { effectiveOn: '2023-05-01', reason: '本人撤回' });

    await apply(waiting, S, '2023-11-01');
    await h.rebuildAll();
  });

  afterAll(() => h.close());

  it('keeps the stage and the date of every step', async () => {
    const { rows } = await h.pool.query(
      `SELECT stage, applied_on::text, activist_on::text, candidate_on::text, training_hours, admitted_on::text,
              approved_on::text, member_id FROM reporting.applicants WHERE applicant_id = $1`,
      [approved],
    );
    expect(rows).toEqual([
      {
        stage: 'approved',
        applied_on: '2022-03-01',
        activist_on: '2022-06-01',
        candidate_on: '2023-06-10',
        training_hours: 24,
        admitted_on: '2023-12-15',
        approved_on: '2024-02-01',
        member_id: newMember,
      },
    ]);
  });

  it('counts the entries into each stage by the year they happened, in the subtree', async () => {
    expect(await developmentReport(h.pool, '2024-06-30', R, 2023)).toEqual({
      orgId: R,
      year: 2023,
      applied: 3,
      activists: 1,
      candidates: 1,
      admitted: 1,
      approved: 0,
      withdrawn: 1,
      overdue: [
        { applicantId: activist, step: 'review', dueOn: '2023-10-01' },
        { applicantId: waiting, step: 'interview', dueOn: '2023-12-01' },
      ],
    });
    expect(await developmentReport(h.pool, '2024-06-30', R, 2024)).toMatchObject({ applied: 0, approved: 1 });
    expect(await developmentReport(h.pool, '2024-06-30', B, 2023)).toMatchObject({
      applied: 2,
      overdue: [{ applicantId: activist, step: 'review', dueOn: '2023-10-01' }],
    });
  });

  it('lists nothing overdue before its window closes', async () => {
    const report = await developmentReport(h.pool, '2023-11-15', S, 2023);
    expect(report).toMatchObject({ applied: 1, overdue: [] });
  });

  it('replays twice to the same rows', () => expectReplayedTwiceUnchanged(h, 'development'));
});
