import { randomUUID } from 'node:crypto';
import { transfersReport } from '@registry/projections';
import type { ProjectionHarness } from '../../../../test/support/projection-harness';
import { C, expectReplayedTwiceUnchanged, m1, S, startWithRegistry, t1 } from '../../test/registry-scenario';

describe('transfers read model against PostgreSQL', () => {
  let h: ProjectionHarness;

  beforeAll(async () => {
    h = await startWithRegistry();
  });

  afterAll(() => h.close());

  const transfer = async (transferId: string) =>
    (
      await h.pool.query<Record<string, unknown>>(
        `SELECT status, reason, effective_on::text AS effective_on, resolved_on::text AS resolved_on, initiated_at
           FROM reporting.transfers WHERE transfer_id = $1`,
        [transferId],
      )
    ).rows[0];

  it('reports pending and overdue transfers', async () => {
    expect((await transfersReport(h.pool, 'pending', '2024-03-01')).map((t) => t.transferId)).toEqual([t1]);
    expect(await transfersReport(h.pool, 'overdue', '2024-03-01')).toEqual([]);
    expect(await transfersReport(h.pool, 'overdue', '2024-04-19')).toEqual([
      expect.objectContaining({ transferId: t1, daysOverdue: 10, letterNo: 'L-1' }),
    ]);
  });

  it('dates a rejection by the day in Beijing it was recorded, also in the small hours when UTC is a day behind', async () => {
    const rejected = randomUUID();
    await h.record(
      `member-${m1}`,
      'TransferInitiated',
      {
        memberId: m1,
        transferId: rejected,
        fromOrgId: C,
        to: { orgId: S },
        effectiveOn: '2024-04-28',
        letterNo: 'L-3',
        validUntil: '2024-05-28',
        duesPaidUpTo: '2024-03',
      },
      { recordedAt: new Date('2024-04-28T02:00:00Z') },
    );
    // 01:30 on 2 May in Beijing is still 1 May in UTC.
    await h.record(
      `member-${m1}`,
      'TransferRejected',
      { memberId: m1, transferId: rejected, reason: '接收党组织与工作单位不符' },
      { recordedAt: new Date('2024-05-01T17:30:00Z') },
    );
    await h.rebuildAll();

    expect(await transfer(rejected)).toEqual({
      status: 'rejected',
      reason: '接收党组织与工作单位不符',
      effective_on: '2024-04-28',
      resolved_on: '2024-05-02',
      initiated_at: new Date('2024-04-28T02:00:00Z'),
    });
    expect((await transfersReport(h.pool, 'pending', '2024-05-10')).map((t) => t.transferId)).toEqual([t1]);
  });

  it('dates a cancellation recorded at midnight in Beijing by that new day', async () => {
    const cancelled = randomUUID();
    await h.record(
      `member-${m1}`,
      'TransferInitiated',
      {
        memberId: m1,
        transferId: cancelled,
        fromOrgId: C,
        to: { external: { name: '杭州市西湖区某非公企业党支部', regionCode: '330106' } },
        effectiveOn: '2024-06-03',
        letterNo: 'L-4',
        validUntil: '2024-09-01',
        duesPaidUpTo: '2024-05',
      },
      { recordedAt: new Date('2024-06-03T01:00:00Z') },
    );
    // 00:00 on 10 June in Beijing is 16:00 on 9 June in UTC.
    await h.record(
      `member-${m1}`,
      'TransferCancelled',
      { memberId: m1, transferId: cancelled, reason: '本人撤回申请' },
      { recordedAt: new Date('2024-06-09T16:00:00Z') },
    );
    await h.rebuildAll();

    expect(await transfer(cancelled)).toEqual({
      status: 'cancelled',
      reason: '本人撤回申请',
      effective_on: '2024-06-03',
      resolved_on: '2024-06-10',
      initiated_at: new Date('2024-06-03T01:00:00Z'),
    });
    expect((await transfersReport(h.pool, 'pending', '2024-06-20')).map((t) => t.transferId)).toEqual([t1]);
  });

  it('replayed twice gives the same rows', async () => {
    await expectReplayedTwiceUnchanged(h, 'transfers');
  });
});
