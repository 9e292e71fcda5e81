import { termsReport } from '@registry/projections';
import type { ProjectionHarness } from '../../../../test/support/projection-harness';
import { A, C, expectReplayedTwiceUnchanged, m1, m2, R, S, startWithRegistry } from '../../test/registry-scenario';

// R (a committee, 5-year terms) elected in 2020; C (a branch) in 2021, then postponed; S in 2023 and
// again in 2024; A elected, then dissolved (no longer due).
const elect = (organizationId: string, electedOn: string, termYears: number, termEndsOn: string) => ({
  organizationId,
  electedOn,
  termYears,
  termEndsOn,
  members: [{ memberId: m1, role: 'secretary' }],
});

describe('leadership read model against PostgreSQL', () => {
  let h: ProjectionHarness;

  beforeAll(async () => {
    h = await startWithRegistry();
    await h.record(`organization-${R}`, 'CommitteeElected', elect(R, '2020-06-01', 5, '2025-06-01'));
    await h.record(`organization-${C}`, 'CommitteeElected', elect(C, '2021-03-01', 3, '2024-03-01'));
    await h.record(`organization-${C}`, 'ElectionPostponed', {
      organizationId: C,
      until: '2024-09-01',
      approvedOn: '2024-02-01',
      reason: '企业重组',
    });
    await h.record(`organization-${S}`, 'CommitteeElected', elect(S, '2021-05-01', 3, '2024-05-01'));
    await h.record(`organization-${S}`, 'CommitteeElected', {
      ...elect(S, '2024-05-01', 3, '2027-05-01'),
      members: [{ memberId: m2, role: 'secretary' }],
    });
    await h.record(`organization-${A}`, 'CommitteeElected', elect(A, '2020-03-01', 3, '2023-03-01'));
    await h.rebuildAll();
  });

  afterAll(() => h.close());

  it('lists the terms ending within the months asked, the postponement counted', async () => {
    const due = await termsReport(h.pool, '2024-06-30', R, 'due', 12);
    expect(due.organizations.map((o) => [o.orgId, o.dueOn])).toEqual([
      [C, '2024-09-01'],
      [R, '2025-06-01'],
    ]);
    expect(due.organizations[0]).toMatchObject({ name: 'C', termEndsOn: '2024-03-01', postponedUntil: '2024-09-01' });
    expect((await termsReport(h.pool, '2024-06-30', R, 'due', 2)).organizations).toEqual([]);
  });

  it('lists the terms ended with no new election, not a dissolved organisation’s', async () => {
    expect((await termsReport(h.pool, '2024-10-01', R, 'overdue', 6)).organizations.map((o) => o.orgId)).toEqual([C]);
    expect((await termsReport(h.pool, '2024-06-30', R, 'overdue', 6)).organizations).toEqual([]);
  });

  it('keeps only the latest election of an organisation', async () => {
    const { rows } = await h.pool.query(
      `SELECT elected_on::text, term_ends_on::text FROM reporting.terms WHERE org_id = $1`,
      [S],
    );
    expect(rows).toEqual([{ elected_on: '2024-05-01', term_ends_on: '2027-05-01' }]);
  });

  it('replays twice to the same rows', () => expectReplayedTwiceUnchanged(h, 'leadership'));
});
