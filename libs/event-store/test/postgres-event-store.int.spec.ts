import { randomUUID } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { PostgresEventStore } from '@registry/event-store';
import { createPool } from '@registry/postgres';
import { createTestDatabase } from '../../../test/support/test-database';
import { event, eventStoreContract, type ContractFixture } from './contract';

/** What someone with direct write access to the database could do; the append-only trigger is bypassed. */
async function asIntruder(url: string, sql: string, values: unknown[]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SET session_replication_role = replica');
    await client.query(sql, values);
  } finally {
    await client.end();
  }
}

eventStoreContract(
  'PostgreSQL',
  async (): Promise<ContractFixture> => {
    const database = await createTestDatabase();
    const pool: Pool = createPool({ url: database.url, max: 12 });
    const store = new PostgresEventStore(pool, { pollIntervalMs: 100 });
    return {
      store,
      appendHoldingCommit: (batches, holdMs) =>
        store.transaction(async (tx) => {
          for (const batch of batches) await tx.append(batch.streamId, batch.events, batch.expected);
          await tx.query('SELECT pg_sleep($1)', [holdMs / 1000]);
        }),
      tamper: {
        alterData: (event) =>
          asIntruder(
            database.url,
            `UPDATE event_store.events SET data = data || '{"amountFen": 1}' WHERE position = $1`,
            [event.position.toString()],
          ),
        deleteEvent: (event) =>
          asIntruder(database.url, 'DELETE FROM event_store.events WHERE position = $1', [event.position.toString()]),
      },
      dispose: async () => {
        await store.close();
        await pool.end();
        await database.drop();
      },
    };
  },
  { canTamper: true },
);

describe('PostgreSQL event store: waking subscribers in other processes', () => {
  it('delivers through LISTEN/NOTIFY long before the poll interval', async () => {
    const database = await createTestDatabase();
    const writerPool = createPool({ url: database.url, max: 2 });
    const readerPool = createPool({ url: database.url, max: 2 });
    const writer = new PostgresEventStore(writerPool);
    // Another process's store: polling alone would take a minute.
    const reader = new PostgresEventStore(readerPool, { pollIntervalMs: 60_000 });
    try {
      const seen: string[] = [];
      const subscription = reader.subscribe({ handle: async (events) => void seen.push(...events.map((e) => e.id)) });
      await new Promise((resolve) => setTimeout(resolve, 300)); // first empty read done, LISTEN in place
      const appended: string[] = [];
      for (let i = 0; i < 3; i++) {
        const e = event('UnitRegistered', { i });
        appended.push(e.id);
        await writer.append(`unit-${randomUUID()}`, [e], 'no-stream');
      }
      const started = Date.now();
      while (seen.length < 3 && Date.now() - started < 10_000) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(seen).toEqual(appended);
      expect(Date.now() - started).toBeLessThan(10_000);
      await subscription.stop();
    } finally {
      await writer.close();
      await reader.close();
      await writerPool.end();
      await readerPool.end();
      await database.drop();
    }
  });
});

describe('PostgreSQL event store: the read horizon', () => {
  async function openWriterTransaction(url: string): Promise<Client> {
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query('BEGIN');
    await client.query('SELECT pg_current_xact_id()');
    return client;
  }

  it('is not held back by a transaction in another database of the cluster', async () => {
    const database = await createTestDatabase();
    const neighbour = await createTestDatabase();
    const pool = createPool({ url: database.url, max: 2 });
    const store = new PostgresEventStore(pool);
    const longTransaction = await openWriterTransaction(neighbour.url);
    try {
      const appended = event('UnitRegistered');
      const result = await store.append(`unit-${randomUUID()}`, [appended], 'no-stream');
      const page = await store.readAll();
      expect(page.events.map((e) => e.id)).toEqual([appended.id]);
      expect(await store.headPosition()).toBe(result.position);
    } finally {
      await longTransaction.query('ROLLBACK');
      await longTransaction.end();
      await store.close();
      await pool.end();
      await database.drop();
      await neighbour.drop();
    }
  });

  it('is held back by a running transaction of its own database, and then moves on', async () => {
    const database = await createTestDatabase();
    const pool = createPool({ url: database.url, max: 2 });
    const store = new PostgresEventStore(pool);
    const earlier = await openWriterTransaction(database.url);
    try {
      const later = event('UnitRegistered');
      await store.append(`unit-${randomUUID()}`, [later], 'no-stream');
      const held = await store.readAll();
      expect(held.events).toEqual([]);
      await earlier.query('COMMIT');
      expect((await store.readAll()).events.map((e) => e.id)).toEqual([later.id]);
    } finally {
      await earlier.end();
      await store.close();
      await pool.end();
      await database.drop();
    }
  });
});
