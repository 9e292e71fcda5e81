import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig, type RegistryConfig } from '@registry/config';
import { openRegistryDatabase, type RegistryDatabase, type Role, signToken } from '@registry/runtime';
import { createRegistryApp } from '../../apps/registry-api/src/registry-app';
import { answersServedBy } from './openapi-answers';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface RegistryServer {
  readonly url: string;
  readonly config: RegistryConfig;
  readonly database: RegistryDatabase;
  token(role: Role, sub?: string, scope?: string): string;
  /** Events in the whole log, committed or not yet visible to readers. */
  eventCount(): Promise<number>;
  close(): Promise<void>;
}

const quiet = { log: () => undefined };

/** The real HTTP application on a loopback port, over its own migrated PostgreSQL database. */
export async function startRegistryServer(overrides: Record<string, string> = {}): Promise<RegistryServer> {
  const testDatabase: TestDatabase = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'registry-e2e-'));
  const config = loadConfig({
    DATABASE_URL: testDatabase.url,
    DATA_DIR: dataDir,
    DATABASE_POOL_SIZE: '20',
    LOG_LEVEL: 'error',
    JWT_SECRET: 'e2e-secret-e2e-secret-e2e-secret-e2e-secret',
    ...overrides,
  });
  const database = await openRegistryDatabase(config, quiet, 'registry-e2e');
  const app: NestExpressApplication = await createRegistryApp(config, database);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    database,
    token: (role, sub = `${role}-tester`, scope) =>
      signToken(config, { sub, roles: [role], ...(scope ? { scope } : {}) }),
    eventCount: async () => {
      const { rows } = await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM event_store.events');
      return rows[0]!.n;
    },
    close: async () => {
      await app.close();
      await testDatabase.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

/**
 * A JSON call; `body` may be a raw string to send malformed JSON. Every JSON answer is checked against
 * the schema the served OpenAPI document declares for it: a mismatch throws.
 */
export async function call(
  server: RegistryServer,
  method: string,
  path: string,
  options: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  const token = options.token === undefined ? server.token('registrar') : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const response = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return { status: response.status, headers: response.headers, body: { raw: text } };
  }
  if (text) {
    const answers = await answersServedBy(server.url);
    answers.check(method, path, response.status, response.headers.get('content-type'), parsed);
  }
  return { status: response.status, headers: response.headers, body: parsed };
}
