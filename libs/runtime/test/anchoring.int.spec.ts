import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type RegistryConfig } from '@registry/config';
import { type EventToAppend, parseAnchor, parsePublicKey } from '@registry/event-store';
import {
  anchorFilePath,
  AnchorSchedule,
  anchorLog,
  checkAnchors,
  createRegistryProjector,
  openRegistryDatabase,
  readAnchorFile,
  type RegistryDatabase,
} from '@registry/runtime';
import { consumeUntil } from '../../../test/support/kafka-consumer';
import { testKafka } from '../../../test/support/kafka-broker';
import { rewriteEventAndItsChain } from '../../../test/support/rewrite-history';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const kafka = testKafka();
const itWithKafka = 'brokers' in kafka ? it : it.skip;
if (!('brokers' in kafka)) console.warn(`[anchoring] the Kafka anchor test is SKIPPED: ${kafka.skipReason}`);

function duesPaid(amountFen: number): EventToAppend {
  return {
    id: randomUUID(),
    type: 'DuesPaid',
    data: { amountFen, paidOn: '2026-11-30' },
    metadata: { actor: 'li.na' },
  };
}

/** The projections read member, organization and unit streams only; these leave them idle. */
const archived = (): [string, EventToAppend[]] => [
  `archive-${randomUUID()}`,
  [{ id: randomUUID(), type: 'MinutesArchived', data: { meeting: '2026-11 branch committee' } }],
];

interface Fixture {
  readonly config: RegistryConfig;
  readonly database: RegistryDatabase;
  readonly dataDir: string;
  readonly errors: string[];
  readonly logger: { log(m: string): void; warn(m: string): void; error(m: string): void };
  dispose(): Promise<void>;
}

const quiet = { log: () => undefined };

async function fixture(settings: Record<string, string> = {}): Promise<Fixture> {
  const testDatabase: TestDatabase = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'registry-anchors-'));
  const config = loadConfig({ DATABASE_URL: testDatabase.url, DATA_DIR: dataDir, ...settings });
  const database = await openRegistryDatabase(config, quiet, 'registry-anchor-test');
  const errors: string[] = [];
  return {
    config,
    database,
    dataDir,
    errors,
    logger: { log: () => undefined, warn: () => undefined, error: (message) => void errors.push(message) },
    dispose: async () => {
      await database.close();
      await testDatabase.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe('signed anchors of the log', () => {
  let f: Fixture | undefined;
  afterEach(async () => {
    await f?.dispose();
    f = undefined;
  });

  it('are appended to the anchor file, signed by a key generated once and readable by its owner only', async () => {
    f = await fixture();
    await f.database.eventStore.append(`member-${randomUUID()}`, [duesPaid(2_000)], 'no-stream');
    const first = await anchorLog(f.config, f.database.eventStore, new Date('2026-12-04T02:00:00Z'));
    await f.database.eventStore.append(`member-${randomUUID()}`, [duesPaid(1_200)], 'no-stream');
    const second = await anchorLog(f.config, f.database.eventStore, new Date('2026-12-05T02:00:00Z'));

    expect(statSync(join(f.dataDir, 'anchor-signing.key')).mode & 0o777).toBe(0o600);
    expect(first.file).toBe(join(f.dataDir, 'anchors.jsonl'));
    expect(second.anchor.keyId).toBe(first.anchor.keyId);
    const lines = readFileSync(first.file, 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => parseAnchor(line))).toEqual([first.anchor, second.anchor]);
    expect(first.anchor).toMatchObject({ streams: 1, events: 1 });
    expect(second.anchor).toMatchObject({ streams: 2, events: 2 });
  });

  it('hold after more appends, and fail once an event is rewritten with its chain recomputed or a line is altered', async () => {
    f = await fixture();
    const store = f.database.eventStore;
    const paid = await store.append(`member-${randomUUID()}`, [duesPaid(2_000), duesPaid(3_500)], 'no-stream');
    const { anchor } = await anchorLog(f.config, store);
    await store.append(`member-${randomUUID()}`, [duesPaid(1_200)], 'no-stream');
    await anchorLog(f.config, store);
    const file = anchorFilePath(f.config);
    const trusted = parsePublicKey(anchor.publicKey);

    const before = await checkAnchors(store, readAnchorFile(file), trusted);
    expect(before.failed).toEqual([]);
    expect(before.held).toHaveLength(2);

    await rewriteEventAndItsChain(f.database.url, paid.firstPosition, { amountFen: 1 });
    expect((await store.verify()).ok).toBe(true);
    const after = await checkAnchors(store, readAnchorFile(file), trusted);
    expect(after.held).toEqual([]);
    expect(after.failed.map((failure) => [failure.line, failure.reason])).toEqual([
      [1, `the log as of position ${anchor.position} no longer matches: the stream heads hash differs`],
      [2, expect.stringContaining('the stream heads hash differs')],
    ]);

    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    writeFileSync(file, `${JSON.stringify({ ...JSON.parse(lines[0]!), events: 3 })}\n`);
    const altered = await checkAnchors(store, readAnchorFile(file));
    expect(altered.failed).toEqual([
      { line: 1, anchor: expect.objectContaining({ events: 3 }), reason: 'the signature does not match its contents' },
    ]);
  });

  itWithKafka(
    'are also appended to the anchor topic, keyed by position, when KAFKA_BROKERS is set',
    async () => {
      const prefix = `t${randomUUID().slice(0, 8)}.`;
      f = await fixture({
        KAFKA_BROKERS: ('brokers' in kafka ? kafka.brokers : []).join(','),
        RELAY_TOPIC_PREFIX: prefix,
      });
      await f.database.eventStore.append(`member-${randomUUID()}`, [duesPaid(2_000)], 'no-stream');
      const taken = await anchorLog(f.config, f.database.eventStore);
      expect(taken.topic).toBe(`${prefix}registry.anchors`);

      const messages = await consumeUntil(f.config.KAFKA_BROKERS!, [taken.topic!], (m) => m.length >= 1, 30_000);
      expect(messages).toHaveLength(1);
      expect(messages[0]!.key).toBe(taken.anchor.position);
      expect(parseAnchor(messages[0]!.value)).toEqual(taken.anchor);
    },
    60_000,
  );
});

describe('the projector anchors on its schedule', () => {
  let f: Fixture | undefined;
  afterEach(async () => {
    await f?.dispose();
    f = undefined;
  });

  it('at start-up when there is no anchor yet, and not again within ANCHOR_INTERVAL_HOURS', async () => {
    f = await fixture({ ANCHOR_INTERVAL_HOURS: '24' });
    await f.database.eventStore.append(...archived(), 'no-stream');
    const projector = createRegistryProjector(f.config, f.database, f.logger, true);
    await projector.start();
    await projector.stop();
    const file = anchorFilePath(f.config);
    expect(readAnchorFile(file).lines).toHaveLength(1);

    await f.database.eventStore.append(...archived(), 'no-stream');
    const restarted = createRegistryProjector(f.config, f.database, f.logger, true);
    await restarted.start();
    await restarted.stop();
    expect(readAnchorFile(file).lines).toHaveLength(1);

    const aDayLater = new AnchorSchedule(
      f.config,
      f.database.eventStore,
      f.logger,
      () => new Date(Date.now() + 25 * 3_600_000),
    );
    aDayLater.start();
    await aDayLater.stop();
    expect(readAnchorFile(file).lines).toHaveLength(2);
    expect(f.errors).toEqual([]);
  });

  it('never with ANCHOR_INTERVAL_HOURS=0, nor when only reporting (follow: false)', async () => {
    f = await fixture({ ANCHOR_INTERVAL_HOURS: '0' });
    await f.database.eventStore.append(...archived(), 'no-stream');
    const off = createRegistryProjector(f.config, f.database, f.logger, true);
    await off.start();
    await off.stop();
    const reporting = createRegistryProjector({ ...f.config, ANCHOR_INTERVAL_HOURS: 24 }, f.database, f.logger, false);
    await reporting.start();
    await reporting.stop();
    expect(readAnchorFile(anchorFilePath(f.config)).lines).toEqual([]);
  });

  it('logs a failure and keeps projecting', async () => {
    f = await fixture();
    const notAKey = join(f.dataDir, 'not-a-key.pem');
    writeFileSync(notAKey, 'not a key\n');
    await f.database.eventStore.append(...archived(), 'no-stream');
    const projector = createRegistryProjector({ ...f.config, ANCHOR_KEY_PATH: notAKey }, f.database, f.logger, true);
    await projector.start();
    await projector.stop();
    expect(f.errors).toEqual([expect.stringContaining(`anchoring the log failed: anchor signing key ${notAKey}:`)]);
    expect((await projector.status()).length).toBeGreaterThan(0);
  });
});
