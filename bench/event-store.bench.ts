/**
 * npm run bench -- event-store
 *
 * The registry's PostgreSQL event store against (a) Emmett's PostgreSQL event store on the same
 * server and (b) the physical ceiling: a bare single-row autocommit INSERT per event, COPY for
 * batches, and a bare keyset SELECT for reads. Each workload runs several rounds, the systems
 * interleaved in rotating order; the table shows medians. The last line is one JSON object.
 */
import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { migrateEventStore, PostgresEventStore, type EventToAppend } from '@registry/event-store';
import { benchServer, format, inParallel, median, rate, table } from './support';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const READ_ROUNDS = Number(process.env.BENCH_READ_ROUNDS ?? 3);
const SINGLE_APPENDS = Number(process.env.BENCH_SINGLE_APPENDS ?? 1000);
const CONCURRENT_WRITERS = 16;
const CONCURRENT_APPENDS_EACH = Number(process.env.BENCH_CONCURRENT_APPENDS_EACH ?? 150);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 40);
const BATCH_SIZE = 100;
const LOG_SIZE = Number(process.env.BENCH_LOG_SIZE ?? 200_000);
const PAGE = 1000;
const POOL_SIZE = 10; // pg's default, which Emmett's pool uses too

interface Payload {
  readonly type: string;
  readonly data: Record<string, string | number>;
  readonly metadata: Record<string, string>;
}

function payload(i: number): Payload {
  return {
    type: 'DuesPaid',
    data: {
      memberId: randomUUID(),
      month: `2024-${String((i % 12) + 1).padStart(2, '0')}`,
      amountFen: 2300,
      channel: 'wechat',
      paidOn: '2024-02-01',
    },
    metadata: { actor: 'bench', correlationId: randomUUID(), causationId: randomUUID(), requestId: randomUUID() },
  };
}

interface System {
  readonly name: string;
  appendOne(streamId: string, expected: number, event: Payload): Promise<void>;
  appendMany(streamId: string, events: readonly Payload[]): Promise<void>;
  readAll(): Promise<number>;
  catchUp(total: number): Promise<void>;
  /** Rows actually stored, counted with SQL, to compare with what `readAll` returned. */
  storedCount(): Promise<number>;
  close(): Promise<void>;
}

async function countRows(url: string, table: string): Promise<number> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    return Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  } finally {
    await pool.end();
  }
}

async function registrySystem(url: string): Promise<System> {
  await migrateEventStore(url);
  const pool = new Pool({ connectionString: url, max: POOL_SIZE });
  const store = new PostgresEventStore(pool, { pollIntervalMs: 50 });
  const toAppend = (event: Payload): EventToAppend => ({ id: randomUUID(), ...event });
  return {
    name: 'registry',
    appendOne: async (streamId, expected, event) => void (await store.append(streamId, [toAppend(event)], expected)),
    appendMany: async (streamId, events) => void (await store.append(streamId, events.map(toAppend), 'no-stream')),
    readAll: async () => {
      let count = 0;
      let after = 0n;
      for (;;) {
        const page = await store.readAll({ after, limit: PAGE });
        count += page.events.length;
        after = page.checkpoint;
        if (page.caughtUp) return count;
      }
    },
    catchUp: async (total) => {
      let seen = 0;
      let reached: () => void = () => undefined;
      const done = new Promise<void>((resolve) => (reached = resolve));
      const subscription = store.subscribe({
        batchSize: PAGE,
        handle: (events) => {
          seen += events.length;
          if (seen >= total) reached();
          return Promise.resolve();
        },
      });
      await done;
      await subscription.stop();
    },
    storedCount: () => countRows(url, 'event_store.events'),
    close: async () => {
      await store.close();
      await pool.end();
    },
  };
}

async function emmettSystem(url: string): Promise<System & { addUpstreamIndexes(): Promise<void> }> {
  const { getPostgreSQLEventStore, readMessagesBatch, postgreSQLEventStoreMessageBatchPuller } =
    await import('@event-driven-io/emmett-postgresql');
  const { dumbo } = await import('@event-driven-io/dumbo');
  const store = getPostgreSQLEventStore(url);
  await store.schema.migrate();
  const reader = dumbo({ connectionString: url });
  return {
    name: 'emmett',
    appendOne: async (streamId, expected, event) =>
      void (await store.appendToStream(streamId, [event], { expectedStreamVersion: BigInt(expected) })),
    appendMany: async (streamId, events) =>
      void (await store.appendToStream(streamId, [...events], { expectedStreamVersion: 0n })),
    readAll: async () => {
      let count = 0;
      let after = 0n;
      for (;;) {
        const batch = await readMessagesBatch(reader.execute, { after, batchSize: PAGE });
        count += batch.messages.length;
        after = batch.currentGlobalPosition;
        if (!batch.areMessagesLeft) return count;
      }
    },
    catchUp: async (total) => {
      let seen = 0;
      const puller = postgreSQLEventStoreMessageBatchPuller({
        executor: reader.execute,
        batchSize: PAGE,
        pullingFrequencyInMs: 0,
        signal: new AbortController().signal,
        eachBatch: (messages) => {
          seen += messages.length;
          return Promise.resolve(seen >= total ? { type: 'STOP' as const } : undefined);
        },
      });
      await puller.start({ startFrom: 'BEGINNING' });
    },
    // The indexes upstream added after 0.42.0 (emmett PRs #378/#379); without them every batch scans the table.
    addUpstreamIndexes: async () => {
      const pool = new Pool({ connectionString: url, max: 1 });
      await pool.query(
        'CREATE INDEX IF NOT EXISTS bench_emt_messages_global_position ON emt_messages (global_position)',
      );
      await pool.query(
        'CREATE INDEX IF NOT EXISTS bench_emt_messages_tx_position ON emt_messages (transaction_id, global_position)',
      );
      await pool.query('ANALYZE emt_messages');
      await pool.end();
    },
    storedCount: () => countRows(url, 'emt_messages'),
    close: async () => {
      await reader.close();
      await store.close();
    },
  };
}

function copyText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
}

async function bareSystem(url: string): Promise<System> {
  const pool = new Pool({ connectionString: url, max: POOL_SIZE });
  await pool.query(`CREATE TABLE bare_events (
    position bigserial PRIMARY KEY, stream_id text NOT NULL, stream_version bigint NOT NULL,
    event_id uuid NOT NULL, event_type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now())`);
  const copy = async (client: PoolClient, streamId: string, events: readonly Payload[]): Promise<void> => {
    const stream = client.query(
      copyFrom('COPY bare_events (stream_id, stream_version, event_id, event_type, data, metadata) FROM STDIN'),
    );
    const lines = events.map(
      (e, i) =>
        `${copyText(streamId)}\t${i + 1}\t${randomUUID()}\t${e.type}\t${copyText(JSON.stringify(e.data))}\t${copyText(JSON.stringify(e.metadata))}\n`,
    );
    await new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
      stream.end(lines.join(''));
    });
  };
  return {
    name: 'bare INSERT / COPY',
    appendOne: async (streamId, expected, event) =>
      void (await pool.query({
        name: 'bare_insert',
        text: 'INSERT INTO bare_events (stream_id, stream_version, event_id, event_type, data, metadata) VALUES ($1, $2, $3, $4, $5, $6)',
        values: [streamId, expected + 1, randomUUID(), event.type, event.data, event.metadata],
      })),
    appendMany: async (streamId, events) => {
      const client = await pool.connect();
      try {
        await copy(client, streamId, events);
      } finally {
        client.release();
      }
    },
    readAll: async () => {
      let count = 0;
      let after = '0';
      for (;;) {
        const { rows } = await pool.query<{ position: string }>({
          name: 'bare_read',
          text: 'SELECT position, stream_id, stream_version, event_id, event_type, data, metadata, recorded_at FROM bare_events WHERE position > $1 ORDER BY position LIMIT $2',
          values: [after, PAGE],
        });
        count += rows.length;
        if (rows.length < PAGE) return count;
        after = rows[rows.length - 1]!.position;
      }
    },
    catchUp: () => Promise.reject(new Error('the bare table has no subscription')),
    storedCount: () => countRows(url, 'bare_events'),
    close: () => pool.end(),
  };
}

type Measurements = Map<string, Map<string, number[]>>;

function record(measurements: Measurements, workload: string, system: string, value: number): void {
  const bySystem = measurements.get(workload) ?? new Map<string, number[]>();
  measurements.set(workload, bySystem);
  bySystem.set(system, [...(bySystem.get(system) ?? []), value]);
}

function rotated<T>(items: readonly T[], round: number): T[] {
  return items.map((_, i) => items[(i + round) % items.length]!);
}

async function main(): Promise<void> {
  const server = await benchServer();
  console.log(`event-store benchmark on ${server.describe}`);
  console.log(
    `rounds ${ROUNDS} (reads ${READ_ROUNDS}); pools of ${POOL_SIZE} connections; ${new Date().toISOString()}\n`,
  );
  const registry = await registrySystem(await server.database('bench_registry'));
  const emmett = await emmettSystem(await server.database('bench_emmett'));
  const bare = await bareSystem(await server.database('bench_bare'));
  const systems: System[] = [registry, emmett, bare];
  const measurements: Measurements = new Map();

  for (let round = 0; round < ROUNDS; round++) {
    for (const system of rotated(systems, round)) {
      const tag = `${system.name.replace(/\W+/g, '')}${round}`;
      record(
        measurements,
        'append 1 event, 1 writer',
        system.name,
        await rate(SINGLE_APPENDS, async () => {
          const versions = new Array<number>(100).fill(0);
          for (let i = 0; i < SINGLE_APPENDS; i++) {
            const slot = i % versions.length;
            await system.appendOne(`member-s1${tag}x${slot}`, versions[slot]!, payload(i));
            versions[slot]! += 1;
          }
        }),
      );
      record(
        measurements,
        `append 1 event, ${CONCURRENT_WRITERS} writers`,
        system.name,
        await rate(CONCURRENT_WRITERS * CONCURRENT_APPENDS_EACH, () =>
          inParallel(CONCURRENT_WRITERS, async (w) => {
            const versions = new Array<number>(10).fill(0);
            for (let i = 0; i < CONCURRENT_APPENDS_EACH; i++) {
              const slot = i % versions.length;
              await system.appendOne(`member-s16${tag}w${w}x${slot}`, versions[slot]!, payload(i));
              versions[slot]! += 1;
            }
          }),
        ),
      );
      record(
        measurements,
        `append ${BATCH_SIZE}-event batches`,
        system.name,
        await rate(BATCHES * BATCH_SIZE, async () => {
          for (let b = 0; b < BATCHES; b++) {
            await system.appendMany(
              `member-b${tag}x${b}`,
              Array.from({ length: BATCH_SIZE }, (_, i) => payload(i)),
            );
          }
        }),
      );
    }
    process.stderr.write(`append round ${round + 1}/${ROUNDS} done\n`);
  }

  // Fill every log to LOG_SIZE+ events for the read workloads (4 loaders, 1000-event batches).
  for (const system of systems) {
    const started = Date.now();
    const chunks = Math.ceil(LOG_SIZE / 1000);
    await inParallel(4, async (loader) => {
      for (let c = loader; c < chunks; c += 4) {
        await system.appendMany(
          `organization-load${c}`,
          Array.from({ length: 1000 }, (_, i) => payload(i)),
        );
      }
    });
    process.stderr.write(`loaded ${chunks * 1000} events into ${system.name} in ${Date.now() - started} ms\n`);
  }

  const totals = new Map<string, number>();
  const readRounds = async (label: string, list: readonly System[]): Promise<void> => {
    for (let round = 0; round < READ_ROUNDS; round++) {
      for (const system of rotated(list, round)) {
        let count = 0;
        const seconds = await rate(1, async () => void (count = await system.readAll()));
        totals.set(system.name, count);
        record(measurements, `readAll ${label}`, system.name, count * seconds);
      }
      for (const system of rotated(
        list.filter((s) => s !== bare),
        round,
      )) {
        const total = totals.get(system.name)!;
        record(
          measurements,
          `catch-up subscription ${label}`,
          system.name,
          await rate(total, () => system.catchUp(total)),
        );
      }
    }
  };
  await readRounds('(Emmett 0.42.0 as shipped)', systems);
  await emmett.addUpstreamIndexes();
  const emmettIndexed: System = { ...emmett, name: 'emmett + upstream indexes' };
  await readRounds('(Emmett with upstream indexes)', [registry, emmettIndexed]);
  for (const system of systems) {
    const stored = await system.storedCount();
    const read = totals.get(system.name) ?? 0;
    const note = read === stored ? '' : `  <-- MISMATCH: ${read > stored ? 'duplicates' : 'events skipped'}`;
    console.log(`${system.name}: ${stored} events stored, ${read} returned by one full readAll${note}`);
  }
  console.log('');

  const rows: string[][] = [];
  for (const [workload, bySystem] of measurements) {
    const ours = median(bySystem.get('registry') ?? [NaN]);
    for (const [system, values] of bySystem) {
      const value = median(values);
      rows.push([workload, system, format(value), system === 'registry' ? '1.00' : (ours / value).toFixed(2)]);
    }
  }
  console.log(table(['workload', 'system', 'events/s (median)', 'registry ÷ system'], rows));

  const ratio = (workload: string, other: string): number =>
    median(measurements.get(workload)!.get('registry')!) / median(measurements.get(workload)!.get(other)!);
  const appendWorkloads = [
    'append 1 event, 1 writer',
    `append 1 event, ${CONCURRENT_WRITERS} writers`,
    `append ${BATCH_SIZE}-event batches`,
  ];
  const result = {
    appendVsEmmett: Math.min(...appendWorkloads.map((w) => ratio(w, 'emmett'))),
    appendVsBareInsert: Math.min(...appendWorkloads.slice(0, 2).map((w) => ratio(w, 'bare INSERT / COPY'))),
    readVsEmmett: ratio('readAll (Emmett with upstream indexes)', 'emmett + upstream indexes'),
    catchUpVsEmmett: ratio('catch-up subscription (Emmett with upstream indexes)', 'emmett + upstream indexes'),
  };
  console.log(
    '\nratios are the minimum over the append workloads and use Emmett with its upstream indexes (the stricter comparison)',
  );
  console.log(
    `batchVsCopy (not a target): ${ratio(`append ${BATCH_SIZE}-event batches`, 'bare INSERT / COPY').toFixed(2)}`,
  );

  await registry.close();
  await emmett.close();
  await bare.close();
  await server.stop();
  console.log(JSON.stringify(Object.fromEntries(Object.entries(result).map(([k, v]) => [k, Number(v.toFixed(2))]))));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
