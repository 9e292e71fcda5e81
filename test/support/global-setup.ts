// Global setup runs outside jest's module registry, so the @registry aliases do not apply here.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { databaseName, freePort, runSqlMigrations, startEmbeddedPostgres, withDatabase } from '../../libs/postgres/src';


/** Every library that owns tables in the registry's database, in migration order. */
const REGISTRY_SCHEMA = ['event-store', 'personal-data', 'commands', 'projections'];

/**
 * One PostgreSQL for the whole run: TEST_DATABASE_URL when set, otherwise an embedded one in a
 * temporary directory (fsync off). A template database is migrated once; every test that needs a
 * database copies it (test/support/test-database.ts).
 */
export default async function globalSetup(): Promise<void> {
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
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  for (const library of REGISTRY_SCHEMA) await runSqlMigrations(withDatabase(adminUrl, template), library);

  process.env.REGISTRY_TEST_ADMIN_URL = adminUrl;
  process.env.REGISTRY_TEST_TEMPLATE = template;
  (globalThis as { registryTestTeardown?: () => Promise<void> }).registryTestTeardown = async () => {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await client.end();
    await stopServer?.();
  };
}
