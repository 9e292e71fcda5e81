// Global setup runs outside jest's module registry, so the @registry aliases do not apply here.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { dockerEngineAnswers, provideTestBroker } from './kafka-broker';
import { databaseName, freePort, runSqlMigrations, startEmbeddedPostgres, withDatabase } from '../../libs/postgres/src';

/** Every library that owns tables in the registry's database, in migration order. */
const REGISTRY_SCHEMA = ['event-store', 'personal-data', 'commands', 'projections', 'relay'];

/**
 * One PostgreSQL for the whole run: TEST_DATABASE_URL when set, otherwise an embedded one in a
 * temporary directory (fsync off). A template database is migrated once; every test that needs a
 * database copies it (test/support/test-database.ts).
 */
/** 'yes' when pg_dump, pg_restore and psql of at least the server's major version are at hand, else why not. */
function postgresToolsFor(serverMajor: number): string {
  const dir = process.env.POSTGRES_BIN_DIR;
  for (const tool of ['pg_dump', 'pg_restore', 'psql']) {
    try {
      const version = execFileSync(dir ? join(dir, tool) : tool, ['--version'], { encoding: 'utf8' });
      const major = Number(/(\d+)(\.\d+)?/.exec(version)?.[1] ?? 0);
      if (major < serverMajor)
        return `${tool} is version ${major} and the test server is PostgreSQL ${serverMajor} (set POSTGRES_BIN_DIR, or TEST_DATABASE_URL to a server of version ${major})`;
    } catch {
      return `no ${tool} on PATH or in POSTGRES_BIN_DIR`;
    }
  }
  return 'yes';
}

export default async function globalSetup(): Promise<void> {
  process.env.REGISTRY_TEST_DOCKER_ENGINE = (await dockerEngineAnswers()) ? 'yes' : 'no';
  if (!process.env.EVENTSTORE_URL && process.env.REGISTRY_TEST_DOCKER_ENGINE !== 'yes') {
    console.warn(
      '[test] the EventStoreDB/KurrentDB contract suite will be SKIPPED: EVENTSTORE_URL is unset and no Docker engine answers',
    );
  }
  const kafka = startKafka();
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stopServer: (() => Promise<void>) | undefined;
  if (adminUrl) {
    console.log(`\n[test] PostgreSQL from TEST_DATABASE_URL (database ${databaseName(adminUrl)})`);
  } else {
    const started = Date.now();
    const server = await startEmbeddedPostgres({
      dataDir: mkdtempSync(join(tmpdir(), 'registry-test-pg-')),
      port: await freePort(),
      ephemeral: true,
    });
    adminUrl = server.url;
    stopServer = () => server.stop();
    console.log(`\n[test] embedded PostgreSQL started in ${Date.now() - started} ms`);
  }

  const template = `registry_test_template_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const serverMajor = Math.floor(
    Number((await admin.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]?.v ?? 0) /
      10_000,
  );
  process.env.REGISTRY_TEST_PG_TOOLS = postgresToolsFor(serverMajor);
  if (process.env.REGISTRY_TEST_PG_TOOLS !== 'yes')
    console.warn(`[test] the cli backup/restore tests will be SKIPPED: ${process.env.REGISTRY_TEST_PG_TOOLS}`);
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  for (const library of REGISTRY_SCHEMA) await runSqlMigrations(withDatabase(adminUrl, template), library);

  const stopKafka = await kafka;
  process.env.REGISTRY_TEST_ADMIN_URL = adminUrl;
  process.env.REGISTRY_TEST_TEMPLATE = template;
  (globalThis as { registryTestTeardown?: () => Promise<void> }).registryTestTeardown = async () => {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await client.end();
    await stopServer?.();
    await stopKafka();
  };
}

/**
 * One Kafka broker for the run (see kafka-broker.ts for where it comes from). If none can be had,
 * the tests that need one skip themselves, giving this reason.
 */
async function startKafka(): Promise<() => Promise<void>> {
  const started = Date.now();
  try {
    const broker = await provideTestBroker();
    process.env.REGISTRY_TEST_KAFKA_BROKERS = broker.brokers.join(',');
    console.log(`[test] Kafka from ${broker.origin} (${Date.now() - started} ms)`);
    return () => broker.stop();
  } catch (error) {
    const reason = `no Kafka broker: KAFKA_BROKERS is unset, no Docker engine answers, and scripts/kafka-broker.sh failed (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
    process.env.REGISTRY_TEST_KAFKA_UNAVAILABLE = reason;
    console.warn(`[test] ${reason}`);
    return () => Promise.resolve();
  }
}
