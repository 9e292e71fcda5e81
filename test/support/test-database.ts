import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { withDatabase } from '@registry/postgres';

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.REGISTRY_TEST_ADMIN_URL;
  if (!url) throw new Error('no test PostgreSQL: run the tests through jest (test/support/global-setup.ts)');
  return url;
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database of its own, copied from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `registry_test_${randomBytes(6).toString('hex')}`;
  const template = process.env.REGISTRY_TEST_TEMPLATE;
  if (!template) throw new Error('no template database: run the tests through jest');
  await admin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return {
    url: withDatabase(adminUrl(), name),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** A fresh database with no schema at all (for migration tests). */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const name = `registry_empty_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  return {
    url: withDatabase(adminUrl(), name),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
