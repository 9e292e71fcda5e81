/**
 * npm run bench -- relay
 *
 * 1. Throughput: the relay publishing ~200,000 stored events from the log to acknowledged Kafka
 *    writes (acks=all, idempotent producer), against a bare kafkajs producer sending the very same
 *    messages, prepared in memory beforehand, with the same settings and request sizes: the ceiling.
 *    Each is run three times (fresh topics each time); medians.
 * 2. Latency: a command posted to the API (relay in-process) until a Kafka consumer holds the
 *    message; p50/p95 over BENCH_LATENCY_COMMANDS commands sent one at a time.
 *
 * Kafka: KAFKA_BROKERS when set, else the project's own broker (scripts/kafka-broker.sh).
 * PostgreSQL: BENCH_DATABASE_URL when set, else an embedded one. The last line is JSON.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { loadConfig } from '@registry/config';
import { exampleCreditCode } from '@registry/domain';
import { migrateEventStore, PostgresEventStore } from '@registry/event-store';
import {
  chunkBySize,
  KafkaRelay,
  migrateRelay,
  readCheckpoint,
  type RelayMessage,
  relayMessageOf,
} from '@registry/relay';
import { freePort } from '@registry/postgres';
import { signToken } from '@registry/runtime';
import { generatedRegistry, loadGenerated } from '../test/support/generated-registry';
import { startScriptBroker } from '../test/support/kafka-broker';
import { waitForHealth } from '../test/support/processes';
import { benchServer, format, median, percentile, table } from './support';
import { until } from '../test/support/until';

/** Where the schemas the messages name would be served: CloudEvents wants an absolute `dataschema`. */
const PUBLIC_BASE_URL = 'http://127.0.0.1:3000';
const SCALE = Number(process.env.BENCH_SCALE ?? '0.2');
const RUNS = 3;
const LATENCY_COMMANDS = Number(process.env.BENCH_LATENCY_COMMANDS ?? '300');
const ROOT = join(__dirname, '..');
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret!';
const quiet = { log: () => undefined, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) };

async function createTopics(kafka: Kafka, prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: ['registry.units.v1', 'registry.organizations.v1', 'registry.members.v1'].map((topic) => ({
      topic: prefix + topic,
      numPartitions: 6,
      replicationFactor: 1,
    })),
  });
  await admin.disconnect();
}

/** The ceiling: the same messages, the same producer settings and request sizes, no log and no checkpoint. */
async function bareProducer(kafka: Kafka, messages: readonly RelayMessage[], batchSize: number): Promise<number> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  const started = performance.now();
  for (let i = 0; i < messages.length; i += batchSize) {
    for (const chunk of chunkBySize(messages.slice(i, i + batchSize), 512 * 1024)) {
      const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
      for (const m of chunk)
        byTopic.set(m.topic, [
          ...(byTopic.get(m.topic) ?? []),
          { key: m.key, value: m.value, headers: { ...m.headers } },
        ]);
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })),
      });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  await producer.disconnect();
  return messages.length / seconds;
}

async function main(): Promise<void> {
  const pg = await benchServer();
  const ownBroker = process.env.KAFKA_BROKERS ? undefined : await startScriptBroker();
  const brokers = process.env.KAFKA_BROKERS?.split(',') ?? ownBroker!.brokers;
  const kafka = new Kafka({ clientId: 'registry-bench', brokers, logLevel: logLevel.NOTHING });
  try {
    const url = await pg.database('bench_relay');
    await migrateEventStore(url);
    await migrateRelay(url);
    const pool = new Pool({ connectionString: url, max: 8 });
    pool.on('error', () => undefined);
    const store = new PostgresEventStore(pool);
    const scale = {
      units: Math.round(100_000 * SCALE),
      branches: Math.max(20, Math.round(5_000 * SCALE)),
      members: Math.round(600_000 * SCALE),
      transferEvery: 12,
      duesEvery: 6,
    };
    const events = await loadGenerated(store, generatedRegistry(scale), { writers: 4, perTransaction: 250 });
    console.log(
      `${pg.describe}; Kafka ${ownBroker ? 'from scripts/kafka-broker.sh' : 'from KAFKA_BROKERS'} at ${brokers.join(',')}; ${events.toLocaleString('en-US')} events in the log`,
    );

    // Every message, prepared in memory for the bare producer (not timed).
    const messages: RelayMessage[] = [];
    const prefixForBare = (run: number) => `bench-bare-${run}-${randomUUID().slice(0, 8)}.`;
    for (let after = 0n; ;) {
      const page = await store.readAll({ after, limit: 5_000 });
      for (const event of page.events) messages.push(relayMessageOf(event, PUBLIC_BASE_URL));
      after = page.checkpoint;
      if (page.caughtUp) break;
    }

    const relayRates: number[] = [];
    const bareRates: number[] = [];
    const batchSize = loadConfig({}).RELAY_BATCH_SIZE; // the relay's default; the bare producer sends the same batches
    for (let run = 0; run < RUNS; run += 1) {
      const prefix = `bench-relay-${run}-${randomUUID().slice(0, 8)}.`;
      await createTopics(kafka, prefix);
      const name = `bench-${run}`;
      const relay = new KafkaRelay(pool, store, {
        brokers,
        publicBaseUrl: PUBLIC_BASE_URL,
        name,
        topicPrefix: prefix,
        batchSize,
        logger: quiet,
      });
      const head = await store.headPosition();
      const started = performance.now();
      relay.start();
      await until(
        async () => ((await readCheckpoint(pool, name).catch(() => undefined))?.position ?? 0n) >= head,
        600_000,
        `relay run ${run}`,
      );
      relayRates.push(events / ((performance.now() - started) / 1000));
      await relay.close();

      const barePrefix = prefixForBare(run);
      await createTopics(kafka, barePrefix);
      const renamed = messages.map((m) => ({ ...m, topic: barePrefix + m.topic }));
      bareRates.push(await bareProducer(kafka, renamed, batchSize));
      console.log(
        `run ${run + 1}: relay ${format(relayRates.at(-1)!)} events/s, bare producer ${format(bareRates.at(-1)!)} messages/s`,
      );
    }
    await store.close();
    await pool.end();

    // Latency: command → consumer, with the relay inside the built API process as the embedded default runs it.
    execFileSync('npx', ['nest', 'build', 'registry-api'], { cwd: ROOT, stdio: 'inherit' });
    const latencyUrl = await pg.database('bench_relay_latency');
    const dataDir = mkdtempSync(join(tmpdir(), 'registry-bench-relay-'));
    const prefix = `bench-e2e-${randomUUID().slice(0, 8)}.`;
    const port = await freePort();
    const api = spawn(process.execPath, [join(ROOT, 'dist/apps/registry-api/src/main.js')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(port),
        DATA_DIR: dataDir,
        DATABASE_URL: latencyUrl,
        JWT_SECRET,
        LOG_LEVEL: 'warn',
        KAFKA_BROKERS: brokers.join(','),
        RELAY_TOPIC_PREFIX: prefix,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    await waitForHealth(`${base}/health`, 60_000);
    const token = signToken(loadConfig({ JWT_SECRET, DATA_DIR: dataDir }), { sub: 'bench', roles: ['admin'] });
    const received = new Map<string, number>();
    const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}`, heartbeatInterval: 1_000 });
    const latencies: number[] = [];
    try {
      const post = (n: number) =>
        fetch(`${base}/v1/units`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            id: randomUUID(),
            name: `基准测试企业${n}`,
            creditCode: exampleCreditCode(500_000 + n),
            kind: 'enterprise',
            regionCode: '310115',
            industry: 'software',
            registeredOn: '2020-01-01',
          }),
        });
      const warm = await post(0);
      if (warm.status !== 201) throw new Error(`the warm-up command answered ${warm.status}`);
      await consumer.connect();
      const admin = kafka.admin();
      await admin.connect();
      await until(
        async () => (await admin.listTopics()).includes(`${prefix}registry.units.v1`),
        60_000,
        'the relay to create its topics',
      );
      await admin.disconnect();
      await consumer.subscribe({ topics: [`${prefix}registry.units.v1`], fromBeginning: false });
      await consumer.run({
        eachMessage: ({ message }) => {
          received.set(message.headers?.ce_subject?.toString() ?? '', performance.now());
          return Promise.resolve();
        },
      });
      // The consumer joins its group before the measured commands start.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      for (let n = 1; n <= LATENCY_COMMANDS; n += 1) {
        const sent = performance.now();
        const reply = await post(n);
        const body = (await reply.json()) as { id: string };
        const subject = `unit-${body.id}`;
        await until(() => Promise.resolve(received.has(subject)), 30_000, `command ${n} to reach the consumer`);
        latencies.push(received.get(subject)! - sent);
      }
    } finally {
      await consumer.disconnect().catch(() => undefined);
      api.kill('SIGTERM');
      await new Promise((resolve) => api.once('exit', resolve));
      rmSync(dataDir, { recursive: true, force: true });
    }

    const relayMedian = median(relayRates);
    const bareMedian = median(bareRates);
    console.log(
      table(
        ['measure', 'value'],
        [
          ['relay: log → acknowledged Kafka writes (median of 3)', `${format(relayMedian)} events/s`],
          ['bare kafkajs producer, same messages (median of 3)', `${format(bareMedian)} messages/s`],
          ['relay / bare producer', (relayMedian / bareMedian).toFixed(2)],
          [`command → consumer p50 (${LATENCY_COMMANDS} commands)`, `${percentile(latencies, 50).toFixed(1)} ms`],
          ['command → consumer p95', `${percentile(latencies, 95).toFixed(1)} ms`],
        ],
      ),
    );
    console.log(
      JSON.stringify({
        relayEventsPerSec: Math.round(relayMedian),
        relayVsBareProducer: Number((relayMedian / bareMedian).toFixed(2)),
        e2eP95Ms: Number(percentile(latencies, 95).toFixed(1)),
      }),
    );
  } finally {
    await ownBroker?.dispose();
    await pg.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
