import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generationsOf,
  inTransaction,
  liveGeneration,
  organizationTree,
  type ProjectionDefinition,
  Projector,
  rebuildProjection,
  retryProjection,
  keyedTable,
  skipFailedEvent,
} from '@registry/projections';
import { generatedRegistry, loadGenerated, SHANGHAI_ROOT } from '../../../test/support/generated-registry';
import { cleanEnvironment, startNode, type Started } from '../../../test/support/processes';
import { startProjectionHarness, type ProjectionHarness } from '../../../test/support/projection-harness';
import { until } from '../../../test/support/until';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** Counts events per stream; refuses the event whose data says `poison`. */
const SEEN = keyedTable<{ stream_id: string; events: number }>('seen', 'stream_id', {
  stream_id: 'text',
  events: 'integer',
});

const poisonable: ProjectionDefinition = {
  name: 'poisonable',
  version: 1,
  description: 'test projection that cannot apply poisoned events',
  categories: ['member', 'organization', 'unit'],
  createTables: (s) => `CREATE TABLE ${s}.seen (stream_id text PRIMARY KEY, events integer NOT NULL);`,
  createIndexes: () => '',
  views: (s) => [{ name: 'test_seen', comment: 'test', select: `SELECT * FROM ${s}.seen` }],
  async apply(tables, events) {
    const seen = tables.keyed(SEEN);
    for (const event of events) {
      if (event.data.poison === true) throw new Error(`cannot apply poisoned event ${event.id}`);
      const rows = await seen.load([event.streamId]);
      await seen.upsert([{ stream_id: event.streamId, events: (rows.get(event.streamId)?.events ?? 0) + 1 }]);
    }
  },
};

describe('the projector runtime', () => {
  let h: ProjectionHarness;

  beforeEach(async () => {
    h = await startProjectionHarness();
  });
  afterEach(() => h.close());

  it('stops one projection on an event it cannot apply, records it, lets the others go on; retry and skip', async () => {
    const hierarchy = h.definitions.find((d) => d.name === 'hierarchy')!;
    const projector = new Projector(h.pool, h.store, [poisonable, hierarchy], h.services, {
      batchSize: 50,
      idleMs: 100,
      logger: quiet,
    });
    await h.record('unit-00000000-0000-4000-8000-000000000001', 'Harmless', { n: 1 });
    const poisonAt = await h.record('unit-00000000-0000-4000-8000-000000000002', 'Poison', { poison: true });
    const after = await h.record('organization-00000000-0000-4000-8000-00000000000a', 'OrganizationEstablished', {
      organizationId: '00000000-0000-4000-8000-00000000000a',
      name: 'R',
      level: 'committee',
      form: 'regional',
      regionCode: '310000',
      unitIds: [],
      establishedOn: '2020-01-01',
    });
    await projector.start();
    try {
      await until(
        async () => (await liveGeneration(h.pool, 'hierarchy'))!.position >= after,
        10_000,
        'hierarchy to catch up',
      );
      await until(
        async () => (await liveGeneration(h.pool, 'poisonable'))!.status === 'stopped',
        10_000,
        'the poisonable projection to stop',
      );
      const stopped = (await liveGeneration(h.pool, 'poisonable'))!;
      expect(stopped.failure).toMatchObject({
        position: poisonAt,
        eventType: 'Poison',
        streamId: 'unit-00000000-0000-4000-8000-000000000002',
        error: expect.stringMatching(/cannot apply poisoned event/),
      });
      expect(stopped.position).toBeLessThan(poisonAt);
      expect((await h.pool.query('SELECT stream_id FROM reporting.test_seen')).rows).toEqual([
        { stream_id: 'unit-00000000-0000-4000-8000-000000000001' },
      ]);
      const status = await projector.status();
      expect(status.find((s) => s.name === 'poisonable')).toMatchObject({ status: 'stopped', lagEvents: 2 });
      expect(status.find((s) => s.name === 'hierarchy')).toMatchObject({ status: 'running', lagEvents: 0 });

      // Retrying meets the same event again and stops again.
      await retryProjection(h.pool, 'poisonable');
      await until(
        async () => (await liveGeneration(h.pool, 'poisonable'))!.failure !== null,
        10_000,
        'the retry to fail again',
      );
      await expect(skipFailedEvent(h.pool, 'poisonable', poisonAt + 1n, 'tester')).rejects.toThrow(
        /failed at position/,
      );
      await skipFailedEvent(h.pool, 'poisonable', poisonAt, 'tester');
      await until(
        async () => (await liveGeneration(h.pool, 'poisonable'))!.position >= after,
        10_000,
        'the projection to go on after the skip',
      );
      expect((await h.pool.query('SELECT count(*)::int AS n FROM reporting.test_seen')).rows[0]).toEqual({ n: 2 });
      expect((await h.pool.query('SELECT event_type, skipped_by FROM projections.skipped_events')).rows).toEqual([
        { event_type: 'Poison', skipped_by: 'tester' },
      ]);
    } finally {
      await projector.stop();
    }
  });

  it('commits read-model batches without waiting for the WAL flush; other transactions still wait', async () => {
    const setting = (durableCommit?: boolean) =>
      inTransaction(
        h.pool,
        async (client) => (await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]!,
        durableCommit === undefined ? {} : { durableCommit },
      );
    expect(await setting(false)).toEqual({ synchronous_commit: 'off' });
    // Others keep the server's own setting (the test server may run with it off already).
    const serverDefault = (await h.pool.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0];
    expect(await setting()).toEqual(serverDefault);

    const begun: string[] = [];
    const connect = h.pool.connect.bind(h.pool);
    // Transactions take a client with `connect()`; `pool.query` passes a callback and is left alone.
    const spy = jest.spyOn(h.pool, 'connect').mockImplementation(((callback?: unknown) => {
      if (typeof callback === 'function') return (connect as (cb: unknown) => void)(callback);
      return connect().then((client) => {
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        (client as { query: unknown }).query = (...args: unknown[]) => {
          if (typeof args[0] === 'string' && args[0].startsWith('BEGIN')) begun.push(args[0]);
          return query(...args);
        };
        return client;
      });
    }) as never);
    const projector = new Projector(h.pool, h.store, [poisonable], h.services, {
      batchSize: 50,
      idleMs: 100,
      logger: quiet,
    });
    try {
      const at = await h.record('unit-00000000-0000-4000-8000-000000000003', 'Harmless', { n: 1 });
      await projector.start();
      await until(async () => (await liveGeneration(h.pool, 'poisonable'))!.position >= at, 10_000, 'the batch');
    } finally {
      await projector.stop();
      spy.mockRestore();
    }
    expect(begun).toContain('BEGIN; SET LOCAL synchronous_commit TO off');
  });

  it('rebuilds beside the live generation while it keeps answering, then switches', async () => {
    await loadGenerated(
      h.store,
      generatedRegistry({ units: 300, branches: 40, members: 3000, transferEvery: 10, duesEvery: 5 }),
    );
    const hierarchy = h.definitions.find((d) => d.name === 'hierarchy')!;
    await rebuildProjection(h.pool, h.store, hierarchy, h.services);
    const expected = await organizationTree(h.pool, SHANGHAI_ROOT, '2026-01-01');
    let answered = 0;
    let rebuilding = true;
    const reader = (async () => {
      while (rebuilding) {
        expect(await organizationTree(h.pool, SHANGHAI_ROOT, '2026-01-01')).toEqual(expected);
        answered += 1;
      }
    })();
    const result = await rebuildProjection(h.pool, h.store, hierarchy, h.services, { batchSize: 100 });
    rebuilding = false;
    await reader;
    expect(answered).toBeGreaterThan(3);
    expect(result).toMatchObject({ from: 2, to: 3 });
    expect((await generationsOf(h.pool, ['hierarchy'])).map((g) => [g.generation, g.state])).toEqual([[3, 'live']]);
    expect(
      (await h.pool.query(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'projection_hierarchy_g%'`))
        .rows[0],
    ).toEqual({ n: 1 });
  });

  it('after kill -9 of the projector in mid-batch and a restart, every read model equals a clean rebuild', async () => {
    const loaded = await loadGenerated(
      h.store,
      generatedRegistry({ units: 600, branches: 60, members: 6_000, transferEvery: 8, duesEvery: 4 }, 7),
    );
    const head = await h.store.headPosition();
    const dataDir = mkdtempSync(join(tmpdir(), 'registry-projector-'));
    const env = cleanEnvironment({
      DATABASE_URL: h.url,
      DATA_DIR: dataDir,
      PROJECTOR_BATCH_SIZE: '300',
      LOG_LEVEL: 'warn',
    });
    // tsx as a loader in the one node process (its CLI would put a wrapper process in between, and
    // SIGKILL would reach only the wrapper).
    const start = (): Started =>
      startNode(join(process.cwd(), 'apps/projector/src/main.ts'), env, process.cwd(), [], ['--import', 'tsx']);
    const positions = async () =>
      (await generationsOf(h.pool)).filter((g) => g.state === 'live').map((g) => g.position);
    try {
      const first = start();
      await until(
        async () => (await positions()).some((p) => p > 0n),
        60_000,
        `the projector to apply a batch (${first.output()})`,
      );
      first.child.kill('SIGKILL');
      expect(await first.exited()).toBe('SIGKILL');
      const atKill = await positions();
      expect(atKill.some((p) => p < head)).toBe(true); // it died before the end of the log

      const second = start();
      try {
        await until(
          async () => (await positions()).every((p) => p >= head),
          120_000,
          `the restarted projector to catch up (${second.output()})`,
        );
      } finally {
        second.child.kill('SIGTERM');
        await second.exited();
      }
      const resumed = await h.snapshot();
      await h.rebuildAll();
      expect(await h.snapshot()).toEqual(resumed);
      expect(loaded).toBeGreaterThan(7_000);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
