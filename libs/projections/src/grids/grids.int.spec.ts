import { randomUUID } from 'node:crypto';
import { coverageReport, gridReport, NotInReadModel } from '@registry/projections';
import type { ProjectionHarness } from '../../../../test/support/projection-harness';
import { expectReplayedTwiceUnchanged, S, startWithRegistry, U1, U2, U3 } from '../../test/registry-scenario';

// A grid led by S (rated 5 stars for 2022) joins U1 (S's own unit) and U3 (three members work there,
// instructors since 2021) on 2023-01-01; U2 (in joint branch J) joins on 2023-06-01; U1 leaves on 2024-01-01.
const G = randomUUID();

describe('grids read model against PostgreSQL', () => {
  let h: ProjectionHarness;

  beforeAll(async () => {
    h = await startWithRegistry();
    await h.record(`organization-${S}`, 'OrganizationRated', {
      organizationId: S,
      year: 2022,
      stars: 5,
      ratedOn: '2022-12-20',
    });
    await h.record(`grid-${G}`, 'GridEstablished', {
      gridId: G,
      name: '徐汇区信息产业网格',
      regionCode: '310104',
      leadOrgId: S,
      unitIds: [U1, U3],
      establishedOn: '2023-01-01',
    });
    await h.record(`grid-${G}`, 'GridUnitJoined', { gridId: G, unitId: U2, effectiveOn: '2023-06-01' });
    await h.record(`grid-${G}`, 'GridUnitLeft', { gridId: G, unitId: U1, effectiveOn: '2024-01-01' });
    await h.rebuildAll();
  });

  afterAll(() => h.close());

  it('answers the grid as of a date: its lead, its units with their coverage and members', async () => {
    const early = await gridReport(h.pool, G, '2023-03-01');
    expect(early.lead).toEqual({ orgId: S, name: 'S', latestRating: { year: 2022, stars: 5 } });
    expect(new Map(early.units.map((u) => [u.unitId, u.coverage]))).toEqual(
      new Map([
        [U1, 'single'],
        [U3, 'work-only'],
      ]),
    );
    expect(early.counts).toMatchObject({
      units: 2,
      singleCovered: 1,
      workCoveredOnly: 1,
      orgCoverageRate: 0.5,
      workCoverageRate: 1,
      members: 3,
    });
    const later = await gridReport(h.pool, G, '2024-06-01');
    expect(later.units.map((u) => u.unitId).sort()).toEqual([U2, U3].sort());
    expect(later.counts).toMatchObject({ units: 2, jointCovered: 1, workCoveredOnly: 1 });
  });

  it('refuses a grid it does not know, or a date before the grid', async () => {
    await expect(gridReport(h.pool, randomUUID(), '2024-06-01')).rejects.toBeInstanceOf(NotInReadModel);
    await expect(gridReport(h.pool, G, '2022-06-01')).rejects.toBeInstanceOf(NotInReadModel);
  });

  it('groups the two coverages by grid as of a date', async () => {
    const report = await coverageReport(h.pool, 'grid', '2023-03-01');
    expect(report.rows).toEqual([
      expect.objectContaining({
        key: G,
        label: '徐汇区信息产业网格',
        units: 2,
        singleCovered: 1,
        workCoveredOnly: 1,
        orgCoverageRate: 0.5,
        members: 3,
      }),
    ]);
    expect((await coverageReport(h.pool, 'grid', '2022-06-01')).rows).toEqual([]);
  });

  it('replays twice to the same rows', () => expectReplayedTwiceUnchanged(h, 'grids'));
});
