import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { loadConfig } from '@registry/config';
import { freePort, processAlive } from '@registry/postgres';
import { registryProjections } from '@registry/projections';
import { signToken } from '@registry/runtime';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { cleanEnvironment, startNode, waitForHealth, type Started } from '../support/processes';

const root = resolve(__dirname, '../..');
const main = join(root, 'dist/apps/registry-api/src/main.js');
/** After a clean shutdown on SIGTERM the process exits with 128 + 15 (libs/runtime/src/shutdown.ts). */
const TERMINATED_BY_SIGTERM = [143];

/** /health as an admin sees it (anonymous callers get only the status), signed with the secret the server generated. */
async function adminHealth(port: number, dataDir: string): Promise<unknown> {
  const token = signToken(loadConfig({ DATA_DIR: dataDir }), { sub: 'boot-tester', roles: ['admin'] });
  const response = await fetch(`http://127.0.0.1:${port}/health`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return response.json();
}

describe('npm start: the registry boots on a fresh machine', () => {
  const running: Started[] = [];
  let dataDir: string;

  beforeAll(() => {
    // What `npm start` does before it runs the server.
    execFileSync(join(root, 'node_modules/.bin/nest'), ['build', 'registry-api'], { cwd: root, stdio: 'pipe' });
    dataDir = mkdtempSync(join(tmpdir(), 'registry-boot-'));
    chmodSync(dataDir, 0o711);
  }, 120_000);

  afterAll(async () => {
    for (const started of running) {
      if (started.child.exitCode === null) {
        started.child.kill('SIGTERM');
        await started.exited();
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('with no environment starts an embedded PostgreSQL, migrates and answers /health; survives kill -9', async () => {
    const port = await freePort();
    const env = cleanEnvironment({
      PORT: String(port),
      DATA_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
    });

    const first = startNode(main, env, root);
    running.push(first);
    const health = await waitForHealth(`http://127.0.0.1:${port}/health`, 120_000);
    expect(health.body).toEqual({ status: 'ok' });
    const detail = await adminHealth(port, dataDir);
    expect(detail).toMatchObject({
      status: 'ok',
      eventStore: { status: 'up', mode: 'embedded', headPosition: '0' },
    });
    const projections = (detail as { projections: { name: string; status: string; position: string }[] }).projections;
    expect(projections.map((p) => [p.name, p.status, p.position])).toEqual(
      registryProjections().map(({ name }) => [name, 'running', '0']),
    );
    console.log(`[boot] /health answered 200 after ${health.afterMs} ms on a fresh data directory`);

    // A crash leaves the embedded server running; the next start adopts it.
    first.child.kill('SIGKILL');
    await first.exited();
    const postmasterPid = Number(readFileSync(join(dataDir, 'postgres/cluster/postmaster.pid'), 'utf8').split('\n')[0]);
    expect(processAlive(postmasterPid)).toBe(true);

    const second = startNode(main, env, root);
    running.push(second);
    await waitForHealth(`http://127.0.0.1:${port}/health`, 120_000);

    second.child.kill('SIGTERM');
    expect(TERMINATED_BY_SIGTERM).toContain(await second.exited());
    expect(processAlive(postmasterPid)).toBe(false);
    expect(existsSync(join(dataDir, 'postgres/cluster/PG_VERSION'))).toBe(true);
  }, 300_000);

  describe('with DATABASE_URL', () => {
    let database: TestDatabase;
    beforeAll(async () => (database = await createTestDatabase()));
    afterAll(async () => database.drop());

    it('uses that server instead of an embedded one', async () => {
      const port = await freePort();
      const started = startNode(main, cleanEnvironment({ PORT: String(port), DATABASE_URL: database.url }), root);
      running.push(started);
      await waitForHealth(`http://127.0.0.1:${port}/health`, 60_000);
      // Without DATA_DIR the server keeps its generated secret in ./var of its working directory.
      expect(await adminHealth(port, join(root, 'var'))).toMatchObject({ eventStore: { mode: 'external' } });
      started.child.kill('SIGTERM');
      expect(TERMINATED_BY_SIGTERM).toContain(await started.exited());
    }, 120_000);

    it('is ready only with every migration applied; on SIGTERM it turns not ready first, then exits', async () => {
      const port = await freePort();
      const started = startNode(
        main,
        cleanEnvironment({ PORT: String(port), DATABASE_URL: database.url, SHUTDOWN_DRAIN_MS: '3000' }),
        root,
      );
      running.push(started);
      const base = `http://127.0.0.1:${port}`;
      expect((await waitForHealth(`${base}/health/ready`, 60_000)).body).toEqual({ status: 'ready' });
      const probe = async (path: string) => {
        const response = await fetch(`${base}${path}`);
        return { status: response.status, body: (await response.json()) as { errors?: { field: string }[] } };
      };
      expect(await probe('/health/live')).toEqual({ status: 200, body: { status: 'up' } });

      // A database that lacks a migration this build ships (say, an older backup restored) is not ready.
      const pool = new Pool({ connectionString: database.url, max: 1 });
      try {
        const { rows } = await pool.query<{ id: number; name: string; run_on: Date }>(
          'DELETE FROM public.relay_migrations WHERE name = (SELECT max(name) FROM public.relay_migrations) RETURNING *',
        );
        const behind = await probe('/health/ready');
        expect(behind.status).toBe(503);
        expect(behind.body.errors?.map((e) => e.field)).toEqual(['migrations']);
        await pool.query('INSERT INTO public.relay_migrations (id, name, run_on) VALUES ($1, $2, $3)', [
          rows[0]?.id,
          rows[0]?.name,
          rows[0]?.run_on,
        ]);
        expect((await probe('/health/ready')).status).toBe(200);
      } finally {
        await pool.end();
      }

      started.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 500));
      // Draining: still alive and answering, no longer ready.
      const draining = await probe('/health/ready');
      expect(draining.status).toBe(503);
      expect(draining.body.errors?.map((e) => e.field)).toEqual(['shutdown']);
      expect((await probe('/health/live')).status).toBe(200);
      expect(TERMINATED_BY_SIGTERM).toContain(await started.exited());
      expect(started.output()).toContain('shutting down: not ready');
    }, 120_000);
  });

  it('refuses to start on bad configuration, naming every bad key', async () => {
    const started = startNode(
      main,
      cleanEnvironment({ PORT: 'seventy', DATABASE_URL: 'mysql://localhost/registry' }),
      root,
    );
    running.push(started);
    expect(await started.exited()).toBe(78);
    expect(started.output()).toContain('PORT:');
    expect(started.output()).toContain('DATABASE_URL:');
  }, 60_000);
});
