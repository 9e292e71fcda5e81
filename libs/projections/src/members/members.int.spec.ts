import type { ProjectionHarness } from '../../../../test/support/projection-harness';
import { randomUUID } from 'node:crypto';
import { lostContactReport } from '@registry/projections';
import {
  B,
  expectReplayedTwiceUnchanged,
  m1,
  m3,
  memberNames,
  R,
  register,
  startWithRegistry,
} from '../../test/registry-scenario';

describe('members read model against PostgreSQL', () => {
  const names = memberNames();
  let h: ProjectionHarness;

  beforeAll(async () => {
    h = await startWithRegistry({ names });
  });

  afterAll(() => h.close());

  it('keeps names only until the person is forgotten, and a rebuild does not bring them back', async () => {
    const name = async (): Promise<string | null> =>
      (await h.pool.query<{ name: string | null }>('SELECT name FROM reporting.members WHERE member_id = $1', [m3]))
        .rows[0]!.name;
    expect(await name()).toBe('王五');
    await h.record(`member-${m3}`, 'PersonalDataForgotten', { memberId: m3 });
    names.delete(m3); // the vault's key is gone
    await h.rebuildAll();
    expect(await name()).toBeNull();
  });

  it('keeps probation, suspension and contact, and flags who is due a decision', async () => {
    const m4 = randomUUID();
    await h.record(
      `member-${m4}`,
      'MemberRegistered',
      register(m4, B, 'probationary', '2023-05-01', { joinedOn: '2023-05-01' }),
    );
    await h.record(`member-${m4}`, 'ProbationExtended', {
      memberId: m4,
      months: 6,
      decidedOn: '2024-05-01',
      reason: '需继续考察',
      probationEndsOn: '2024-11-01',
    });
    await h.record(`member-${m1}`, 'MemberLostContact', { memberId: m1, since: '2023-01-01' });
    await h.record(`member-${m1}`, 'MemberSuspended', { memberId: m1, decidedOn: '2023-08-01' });
    await h.record(`member-${m3}`, 'MemberLostContact', { memberId: m3, since: '2024-01-15' });
    await h.rebuildAll();

    const row = async (memberId: string): Promise<Record<string, string | null> | undefined> =>
      (
        await h.pool.query<Record<string, string | null>>(
          `SELECT standing, full_since::text, probation_ends_on::text, suspended_on::text FROM reporting.members WHERE member_id = $1`,
          [memberId],
        )
      ).rows[0];
    expect(await row(m4)).toEqual({
      standing: 'probationary',
      full_since: null,
      probation_ends_on: '2024-11-01',
      suspended_on: null,
    });
    expect(await row(m1)).toEqual({
      standing: 'full',
      full_since: '2020-01-01',
      probation_ends_on: null,
      suspended_on: '2023-08-01',
    });

    const flags = async (today: string) =>
      Object.fromEntries((await lostContactReport(h.pool, today, R)).map((r) => [r.memberId, [r.months, r.flag]]));
    expect(await flags('2024-06-30')).toEqual({ [m1]: [17, null], [m3]: [5, null] });
    expect(await flags('2024-07-15')).toEqual({ [m1]: [18, null], [m3]: [6, 'suspension-due'] });
    expect(await flags('2025-08-01')).toEqual({ [m1]: [31, 'removal-due'], [m3]: [18, 'suspension-due'] });
  });

  it('replayed twice gives the same rows', async () => {
    await expectReplayedTwiceUnchanged(h, 'members');
  });
});
