import { randomUUID } from 'node:crypto';
import {
  applyBatch,
  generationsOf,
  hierarchyProjection,
  organizationAsOf,
  organizationTree,
} from '@registry/projections';
import type { ProjectionHarness } from '../../../../test/support/projection-harness';
import {
  A,
  B,
  C,
  expectReplayedTwiceUnchanged,
  R,
  recordRetroactiveChanges,
  register,
  shape,
  startWithRegistry,
} from '../../test/registry-scenario';

describe('hierarchy read model against PostgreSQL', () => {
  let h: ProjectionHarness;

  beforeAll(async () => {
    h = await startWithRegistry({ retroactiveChanges: false });
  });

  afterAll(() => h.close());

  it('answers the tree for dates before and after each change', async () => {
    // J and S were established on 2020-06-01.
    expect(shape(await organizationTree(h.pool, R, '2020-02-15'))).toBe(
      'R(0/0/0/0/0)[A(0/0/0/0/0)[B(0/0/0/0/0)],C(0/0/0/0/0)]',
    );
    expect(shape(await organizationTree(h.pool, R, '2020-06-01'))).toBe(
      'R(3/2/1/0/0)[A(2/1/1/0/0)[B(2/1/1/0/0)],C(1/1/0/0/0),J(0/0/0/0/0),S(0/0/0/0/0)]',
    );
    expect(shape(await organizationTree(h.pool, R, '2022-06-01'))).toBe(
      'R(3/3/0/1/1)[A(2/2/0/1/0)[B(2/2/0/1/0)],C(1/1/0/0/1),J(0/0/0/0/0),S(0/0/0/0/0)]',
    );
    expect(shape(await organizationTree(h.pool, R, '2022-06-01', 0))).toBe('R(3/3/0/1/1)');
    await expect(organizationTree(h.pool, B, '2020-01-15')).rejects.toThrow(/did not exist on 2020-01-15/);
  });

  it('corrects every later as-of answer after a retroactive re-parenting and transfer', async () => {
    await recordRetroactiveChanges(h);
    await h.rebuildAll();

    expect(shape(await organizationTree(h.pool, R, '2020-04-30'))).toBe(
      'R(3/2/1/0/0)[A(2/1/1/0/0)[B(2/1/1/0/0)],C(1/1/0/0/0)]',
    );
    expect(shape(await organizationTree(h.pool, R, '2020-06-01'))).toBe(
      'R(3/2/1/0/0)[A(1/0/1/0/0)[B(1/0/1/0/0)],C(2/2/0/0/0),J(0/0/0/0/0),S(0/0/0/0/0)]',
    );
    expect(shape(await organizationTree(h.pool, R, '2021-06-01'))).toBe(
      'R(3/3/0/0/0)[A(0/0/0/0/0),C(3/3/0/0/0)[B(1/1/0/0/0)],J(0/0/0/0/0),S(0/0/0/0/0)]',
    );
    // A is gone after its dissolution; B keeps its place under C.
    expect(shape(await organizationTree(h.pool, R, '2022-06-01'))).toBe(
      'R(3/3/0/1/1)[C(3/3/0/1/1)[B(1/1/0/1/0)],J(0/0/0/0/0),S(0/0/0/0/0)]',
    );

    const b = await organizationAsOf(h.pool, B, '2021-06-01');
    expect(b).toMatchObject({ name: 'B', parentId: C, validFrom: '2021-01-01', counts: { members: 1, full: 1 } });
    expect((await organizationAsOf(h.pool, A, '2021-06-01')).childCount).toBe(0);
  });

  it('replayed twice gives the same rows', async () => {
    await expectReplayedTwiceUnchanged(h, 'hierarchy');
  });
});

describe('hierarchy tree answers kept per checkpoint', () => {
  let h: ProjectionHarness;

  beforeAll(async () => {
    h = await startWithRegistry({ retroactiveChanges: false });
  });

  afterAll(() => h.close());

  it('answers a repeated question with the tree it built, until the hierarchy applies anything more', async () => {
    const first = await organizationTree(h.pool, R, '2022-06-01');
    expect(await organizationTree(h.pool, R, '2022-06-01')).toBe(first);
    expect(Object.isFrozen(first.children[0]?.counts)).toBe(true);
    expect(await organizationTree(h.pool, R, '2022-06-01', 0)).not.toBe(first);

    // A member registered later in B, back-dated to 2021: the live generation applies it as the runner would.
    const member = randomUUID();
    await h.record(`member-${member}`, 'MemberRegistered', register(member, B, 'full', '2021-05-01'));
    const live = (await generationsOf(h.pool, ['hierarchy'])).find((g) => g.state === 'live');
    if (!live) throw new Error('no live hierarchy generation');
    const page = await h.store.readAll({
      after: live.position,
      limit: 100,
      categories: hierarchyProjection.categories,
    });
    expect(page.events).toHaveLength(1);
    const outcome = await applyBatch(h.pool, hierarchyProjection, h.services, live, page.events, page.checkpoint);
    expect(outcome.kind).toBe('applied');

    const after = await organizationTree(h.pool, R, '2022-06-01');
    expect(after).not.toBe(first);
    expect(after.counts.members).toBe(first.counts.members + 1);
    expect(shape(after)).toBe('R(4/4/0/1/1)[A(3/3/0/1/0)[B(3/3/0/1/0)],C(1/1/0/0/1),J(0/0/0/0/0),S(0/0/0/0/0)]');
  });
});
