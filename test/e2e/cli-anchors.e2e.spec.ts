import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Anchor, generateAnchorKey, parseAnchor, PostgresEventStore, signAnchor } from '@registry/event-store';
import { createPool } from '@registry/postgres';
import { buildCli, duesPaid, runCli } from '../support/cli';
import { rewriteEventAndItsChain } from '../support/rewrite-history';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** Appends to a new stream of `count` dues payments; returns the position of its second event. */
async function appendDues(url: string, count: number): Promise<bigint> {
  const pool = createPool({ url, max: 2 });
  const store = new PostgresEventStore(pool);
  try {
    const events = Array.from({ length: count }, (_, i) => duesPaid(2_000 + i * 500));
    const paid = await store.append(`member-${randomUUID()}`, events, 'no-stream');
    return paid.firstPosition + 1n;
  } finally {
    await store.close();
    await pool.end();
  }
}

beforeAll(() => {
  buildCli();
}, 180_000);

describe('cli anchor and cli verify --anchors: a rewrite with its chain recomputed is caught', () => {
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  let auditorDir: string | undefined;
  afterAll(async () => {
    await database?.drop();
    for (const dir of [dataDir, auditorDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('anchored verify holds after more appends, fails (exit 2) after the rewrite that plain verify passes, and on an altered anchor', async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'registry-cli-anchor-'));
    auditorDir = mkdtempSync(join(tmpdir(), 'registry-auditor-'));
    const env = { DATABASE_URL: database.url, DATA_DIR: dataDir };
    const rewritten = await appendDues(database.url, 3);
    await appendDues(database.url, 1);

    const anchored = await runCli(env, ['anchor']);
    expect(anchored.code).toBe(0);
    expect(anchored.output).toMatch(
      /anchored position \d+: 4 events in 2 streams, heads [0-9a-f]{64}, key [0-9a-f]{64}/,
    );
    const anchorFile = join(dataDir, 'anchors.jsonl');
    const [anchor] = readFileSync(anchorFile, 'utf8').trimEnd().split('\n').map(parseAnchor) as [Anchor];
    expect(anchored.output).toContain(`anchored position ${anchor.position}:`);

    // The auditor keeps the public key and a copy of the anchors away from the database host.
    const publicKey = await runCli(env, ['anchor', '--public-key']);
    expect(publicKey.code).toBe(0);
    expect(publicKey.output).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
    const keyFile = join(auditorDir, 'anchor-public.pem');
    writeFileSync(keyFile, publicKey.output);
    const copy = join(auditorDir, 'anchors.jsonl');
    writeFileSync(copy, readFileSync(anchorFile));
    const anchoredVerify = ['verify', '--anchors', copy, '--public-key', keyFile];

    await appendDues(database.url, 2);
    const grown = await runCli(env, anchoredVerify);
    expect(grown.output).toContain('ok: 6 events in 3 streams, every chain intact');
    expect(grown.output).toContain(
      `ok: 1 anchor(s) in ${copy} hold, the newest at position ${anchor.position} (${anchor.anchoredAt}), all signed by the given key`,
    );
    expect(grown.code).toBe(0);

    await rewriteEventAndItsChain(database.url, rewritten, { amountFen: 1 });
    const plain = await runCli(env, ['verify']);
    expect(plain.output).toContain('ok: 6 events in 3 streams, every chain intact');
    expect(plain.code).toBe(0);

    const tampered = await runCli(env, anchoredVerify);
    expect(tampered.output).toContain(`TAMPERED: 1 of 1 anchor(s) in ${copy} fail`);
    expect(tampered.output).toContain(
      `line 1, anchor of position ${anchor.position} (${anchor.anchoredAt}): the log as of position ${anchor.position} no longer matches: the stream heads hash differs`,
    );
    expect(tampered.code).toBe(2);

    // Covering the rewrite by editing the anchor breaks its signature; re-signing needs the key.
    const relabelled = { ...anchor, headsHash: 'f'.repeat(64) };
    writeFileSync(copy, `${JSON.stringify(relabelled)}\n`);
    const altered = await runCli(env, anchoredVerify);
    expect(altered.output).toContain('line 1, anchor of position');
    expect(altered.output).toContain('the signature does not match its contents');
    expect(altered.code).toBe(2);

    const forged = signAnchor(
      { position: BigInt(anchor.position), streams: 2, events: 4, headsHash: anchor.headsHash },
      new Date(anchor.anchoredAt),
      generateAnchorKey(),
    );
    writeFileSync(copy, `${JSON.stringify(forged)}\n`);
    const otherKey = await runCli(env, anchoredVerify);
    expect(otherKey.output).toContain(`signed by key ${forged.keyId}, not by the trusted key`);
    expect(otherKey.code).toBe(2);
  }, 180_000);

  it('refuses a missing anchor file (exit 1) before touching the database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'registry-cli-anchor-missing-'));
    try {
      const missing = await runCli({ DATA_DIR: dir, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, [
        'verify',
        '--anchors',
        join(dir, 'nothing.jsonl'),
      ]);
      expect(missing.output).toContain(`--anchors: no file ${join(dir, 'nothing.jsonl')}`);
      expect(missing.code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
