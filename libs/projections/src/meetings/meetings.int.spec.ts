import { organizationalLifeReport } from '@registry/projections';
import type { ProjectionHarness } from '../../../../test/support/projection-harness';
import { B, C, expectReplayedTwiceUnchanged, m1, m2, m3, R, startWithRegistry } from '../../test/registry-scenario';

// In 2024 branch C holds general meetings in three quarters of four, a theme day every month, and
// from July, with a committee of three, committee meetings in July to November only. m1 attends
// only early in the year; m3 attends in October; m2 (in branch B) attends nothing.
describe('meetings read model against PostgreSQL', () => {
  let h: ProjectionHarness;

  beforeAll(async () => {
    h = await startWithRegistry();
    const meet = (kind: string, heldOn: string, attendeeIds: string[] = []) =>
      h.record(`organization-${C}`, 'MeetingHeld', {
        organizationId: C,
        kind,
        heldOn,
        topic: `${kind} ${heldOn}`,
        attendeeIds,
        absences: [],
      });
    await h.record(`organization-${C}`, 'CommitteeElected', {
      organizationId: C,
      electedOn: '2024-07-01',
      termYears: 3,
      termEndsOn: '2027-07-01',
      members: [
        { memberId: m1, role: 'secretary' },
        { memberId: m3, role: 'deputy-secretary' },
        { memberId: m2, role: 'member' },
      ],
    });
    for (const month of ['01', '04', '08'])
      await meet('general-meeting', `2024-${month}-10`, month === '08' ? [m3] : [m1, m3]);
    for (let month = 1; month <= 12; month += 1)
      await meet('theme-day', `2024-${String(month).padStart(2, '0')}-01`, month === 10 ? [m3] : []);
    for (const month of ['07', '08', '09', '10', '11']) await meet('committee-meeting', `2024-${month}-15`);
    await h.rebuildAll();
  });

  afterAll(() => h.close());

  const kindOf = (report: Awaited<ReturnType<typeof organizationalLifeReport>>, org: string, kind: string) =>
    report.organizations.find((o) => o.orgId === org)?.kinds.find((k) => k.kind === kind);

  it('counts meetings due and held per kind for each branch of the subtree, naming the windows missed', async () => {
    const report = await organizationalLifeReport(h.pool, '2025-01-15', R, '2024-01', '2024-12');
    expect(kindOf(report, C, 'general-meeting')).toEqual({
      kind: 'general-meeting',
      required: 4,
      held: 3,
      met: false,
      missed: [{ from: '2024-10-01', to: '2024-12-31' }],
    });
    expect(kindOf(report, C, 'theme-day')).toMatchObject({ required: 12, held: 12, met: true, missed: [] });
    // Only from the election of a committee of three: July to December.
    expect(kindOf(report, C, 'committee-meeting')).toMatchObject({
      required: 6,
      held: 5,
      met: false,
      missed: [{ from: '2024-12-01', to: '2024-12-31' }],
    });
    expect(kindOf(report, C, 'life-meeting')).toMatchObject({ required: 1, held: 0, met: false });
    // A committee (党委) owes no branch meetings; a branch without a committee owes no committee meetings.
    expect(kindOf(report, R, 'general-meeting')).toMatchObject({ required: 0, met: true });
    expect(kindOf(report, B, 'committee-meeting')).toMatchObject({ required: 0, met: true });
    expect(kindOf(report, B, 'theme-day')).toMatchObject({ required: 12, held: 0, met: false });
  });

  it('lists the members who attended nothing in the last six months of the period', async () => {
    const report = await organizationalLifeReport(h.pool, '2025-01-15', R, '2024-01', '2024-12');
    expect(report.absentSince).toBe('2024-07-01');
    const absent = (org: string) => report.organizations.find((o) => o.orgId === org)?.absentMembers;
    expect(absent(C)).toEqual([{ memberId: m1, lastAttendedOn: '2024-04-10' }]);
    expect(absent(B)).toEqual([{ memberId: m2, lastAttendedOn: null }]);
  });

  it('asks nothing of a window that has not ended by today', async () => {
    const report = await organizationalLifeReport(h.pool, '2024-11-15', R, '2024-01', '2024-12');
    expect(kindOf(report, C, 'general-meeting')).toMatchObject({ required: 3, held: 3, met: true });
    expect(kindOf(report, C, 'theme-day')).toMatchObject({ required: 10 });
  });

  it('takes its frequencies as settings: a lecture every month, group meetings not required', async () => {
    const report = await organizationalLifeReport(h.pool, '2025-01-15', R, '2024-01', '2024-06', {
      'general-meeting': 3,
      'committee-meeting': 1,
      'group-meeting': 0,
      'party-lecture': 1,
      'theme-day': 1,
      'life-meeting': 12,
    });
    expect(kindOf(report, C, 'party-lecture')).toMatchObject({ required: 6, held: 0 });
    expect(kindOf(report, C, 'group-meeting')).toMatchObject({ required: 0, met: true });
    expect(kindOf(report, C, 'life-meeting')).toMatchObject({ required: 0 });
  });

  it('replays twice to the same rows', () => expectReplayedTwiceUnchanged(h, 'meetings'));
});
