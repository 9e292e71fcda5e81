import { duesArrears, duesReport } from '@registry/projections';
import type { ProjectionHarness } from '../../../../test/support/projection-harness';
import { expectReplayedTwiceUnchanged, m1, R, startWithRegistry } from '../../test/registry-scenario';

describe('dues read model against PostgreSQL', () => {
  let h: ProjectionHarness;

  beforeAll(async () => {
    h = await startWithRegistry();
  });

  afterAll(() => h.close());

  it('reports dues collected against expected for a subtree, and consecutive unpaid months', async () => {
    expect(await duesReport(h.pool, R, '2024-02', '2024-02-15')).toMatchObject({
      members: 2,
      expectedFen: 120,
      collectedFen: 120,
      membersInArrears: 0,
      collectionRate: 1,
    });
    expect(await duesReport(h.pool, R, '2024-05', '2024-05-15')).toMatchObject({
      expectedFen: 120,
      collectedFen: 20,
      membersInArrears: 1,
    });
    const arrears = await duesArrears(h.pool, 6, '2024-10', '2024-11-01');
    expect(arrears).toEqual([
      expect.objectContaining({
        memberId: m1,
        consecutiveUnpaidMonths: 7,
        lastPaidMonth: '2024-03',
        monthlyDuesFen: 100,
      }),
    ]);
    expect(await duesArrears(h.pool, 8, '2024-10', '2024-11-01')).toEqual([]);
  });

  it('replayed twice gives the same rows', async () => {
    await expectReplayedTwiceUnchanged(h, 'dues');
  });
});
