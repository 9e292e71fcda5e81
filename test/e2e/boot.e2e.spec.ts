import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { loadConfig } from '@registry/config';
import { topicOf } from '@registry/contracts';
import { freePort, processAlive } from '@registry/postgres';
import { registryProjections } from '@registry/projections';
import { signToken } from '@registry/runtime';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { creditCode } from '../support/identifiers';
import { testKafka } from '../support/kafka-broker';
import { consumeUntil } from '../support/kafka-consumer';
import {
  type OtlpCollector,
  SPAN_KIND_PRODUCER,
  SPAN_KIND_SERVER,
  startOtlpCollector,
} from '../support/otlp-collector';
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
    execFileSync(join(root, 'node_modules/.bin/nest'), ['build', 'projector'], { cwd: root, stdio: 'pipe' });
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

    it('runs without the embedded PostgreSQL package, as the container image does', async () => {
      const withoutPackage = ['--require', join(root, 'test/support/without-embedded-postgres.js')];
      const port = await freePort();
      const started = startNode(
        main,
        cleanEnvironment({ PORT: String(port), DATABASE_URL: database.url }),
        root,
        [],
        withoutPackage,
      );
      running.push(started);
      expect((await waitForHealth(`http://127.0.0.1:${port}/health/ready`, 60_000)).body).toEqual({ status: 'ready' });
      started.child.kill('SIGTERM');
      expect(TERMINATED_BY_SIGTERM).toContain(await started.exited());

      const noDatabase = mkdtempSync(join(tmpdir(), 'registry-no-embedded-'));
      try {
        const embedded = startNode(
          main,
          cleanEnvironment({ PORT: String(await freePort()), DATA_DIR: noDatabase }),
          root,
          [],
          withoutPackage,
        );
        running.push(embedded);
        expect(await embedded.exited()).toBe(1);
        expect(embedded.output()).toContain('this installation has no embedded PostgreSQL');
        expect(embedded.output()).toContain('set DATABASE_URL');
      } finally {
        rmSync(noDatabase, { recursive: true, force: true });
      }
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

  it('the projector on its own serves its probes and its metrics on HEALTH_PORT', async () => {
    const database = await createTestDatabase();
    try {
      const port = await freePort();
      const started = startNode(
        join(root, 'dist/apps/projector/src/main.js'),
        cleanEnvironment({ DATABASE_URL: database.url, HEALTH_PORT: String(port), METRICS_REFRESH_MS: '500' }),
        root,
      );
      running.push(started);
      const base = `http://127.0.0.1:${port}`;
      expect((await waitForHealth(`${base}/health/ready`, 60_000)).body).toEqual({ status: 'ready' });
      expect(await (await fetch(`${base}/health/live`)).json()).toEqual({ status: 'up' });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      for (const { name } of registryProjections())
        expect(metrics).toMatch(new RegExp(`^registry_projection_up\\{projection="${name}",version="\\d+"\\} 1$`, 'm'));
      expect(metrics).toMatch(/^process_cpu_user_seconds_total \d/m);
      expect((await fetch(`${base}/v1/units`)).status).toBe(404);
      started.child.kill('SIGTERM');
      expect(TERMINATED_BY_SIGTERM).toContain(await started.exited());
    } finally {
      await database.drop();
    }
  }, 120_000);

  describe('API_WORKERS=2 (node:cluster)', () => {
    let database: TestDatabase;
    beforeAll(async () => (database = await createTestDatabase()));
    afterAll(async () => database?.drop());

    it("shares the port between two workers; each command sees the other's writes; /metrics answers for both", async () => {
      const JWT_SECRET = 'workers-secret-workers-secret-workers-secret';
      const port = await freePort();
      const started = startNode(
        main,
        cleanEnvironment({
          PORT: String(port),
          DATABASE_URL: database.url,
          JWT_SECRET,
          API_WORKERS: '2',
          LOG_FORMAT: 'json',
          LOG_LEVEL: 'log',
        }),
        root,
      );
      running.push(started);
      const base = `http://127.0.0.1:${port}`;
      await waitForHealth(`${base}/health/ready`, 60_000);
      for (let waited = 0; !started.output().includes('2 workers listening') && waited < 30_000; waited += 50)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const token = signToken(loadConfig({ DATABASE_URL: database.url, JWT_SECRET }), {
        sub: 'workers-tester',
        roles: ['registrar'],
      });
      // A new connection per request: the primary hands connections to the workers in turn.
      const post = (path: string, body: object, headers: Record<string, string> = {}) =>
        new Promise<{ status: number; etag: string | undefined; body: Record<string, unknown> }>((resolve, reject) => {
          const sent = httpRequest(
            `${base}${path}`,
            {
              method: 'POST',
              agent: false,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
            },
            (response) => {
              let text = '';
              response.on('data', (chunk: Buffer) => (text += chunk.toString()));
              response.on('end', () =>
                resolve({
                  status: response.statusCode ?? 0,
                  etag: response.headers.etag,
                  body: JSON.parse(text) as Record<string, unknown>,
                }),
              );
            },
          );
          sent.on('error', reject);
          sent.end(JSON.stringify(body));
        });
      const created = await post('/v1/organizations', {
        name: '进程测试党委',
        level: 'committee',
        form: 'regional',
        regionCode: '310115',
        unitIds: [],
        establishedOn: '2010-01-01',
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      // Each rename pins the version the previous one answered: a worker deciding on a stale cached
      // state would refuse it (412) or write a wrong version.
      let etag = created.etag!;
      for (let round = 1; round <= 12; round++) {
        const renamed = await post(
          `/v1/organizations/${id}/rename`,
          { name: `进程测试党委${round}`, effectiveOn: '2020-01-01' },
          { 'If-Match': etag },
        );
        expect({ round, status: renamed.status, version: renamed.body.streamVersion }).toEqual({
          round,
          status: 200,
          version: round + 1,
        });
        etag = renamed.etag!;
      }
      for (let attempt = 0; attempt < 2; attempt++)
        expect(
          (
            await post(
              `/v1/organizations/${id}/rename`,
              { name: '过时', effectiveOn: '2020-01-01' },
              { 'If-Match': '"3"' },
            )
          ).status,
        ).toBe(412);

      const requestLines = () =>
        started
          .output()
          .split('\n')
          .filter((line) => line.includes('"context":"HTTP"'))
          .map((line) => JSON.parse(line) as { pid: number; message: { route: string } })
          .filter((line) => line.message.route.startsWith('/v1/organizations'));
      // Each worker writes its own stdout: the last entries may trail the answers a little.
      for (let waited = 0; requestLines().length < 15 && waited < 5_000; waited += 50)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(requestLines()).toHaveLength(15);
      expect(new Set(requestLines().map((line) => line.pid)).size).toBe(2);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(
        /^registry_http_request_duration_seconds_count\{method="POST",route="\/v1\/organizations\/:id\/rename",status="200"\} 12$/m,
      );
      expect(metrics).toMatch(/^registry_event_store_appended_events_total 13$/m);

      started.child.kill('SIGTERM');
      expect(TERMINATED_BY_SIGTERM).toContain(await started.exited());
    }, 120_000);
  });

  describe('with OpenTelemetry exporting to a collector (OTLP over HTTP, JSON)', () => {
    const kafka = testKafka();
    const itWithKafka = 'brokers' in kafka ? it : it.skip;
    if (!('brokers' in kafka)) console.warn(`[tracing] the Kafka half is SKIPPED: ${kafka.skipReason}`);
    const JWT_SECRET = 'tracing-secret-tracing-secret-tracing-secret';
    const topicPrefix = `tracing-${process.pid}-`;
    const callerTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpanId = '00f067aa0ba902b7';
    let database: TestDatabase;
    let collector: OtlpCollector;
    let base: string;
    let unit: { id: string; requestId: string };

    beforeAll(async () => {
      database = await createTestDatabase();
      collector = await startOtlpCollector();
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      const started = startNode(
        main,
        cleanEnvironment({
          PORT: String(port),
          DATABASE_URL: database.url,
          JWT_SECRET,
          ...('brokers' in kafka ? { KAFKA_BROKERS: kafka.brokers.join(','), RELAY_TOPIC_PREFIX: topicPrefix } : {}),
          OTEL_TRACES_EXPORTER: 'otlp',
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.tracesEndpoint,
          OTEL_BSP_SCHEDULE_DELAY: '100',
        }),
        root,
      );
      running.push(started);
      await waitForHealth(`${base}/health/ready`, 60_000);
      const token = signToken(loadConfig({ DATABASE_URL: database.url, JWT_SECRET }), {
        sub: 'tracing-tester',
        roles: ['registrar'],
      });
      const response = await fetch(`${base}/v1/units`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          traceparent: `00-${callerTraceId}-${callerSpanId}-01`,
        },
        body: JSON.stringify({
          name: '上海追踪科技有限公司',
          creditCode: creditCode(8801),
          kind: 'enterprise',
          regionCode: '310104',
          industry: 'software',
          registeredOn: '2020-01-01',
        }),
      });
      expect(response.status).toBe(201);
      unit = { id: ((await response.json()) as { id: string }).id, requestId: response.headers.get('x-request-id')! };
    }, 120_000);

    afterAll(async () => {
      await collector?.close();
      await database?.drop();
    });

    it("one command gives one trace, continuing the caller's: the HTTP span and its SQL spans", async () => {
      const all = await collector.until((collected) =>
        collected.some((span) => span.kind === SPAN_KIND_SERVER && span.traceId === callerTraceId),
      );
      const server = all.find((span) => span.kind === SPAN_KIND_SERVER && span.traceId === callerTraceId)!;
      expect(server).toMatchObject({ name: 'POST /v1/units', parentSpanId: callerSpanId, service: 'registry-api' });
      const trace = all.filter((span) => span.traceId === callerTraceId);
      const sql = trace.filter((span) => span.attributes['db.system.name'] ?? span.attributes['db.system']);
      expect(sql.length).toBeGreaterThan(0);
      expect(sql.map((span) => span.attributes['db.system.name'] ?? span.attributes['db.system'])).toEqual(
        sql.map(() => 'postgresql'),
      );
      // One tree: every span of the trace hangs from the server span, which hangs from the caller's.
      const ids = new Set(trace.map((span) => span.spanId));
      for (const span of trace) expect(span === server || ids.has(span.parentSpanId)).toBe(true);

      const stream = await fetch(`${base}/v1/streams/unit-${unit.id}`, {
        headers: {
          authorization: `Bearer ${signToken(loadConfig({ DATABASE_URL: database.url, JWT_SECRET }), { sub: 'auditor', roles: ['auditor'] })}`,
        },
      });
      const { events } = (await stream.json()) as { events: { metadata: Record<string, unknown> }[] };
      expect(events.map(({ metadata }) => [metadata.traceId, metadata.traceparent, metadata.requestId])).toEqual([
        [callerTraceId, `00-${callerTraceId}-${server.spanId}-01`, unit.requestId],
      ]);
    });

    itWithKafka('the Kafka message of its event carries the same trace id, and the send span links to it', async () => {
      const brokers = 'brokers' in kafka ? kafka.brokers : [];
      const [message] = await consumeUntil(brokers, [topicPrefix + topicOf('unit')], (messages) => messages.length > 0);
      expect(message?.headers).toMatchObject({
        traceparent: expect.stringMatching(new RegExp(`^00-${callerTraceId}-[0-9a-f]{16}-01$`)),
        ce_correlationid: unit.requestId,
        ce_causationid: unit.requestId,
      });
      expect(message?.headers.ce_traceparent).toBe(message?.headers.traceparent);
      const server = collector.spans.find((span) => span.kind === SPAN_KIND_SERVER && span.traceId === callerTraceId);
      expect(message?.headers.traceparent).toBe(`00-${callerTraceId}-${server?.spanId}-01`);
      const sends = await collector.until((collected) => collected.some((span) => span.kind === SPAN_KIND_PRODUCER));
      expect(
        sends.filter(
          (span) =>
            span.kind === SPAN_KIND_PRODUCER &&
            span.links.some((link) => link.traceId === callerTraceId && link.spanId === server?.spanId),
        ),
      ).toHaveLength(1);
    });
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
