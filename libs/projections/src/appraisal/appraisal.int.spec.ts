import { appraisalsReport, pointsReport, ratingsReport } from '@registry/projections';
import type { ProjectionHarness } from '../../../../test/support/projection-harness';
import { C, expectReplayedTwiceUnchanged, J, m2, m3, R, S, startWithRegistry } from '../../test/registry-scenario';

describe('appraisal read model against PostgreSQL', () => {
  let h: ProjectionHarness;

  beforeAll(async () => {
    h = await startWithRegistry();
    const rate = (organizationId: string, year: number, stars: number) =>
      h.record(`organization-${organizationId}`, 'OrganizationRated', {
        organizationId,
        year,
        stars,
        ratedOn: `${year + 1}-01-15`,
      });
    await rate(S, 2023, 5);
    await rate(J, 2023, 2);
    await rate(C, 2023, 3);
    await rate(C, 2022, 4);
    await h.record(`member-${m2}`, 'MemberAppraised', {
      memberId: m2,
      year: 2023,
      grade: 'excellent',
      decidedOn: '2024-01-10',
    });
    await h.record(`member-${m3}`, 'MemberAppraised', {
      memberId: m3,
      year: 2023,
      grade: 'basically-qualified',
      decidedOn: '2024-01-10',
    });
    const points = (memberId: string, delta: number, recordedOn: string) =>
      h.record(`member-${memberId}`, 'PointsRecorded', {
        memberId,
        year: 2023,
        delta,
        category: '组织生活',
        reason: '记录',
        recordedOn,
      });
    await points(m2, -300, '2023-03-01');
    await points(m2, -250, '2023-09-01');
    await points(m3, 50, '2023-05-01');
    await h.rebuildAll();
  });

  it('scores each current member of a subtree from the base and the year’s entries, in bands', async () => {
    const report = await pointsReport(h.pool, '2024-06-30', R, 2023);
    const scores = new Map(report.members.map((m) => [m.memberId, [m.score, m.band]]));
    expect(scores.get(m2)).toEqual([450, 'support']);
    expect(scores.get(m3)).toEqual([1050, 'honour']);
    expect(report.members[0]?.memberId).toBe(m2);
    const strict = await pointsReport(h.pool, '2024-06-30', R, 2023, {
      base: 800,
      honourAt: 900,
      supportBelow: 500,
    });
    // A lower base moves the same entries into other bands: 800 + 50 is no longer an honour.
    const strictBands = new Map(strict.members.map((m) => [m.memberId, [m.score, m.band]]));
    expect(strictBands.get(m3)).toEqual([850, 'normal']);
    expect(strictBands.get(m2)).toEqual([250, 'support']);
  });

  afterAll(() => h.close());

  it('counts a subtree’s ratings by stars and lists them in their bands', async () => {
    const report = await ratingsReport(h.pool, '2024-06-30', R, 2023);
    expect(report.byStars).toEqual([
      { stars: 1, organizations: 0 },
      { stars: 2, organizations: 1 },
      { stars: 3, organizations: 1 },
      { stars: 4, organizations: 0 },
      { stars: 5, organizations: 1 },
    ]);
    expect(report.exemplary).toEqual([{ orgId: S, name: 'S', stars: 5, ratedOn: '2024-01-15' }]);
    expect(report.standard.map((o) => o.orgId)).toEqual([C]);
    expect(report.rectify.map((o) => o.orgId)).toEqual([J]);
    expect((await ratingsReport(h.pool, '2024-06-30', R, 2022)).exemplary.map((o) => o.orgId)).toEqual([C]);
  });

  it('counts a subtree’s current members by appraisal grade, and those not appraised', async () => {
    const report = await appraisalsReport(h.pool, '2024-06-30', R, 2023);
    expect(report.byGrade).toEqual([
      { grade: 'excellent', members: 1 },
      { grade: 'qualified', members: 0 },
      { grade: 'basically-qualified', members: 1 },
      { grade: 'unqualified', members: 0 },
    ]);
    expect(report.notAppraised).toBeGreaterThanOrEqual(1);
  });

  it('replays twice to the same rows', () => expectReplayedTwiceUnchanged(h, 'appraisal'));
});
