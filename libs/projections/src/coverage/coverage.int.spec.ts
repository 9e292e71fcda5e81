import { coverageReport, shouldEstablishReport } from '@registry/projections';
import type { ProjectionHarness } from '../../../../test/support/projection-harness';
import { expectReplayedTwiceUnchanged, startWithRegistry, U3 } from '../../test/registry-scenario';

describe('coverage read model against PostgreSQL', () => {
  let h: ProjectionHarness;

  beforeAll(async () => {
    h = await startWithRegistry();
  });

  afterAll(() => h.close());

  it('reports the two coverages per group, rolled up by region, as of any date', async () => {
    const before = await coverageReport(h.pool, 'region', '2020-03-01');
    expect(before.rows).toEqual([
      expect.objectContaining({
        key: '310000',
        label: '上海市',
        units: 4,
        uncovered: 4,
        orgCoverageRate: 0,
        workCoverageRate: 0,
      }),
    ]);

    const after = await coverageReport(h.pool, 'region', '2021-03-01', '310100');
    expect(
      after.rows.map((r) => [
        r.key,
        r.units,
        r.singleCovered,
        r.jointCovered,
        r.workCoveredOnly,
        r.uncovered,
        r.members,
      ]),
    ).toEqual([
      ['310104', 1, 1, 0, 0, 0, 0],
      ['310105', 1, 0, 1, 0, 0, 0],
      ['310115', 2, 0, 1, 1, 0, 3],
    ]);
    expect(after.totals).toMatchObject({ units: 4, orgCoverageRate: 0.75, workCoverageRate: 1 });

    // U4 closed on 2021-06-01: it no longer counts.
    const closed = await coverageReport(h.pool, 'region', '2021-07-01', '310000');
    expect(closed.rows).toEqual([
      expect.objectContaining({ key: '310100', units: 3, singleCovered: 1, jointCovered: 1, workCoveredOnly: 1 }),
    ]);
    expect((await coverageReport(h.pool, 'building', '2021-07-01')).rows).toEqual([
      expect.objectContaining({ key: 'b1', units: 2, orgCoverageRate: 1 }),
    ]);
  });

  it('lists units that should establish an organisation once three full members work there', async () => {
    // m2 confirmed on 2021-03-01 makes three full members at U3 (m1 left for C but still works at U3).
    expect(await shouldEstablishReport(h.pool, '2021-02-01')).toEqual([]);
    const now = await shouldEstablishReport(h.pool, '2021-04-01', '310000');
    expect(now).toEqual([
      expect.objectContaining({ unitId: U3, fullMembers: 3, coverage: 'work-only', since: '2021-03-01' }),
    ]);
    expect((await coverageReport(h.pool, 'industry', '2021-04-01')).rows.find((r) => r.key === 'retail')).toMatchObject(
      { shouldEstablish: 1 },
    );
  });

  it('ends work coverage from an instructor’s withdrawal, and starts it again on a new assignment', async () => {
    // U3 is covered by its instructor alone from 2021-01-01 (310115: one joint, one work-only unit).
    const workOnly = async (asOf: string) =>
      (await coverageReport(h.pool, 'region', asOf, '310100')).rows.find((r) => r.key === '310115')?.workCoveredOnly;
    await h.record(`unit-${U3}`, 'InstructorWithdrawn', { unitId: U3, effectiveOn: '2023-01-01' });
    await h.record(`unit-${U3}`, 'InstructorAssigned', { unitId: U3, name: '新指导员', effectiveOn: '2024-01-01' });
    await h.rebuildAll();
    expect([await workOnly('2022-12-31'), await workOnly('2023-01-01'), await workOnly('2024-01-01')]).toEqual([
      1, 0, 1,
    ]);
    const { rows } = await h.pool.query(
      `SELECT instructor_since::text, instructor_withdrawn_on::text FROM reporting.units WHERE unit_id = $1`,
      [U3],
    );
    expect(rows).toEqual([{ instructor_since: '2021-01-01', instructor_withdrawn_on: '2023-01-01' }]);
  });

  it('replayed twice gives the same rows', async () => {
    await expectReplayedTwiceUnchanged(h, 'coverage');
  });
});
