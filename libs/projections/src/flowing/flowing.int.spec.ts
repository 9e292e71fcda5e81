import { flowingReport } from '@registry/projections';
import type { ProjectionHarness } from '../../../../test/support/projection-harness';
import { randomUUID } from 'node:crypto';
import { B, C, expectReplayedTwiceUnchanged, m1, S, startWithRegistry } from '../../test/registry-scenario';

describe('flowing read model against PostgreSQL', () => {
  let h: ProjectionHarness;

  beforeAll(async () => {
    h = await startWithRegistry();
  });

  afterAll(() => h.close());

  it('reports flowing members by host subtree, occupation and origin region', async () => {
    // m3 (home C, region 430602) is hosted by B, which sits under C since the retroactive re-parenting.
    const report = await flowingReport(h.pool, '2024-01-01', C);
    expect(report).toMatchObject({
      total: 1,
      byOccupation: [{ occupation: 'technical-worker', members: 1, share: 1 }],
      byOriginRegion: [{ regionCode: '430602', label: '岳阳楼区', members: 1 }],
    });
    expect((await flowingReport(h.pool, '2024-01-01', S)).total).toBe(0);
  });

  it('counts inflowing members at the host until they depart or transfer in', async () => {
    const [stays, departs, converts] = [randomUUID(), randomUUID(), randomUUID()];
    const arrive = (id: string, regionCode: string) =>
      h.record(`inflow-${id}`, 'InflowingMemberRegistered', {
        inflowingMemberId: id,
        personal: { keyId: 'k', ciphertext: 'c' },
        gender: 'male',
        home: { name: '湖南省汨罗市委组织部', regionCode },
        hostOrgId: S,
        since: '2023-03-01',
        occupation: 'owner',
      });
    await arrive(stays, '430681');
    await arrive(departs, '430681');
    await arrive(converts, '362502');
    await h.record(`inflow-${departs}`, 'InflowingMemberDeparted', {
      inflowingMemberId: departs,
      effectiveOn: '2023-09-01',
    });
    await h.record(`inflow-${converts}`, 'InflowingMemberConverted', {
      inflowingMemberId: converts,
      memberId: m1,
      effectiveOn: '2024-02-01',
    });
    await h.rebuildAll();

    expect(await flowingReport(h.pool, '2024-06-01', S)).toMatchObject({
      total: 1,
      inflowing: 1,
      convertedInflows: 1,
      byOccupation: [{ occupation: 'owner', members: 1 }],
      byOriginRegion: [{ regionCode: '430681', label: '汨罗市', members: 1 }],
    });
    const flowingIn = async (on: string) =>
      (
        await h.pool.query<{ flowing_in: number }>(
          'SELECT flowing_in FROM reporting.organization_counts WHERE org_id = $1 AND valid @> $2::date',
          [S, on],
        )
      ).rows[0]?.flowing_in ?? 0;
    expect([await flowingIn('2023-02-01'), await flowingIn('2023-06-01'), await flowingIn('2024-06-01')]).toEqual([
      0, 3, 1,
    ]);
    expect((await flowingReport(h.pool, '2024-06-01', B)).inflowing).toBe(0);
  });

  it('replayed twice gives the same rows', async () => {
    await expectReplayedTwiceUnchanged(h, 'flowing');
    await expectReplayedTwiceUnchanged(h, 'hierarchy');
  });
});
