import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { type EventToAppend, PostgresEventStore } from '@registry/event-store';
import { createPool } from '@registry/postgres';
import { logHeadAsOf } from '../src/postgres/log-head';
import { rewriteEventAndItsChain } from '../../../test/support/rewrite-history';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

function duesPaid(amountFen: number): EventToAppend {
  return {
    id: randomUUID(),
    type: 'DuesPaid',
    data: { amountFen, paidOn: '2026-11-30' },
    metadata: { actor: 'li.na' },
  };
}

describe('the log as of a position (what an anchor signs)', () => {
  let database: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  beforeEach(async () => {
    database = await createTestDatabase();
    pool = createPool({ url: database.url, max: 4 });
    store = new PostgresEventStore(pool, { pollIntervalMs: 100 });
  });
  afterEach(async () => {
    await store.close();
    await pool.end();
    await database.drop();
  });

  it('counts every stream and event up to the head, and stays the same after more appends', async () => {
    // Upper and lower case: "C" order (B before a) differs from most locales' (a before B).
    const paid = await store.append('member-B', [duesPaid(2_000), duesPaid(2_000)], 'no-stream');
    await store.append('member-a', [duesPaid(1_200)], 'no-stream');
    const anchored = await store.logHead();
    expect(anchored).toMatchObject({ streams: 2, events: 3 });
    expect(anchored.position).toBe(await store.headPosition());
    expect(anchored.position).toBeGreaterThan(paid.position);

    await store.append('member-B', [duesPaid(3_500)], 1 + 1);
    await store.append('member-c', [duesPaid(800)], 'no-stream');
    const later = await store.logHead();
    expect(later).toMatchObject({ streams: 3, events: 5 });
    expect(later.headsHash).not.toBe(anchored.headsHash);
    expect(await store.logHead(anchored.position)).toEqual(anchored);
  });

  it('changes when an event at or before the position is rewritten with its chain recomputed, which verify misses', async () => {
    const paid = await store.append('member-B', [duesPaid(2_000), duesPaid(2_000), duesPaid(3_500)], 'no-stream');
    await store.append('member-a', [duesPaid(1_200)], 'no-stream');
    const anchored = await store.logHead();

    await rewriteEventAndItsChain(database.url, paid.firstPosition + 1n, { amountFen: 1 });

    expect((await store.verify()).ok).toBe(true);
    const now = await store.logHead(anchored.position);
    expect(now).toMatchObject({ position: anchored.position, streams: 2, events: 4 });
    expect(now.headsHash).not.toBe(anchored.headsHash);
  });

  it('reads the stream heads page by page with the same result', async () => {
    for (const name of ['unit-Z', 'unit-a', 'unit-b', 'unit-é', 'unit-😀']) {
      await store.append(name, [duesPaid(100)], 'no-stream');
    }
    const head = await store.headPosition();
    const whole = await logHeadAsOf(pool, head, 5000);
    expect(whole.streams).toBe(5);
    expect(await logHeadAsOf(pool, head, 2)).toEqual(whole);
    expect(await logHeadAsOf(pool, head, 1)).toEqual(whole);
  });

  it('of an empty log: no streams, no events', async () => {
    expect(await store.logHead()).toMatchObject({ position: 0n, streams: 0, events: 0 });
  });
});
