import { flowingReport } from '@registry/projections';
import type { ProjectionHarness } from '../../../../test/support/projection-harness';
import { C, expectReplayedTwiceUnchanged, S, startWithRegistry } from '../../test/registry-scenario';

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

  it('replayed twice gives the same rows', async () => {
    await expectReplayedTwiceUnchanged(h, 'flowing');
  });
});
