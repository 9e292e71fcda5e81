import type { ProjectionHarness } from '../../../../test/support/projection-harness';
import { expectReplayedTwiceUnchanged, m3, memberNames, startWithRegistry } from '../../test/registry-scenario';

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

  it('replayed twice gives the same rows', async () => {
    await expectReplayedTwiceUnchanged(h, 'members');
  });
});
