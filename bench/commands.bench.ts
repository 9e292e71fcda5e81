/**
 * npm run bench -- commands
 *
 * Mixed commands over HTTP from 32 concurrent clients against the registry API as `npm start`
 * builds and runs it, for each API_WORKERS in BENCH_API_WORKERS (default "1,2"), then the same
 * events appended straight to the event store (same streams, same grouping, same 32-way
 * concurrency) on the same PostgreSQL server in the same run. The load generator is a process of
 * its own (bench/commands-load.ts); CPU time over the measured window is reported per command for
 * the API (all its processes), PostgreSQL (all its processes) and the load generator. Before that,
 * one client's script runs against a traced API (OpenTelemetry to a stand-in collector) to count
 * the SQL statements each kind of command sends.
 * Last line: {"commandsPerSec","p95Ms","vsAppendOnly","apiCpuMsPerCommand","apiWorkers"}.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { signToken } from '@registry/runtime';
import { loadConfig } from '@registry/config';
import { PostgresEventStore, migrateEventStore, type RecordedEvent } from '@registry/event-store';
import { createPool, freePort } from '@registry/postgres';
import { creditCode } from '../test/support/identifiers';
import { SPAN_KIND_SERVER, startOtlpCollector } from '../test/support/otlp-collector';
import { waitForHealth } from '../test/support/processes';
import { commandScript, pathOf } from './commands-script';
import {
  type BenchServer,
  benchServer,
  format,
  inParallel,
  median,
  percentile,
  processTreeCpuMs,
  table,
} from './support';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = 3;
const WORKER_COUNTS = (process.env.BENCH_API_WORKERS ?? '1,2').split(',').map(Number);
/** `api` (default): inside the API, as `npm start` runs it; `process`: apps/projector beside it, its CPU apart. */
const PROJECTOR = process.env.BENCH_PROJECTOR === 'process' ? 'process' : 'api';
const ROOT = join(__dirname, '..');
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-0123';

interface Api {
  readonly base: string;
  readonly url: string;
  readonly pid: number;
  readonly dataDir: string;
  readonly token: string;
  stop(): Promise<void>;
}

async function startApi(
  server: BenchServer,
  name: string,
  workers: number,
  env: Record<string, string> = {},
): Promise<Api> {
  const dataDir = mkdtempSync(join(tmpdir(), 'registry-bench-api-'));
  const port = await freePort();
  const url = await server.database(name);
  // BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the API process.
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const api = spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist/apps/registry-api/src/main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: url,
      DATABASE_POOL_SIZE: String(Math.ceil(20 / workers)),
      API_WORKERS: String(workers),
      JWT_SECRET,
      LOG_LEVEL: 'warn',
      RUN_PROJECTOR: PROJECTOR === 'api' ? 'true' : 'false',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(`${base}/health/ready`, 60_000);
  // Every worker listening before the load starts (the primary hands each new connection to the next).
  if (workers > 1) await new Promise((resolve) => setTimeout(resolve, 3_000));
  return {
    base,
    url,
    dataDir,
    pid: api.pid ?? 0,
    token: signToken(loadConfig({ JWT_SECRET, DATA_DIR: dataDir }), { sub: 'bench', roles: ['registrar'] }),
    stop: async () => {
      api.kill('SIGTERM');
      await new Promise((resolve) => api.once('exit', resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function post(api: Api, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${api.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${api.token}` },
    body: JSON.stringify(body),
  });
  const reply = { status: response.status, body: (await response.json()) as Record<string, unknown> };
  if (reply.status >= 300) throw new Error(`${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply;
}

/** A committee, 40 units, 20 joint branches. */
async function setUp(api: Api): Promise<{ branches: string[]; units: string[] }> {
  const root = await post(api, '/v1/organizations', {
    name: '基准测试党委',
    level: 'committee',
    form: 'regional',
    regionCode: '310115',
    unitIds: [],
    establishedOn: '2010-01-01',
  });
  const units: string[] = [];
  for (let i = 0; i < 40; i++) {
    const unit = await post(api, '/v1/units', {
      name: `企业${i}`,
      creditCode: creditCode(900_000 + i),
      kind: 'enterprise',
      regionCode: '310115',
      industry: 'software',
      registeredOn: '2015-01-01',
    });
    units.push(unit.body.id as string);
  }
  const branches: string[] = [];
  for (let i = 0; i < 20; i++) {
    const branch = await post(api, '/v1/organizations', {
      name: `联合支部${i}`,
      level: 'branch',
      form: 'joint',
      parentId: root.body.id,
      regionCode: '310115',
      unitIds: [units[2 * i], units[2 * i + 1]],
      establishedOn: '2016-01-01',
    });
    branches.push(branch.body.id as string);
  }
  return { branches, units };
}

/** SQL statements per command kind: two members' scripts against a traced API, spans counted per request. */
async function statementsPerCommand(server: BenchServer): Promise<[string, number][]> {
  const collector = await startOtlpCollector();
  const api = await startApi(server, 'bench_commands_traced', 1, {
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.tracesEndpoint,
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
  try {
    const { branches, units } = await setUp(api);
    let member = '';
    let transferId = '';
    let sent = 0;
    for (const step of commandScript(0, branches, units)) {
      if (sent === 26) break;
      const reply = await post(api, pathOf(step, member, transferId), step.body);
      if (step.member === 'new') member = reply.body.id as string;
      if (step.path === 'transfers') transferId = reply.body.transferId as string;
      sent++;
    }
    const all = await collector.until(
      (spans) => spans.filter((span) => span.kind === SPAN_KIND_SERVER).length >= 61 + sent,
    );
    // Spans that end after their request's answer (a throttled NOTIFY) arrive in a later export.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const servers = all.filter((span) => span.kind === SPAN_KIND_SERVER && span.name.startsWith('POST /v1/members'));
    const statements = new Map<string, number>();
    for (const span of all)
      if (span.name.startsWith('pg.query')) statements.set(span.traceId, (statements.get(span.traceId) ?? 0) + 1);
    const byRoute = new Map<string, number[]>();
    for (const span of servers)
      byRoute.set(span.name, [...(byRoute.get(span.name) ?? []), statements.get(span.traceId) ?? 0]);
    // BENCH_STATEMENTS_DETAIL=1: each command's statements as the pg instrumentation names them.
    if (process.env.BENCH_STATEMENTS_DETAIL)
      for (const server of servers.slice(0, 26))
        console.log(
          `${server.name}: ${all
            .filter((span) => span.traceId === server.traceId && span.name.startsWith('pg.query'))
            .map((span) => {
              const text = span.attributes['db.query.text'] ?? span.attributes['db.statement'];
              return typeof text === 'string' ? text : span.name;
            })
            .map((text) => text.replace(/\s+/g, ' ').slice(0, 70))
            .join(' | ')}`,
        );
    return [...byRoute].map(([route, counts]) => [route, median(counts)]);
  } finally {
    await api.stop();
    await collector.close();
  }
}

/** The PostgreSQL server's main process (the parent of every backend). */
async function postmasterOf(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const backend = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const { readFileSync } = await import('node:fs');
    const stat = readFileSync(`/proc/${backend}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } finally {
    await client.end();
  }
}

interface Measured {
  readonly workers: number;
  readonly commands: number;
  readonly commandsPerSec: number;
  readonly latenciesMs: number[];
  readonly apiCpuMsPerCommand: number;
  readonly postgresCpuMsPerCommand: number;
  readonly loadCpuMsPerCommand: number;
  readonly projectorCpuMsPerCommand: number;
  readonly appendsPerSec: number;
  readonly appends: number;
}

async function measure(server: BenchServer, workers: number): Promise<Measured> {
  const api = await startApi(server, `bench_commands_${workers}`, workers);
  try {
    const { branches, units } = await setUp(api);
    const postmaster = await postmasterOf(api.url);
    const projector = spawn(
      process.execPath,
      [join(ROOT, PROJECTOR === 'api' ? 'bench/idle.js' : 'dist/apps/projector/src/main.js')],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DATABASE_URL: api.url,
          DATA_DIR: api.dataDir,
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    const load = spawn(
      process.execPath,
      [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(__dirname, 'commands-load.ts')],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          BENCH_BASE: api.base,
          BENCH_TOKEN: api.token,
          BENCH_BRANCHES: branches.join(','),
          BENCH_UNITS: units.join(','),
          BENCH_CLIENTS: String(CLIENTS),
          BENCH_WARMUP_SECONDS: String(WARMUP_SECONDS),
          BENCH_SECONDS: String(SECONDS),
          BENCH_CLIENT_OFFSET: String(workers * 1_000),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    load.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => load.once('exit', resolve));
    // tsx compiles the generator before it starts its clock: its first request marks the start.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    let at: { api: number; postgres: number; projector: number } | undefined;
    const sample = () => ({
      api: processTreeCpuMs(api.pid),
      postgres: processTreeCpuMs(postmaster),
      projector: processTreeCpuMs(projector.pid ?? 0),
    });
    const warm = setTimeout(() => (at = sample()), WARMUP_SECONDS * 1000);
    const end = new Promise<{ api: number; postgres: number; projector: number }>((resolve) =>
      setTimeout(() => resolve(sample()), (WARMUP_SECONDS + SECONDS) * 1000),
    );
    const activity = process.env.BENCH_PG_SAMPLE
      ? sampleActivity(api.url, (WARMUP_SECONDS + SECONDS) * 1000)
      : undefined;
    const code = await exited;
    clearTimeout(warm);
    if (activity) console.log(await activity);
    const after = await end;
    projector.kill('SIGTERM');
    await new Promise((resolve) => projector.once('exit', resolve));
    if (code !== 0 || !at) throw new Error(`the load generator exited with ${code}`);
    const result = JSON.parse(output.trim().split('\n').at(-1)!) as {
      latenciesMs: number[];
      seconds: number;
      failures: number;
      firstFailures: string[];
      cpuMs: number;
    };
    if (result.failures > 0)
      throw new Error(
        `${result.failures} commands failed (${result.firstFailures.join('; ')}): the benchmark measures only successful work`,
      );
    const commands = result.latenciesMs.length;
    const groups = await commandsAsAppended(api.url);
    return {
      workers,
      commands,
      commandsPerSec: commands / result.seconds,
      latenciesMs: result.latenciesMs,
      apiCpuMsPerCommand: (after.api - at.api) / commands,
      postgresCpuMsPerCommand: (after.postgres - at.postgres) / commands,
      loadCpuMsPerCommand: result.cpuMs / commands,
      projectorCpuMsPerCommand: (after.projector - at.projector) / commands,
      appendsPerSec: await appendOnly(await server.database(`bench_append_only_${workers}`), groups),
      appends: groups.length,
    };
  } finally {
    await api.stop();
  }
}

/**
 * BENCH_PG_SAMPLE=1: what PostgreSQL's backends are running, sampled every 5 ms from pg_stat_activity,
 * by application and statement: where the server's time goes, as a table of the most frequent.
 */
async function sampleActivity(url: string, forMs: number): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const seen = new Map<string, number>();
  let samples = 0;
  const end = Date.now() + forMs;
  while (Date.now() < end) {
    const { rows } = await client.query<{ app: string; query: string; wait: string | null }>(
      `SELECT application_name AS app, left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS query, wait_event AS wait
         FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() AND datname = current_database()`,
    );
    samples++;
    for (const row of rows) {
      const key = `${row.app} | ${row.wait ?? 'cpu'} | ${row.query}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await client.end();
  const top = [...seen].sort((a, b) => b[1] - a[1]).slice(0, 20);
  return `${samples} samples of pg_stat_activity (active backends: application | wait event | statement):\n${table(
    ['share of samples', 'backend'],
    top.map(([key, n]) => [`${((100 * n) / samples).toFixed(1)}%`, key]),
  )}`;
}

/** Every event of the run, grouped as its command appended it. */
async function commandsAsAppended(url: string): Promise<RecordedEvent[][]> {
  const reader = createPool({ url, max: 2 });
  const readStore = new PostgresEventStore(reader);
  const groups = new Map<string, RecordedEvent[]>();
  for (let after = 0n; ;) {
    const page = await readStore.readAll({ after, limit: 10_000 });
    for (const event of page.events) {
      const key = `${event.streamId}|${JSON.stringify(event.metadata.requestId ?? event.id)}`;
      groups.set(key, [...(groups.get(key) ?? []), event]);
    }
    after = page.checkpoint;
    if (page.caughtUp) break;
  }
  await readStore.close();
  await reader.end();
  return [...groups.values()];
}

/** The same events, one append per command, straight into a fresh log; returns appends per second. */
async function appendOnly(url: string, commands: readonly RecordedEvent[][]): Promise<number> {
  await migrateEventStore(url);
  const pool = createPool({ url, max: CLIENTS });
  const store = new PostgresEventStore(pool);
  const byWorker: RecordedEvent[][][] = Array.from({ length: CLIENTS }, () => []);
  const workerOf = new Map<string, number>();
  for (const group of commands) {
    const stream = group[0]!.streamId;
    if (!workerOf.has(stream)) workerOf.set(stream, workerOf.size % CLIENTS);
    byWorker[workerOf.get(stream)!]!.push(group);
  }
  const started = performance.now();
  await inParallel(CLIENTS, async (worker) => {
    for (const group of byWorker[worker]!) {
      const expected = group[0]!.streamVersion - 1;
      await store.append(
        group[0]!.streamId,
        group.map((event) => ({ id: event.id, type: event.type, data: event.data, metadata: event.metadata })),
        expected === 0 ? 'no-stream' : expected,
      );
    }
  });
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  await pool.end();
  return commands.length / seconds;
}

async function main(): Promise<void> {
  execFileSync('npx', ['nest', 'build', 'registry-api'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync('npx', ['nest', 'build', 'projector'], { cwd: ROOT, stdio: 'inherit' });
  const server = await benchServer();
  try {
    const statements = await statementsPerCommand(server);
    console.log('\nSQL statements per command (median of two members, from the traces):');
    console.log(
      table(
        ['command', 'statements'],
        statements.map(([route, n]) => [route, String(n)]),
      ),
    );

    console.log(`\n${CLIENTS} clients, ${WARMUP_SECONDS} s warm-up, ${SECONDS} s measured; ${server.describe}`);
    const runs: Measured[] = [];
    for (const workers of WORKER_COUNTS) runs.push(await measure(server, workers));
    const p = (run: Measured, q: number) => percentile(run.latenciesMs, q).toFixed(1);
    console.log('');
    console.log(
      table(
        ['measure', ...runs.map((run) => `API_WORKERS=${run.workers}`)],
        [
          ['commands measured', ...runs.map((run) => String(run.commands))],
          ['commands/s over HTTP', ...runs.map((run) => format(run.commandsPerSec))],
          ['latency p50 / p95 / p99 (ms)', ...runs.map((run) => `${p(run, 50)} / ${p(run, 95)} / ${p(run, 99)}`)],
          ['CPU per command: API, all processes (ms)', ...runs.map((run) => run.apiCpuMsPerCommand.toFixed(3))],
          [
            'CPU per command: PostgreSQL, all processes (ms)',
            ...runs.map((run) => run.postgresCpuMsPerCommand.toFixed(3)),
          ],
          ['CPU per command: load generator (ms)', ...runs.map((run) => run.loadCpuMsPerCommand.toFixed(3))],
          [
            'CPU per command: projector, its own process (ms)',
            ...runs.map((run) => run.projectorCpuMsPerCommand.toFixed(3)),
          ],
          [
            'same appends straight to the store, /s',
            ...runs.map((run) => `${format(run.appendsPerSec)} (${run.appends})`),
          ],
          ['vsAppendOnly', ...runs.map((run) => (run.commandsPerSec / run.appendsPerSec).toFixed(2))],
        ],
      ),
    );
    for (const run of runs)
      console.log(
        JSON.stringify({
          commandsPerSec: Math.round(run.commandsPerSec),
          p95Ms: Number(p(run, 95)),
          vsAppendOnly: Number((run.commandsPerSec / run.appendsPerSec).toFixed(2)),
          apiCpuMsPerCommand: Number(run.apiCpuMsPerCommand.toFixed(3)),
          apiWorkers: run.workers,
        }),
      );
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
