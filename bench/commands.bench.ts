/**
 * npm run bench -- commands
 *
 * Mixed commands over HTTP from 32 concurrent clients against the registry API as `npm start`
 * builds and runs it, then the same events appended straight to the event store (same streams,
 * same grouping, same 32-way concurrency) on the same PostgreSQL server in the same run.
 * While it runs, /metrics is scraped twice a second for the projections' lag (issue 11: the live
 * projector keeps up under write load), reported on the line before the last.
 * Last line: {"commandsPerSec","p95Ms","vsAppendOnly","apiCpuMsPerCommand"}.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '@registry/runtime';
import { loadConfig } from '@registry/config';
import { PostgresEventStore, migrateEventStore, type RecordedEvent } from '@registry/event-store';
import { createPool, freePort } from '@registry/postgres';
import { creditCode, residentId } from '../test/support/identifiers';
import { waitForHealth } from '../test/support/processes';
import { addDays, monthlyDuesFen } from '@registry/domain';
import { benchServer, format, inParallel, median, percentile, processCpuMs, table } from './support';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = 3;
const ROOT = join(__dirname, '..');
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-0123';

async function post(
  base: string,
  token: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** One client's endless script: register a member, then walk them through a dozen other commands. */
function* script(
  client: number,
  branches: readonly string[],
  units: readonly string[],
): Generator<{ path: string; body: unknown; member?: 'new' }> {
  for (let n = 0; ; n++) {
    const serial = client * 100_000 + n;
    const birthDate = addDays('1960-01-01', serial % 15_000);
    const gender = serial % 2 === 0 ? 'female' : 'male';
    const home = branches[serial % branches.length]!;
    const other = branches[(serial + 1) % branches.length]!;
    yield {
      path: '/v1/members',
      member: 'new',
      body: {
        name: `成员${serial}`,
        idNumber: residentId(birthDate, gender, Math.floor(serial / 15_000) % 400),
        gender,
        birthDate,
        joinedOn: '2020-07-01',
        status: 'probationary',
        orgId: home,
        unitId: units[serial % units.length],
        effectiveOn: '2020-07-01',
      },
    };
    yield { path: 'confirm', body: { effectiveOn: '2021-07-01' } };
    yield { path: 'dues/assessments', body: { from: '2024-01', category: 'employed', monthlyIncomeFen: 600_000 } };
    for (const month of ['2024-01', '2024-02', '2024-03']) {
      yield {
        path: 'dues/payments',
        body: {
          months: [month],
          amountFen: monthlyDuesFen('employed', 600_000),
          paidOn: '2024-04-01',
          channel: 'bank',
        },
      };
    }
    yield { path: 'employment', body: { unitId: units[(serial + 1) % units.length], effectiveOn: '2024-01-01' } };
    yield { path: 'flow-out', body: { since: '2024-02-01', destinationRegionCode: '440305' } };
    yield { path: 'flow-return', body: { effectiveOn: '2024-03-01' } };
    yield { path: 'lost-contact', body: { since: '2024-04-01' } };
    yield { path: 'contact-restored', body: { effectiveOn: '2024-05-01' } };
    yield { path: 'transfers', body: { to: { orgId: other }, effectiveOn: '2024-06-01', letterNo: `BENCH-${serial}` } };
    yield { path: 'accept', body: { effectiveOn: '2024-06-10' } };
  }
}

interface Measured {
  readonly latenciesMs: number[];
  readonly commands: number;
  readonly seconds: number;
}

async function drive(
  base: string,
  token: string,
  branches: readonly string[],
  units: readonly string[],
): Promise<Measured> {
  const started = performance.now();
  const warmEnd = started + WARMUP_SECONDS * 1000;
  const end = warmEnd + SECONDS * 1000;
  const latenciesMs: number[] = [];
  let failures = 0;
  await inParallel(CLIENTS, async (client) => {
    let member = '';
    let transferId = '';
    for (const step of script(client, branches, units)) {
      const now = performance.now();
      if (now >= end) return;
      const path =
        step.member === 'new'
          ? step.path
          : step.path === 'accept'
            ? `/v1/members/${member}/transfers/${transferId}/accept`
            : `/v1/members/${member}/${step.path}`;
      const reply = await post(base, token, path, step.body);
      const took = performance.now() - now;
      if (reply.status >= 300) {
        failures++;
        if (failures < 5) console.error(`unexpected ${reply.status} on ${path}: ${JSON.stringify(reply.body)}`);
      }
      if (step.member === 'new') member = reply.body.id as string;
      if (step.path === 'transfers') transferId = reply.body.transferId as string;
      if (now >= warmEnd) latenciesMs.push(took);
    }
  });
  if (failures > 0) throw new Error(`${failures} commands failed: the benchmark measures only successful work`);
  return { latenciesMs, commands: latenciesMs.length, seconds: (end - warmEnd) / 1000 };
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
  const server = await benchServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'registry-bench-api-'));
  const port = await freePort();
  const apiUrl = await server.database('bench_commands');
  // BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the API process.
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const api = spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist/apps/registry-api/src/main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: apiUrl,
      DATABASE_POOL_SIZE: '20',
      JWT_SECRET,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHealth(`${base}/health`, 60_000);
    const config = loadConfig({ JWT_SECRET, DATA_DIR: dataDir });
    const token = signToken(config, { sub: 'bench', roles: ['registrar'] });

    const root = await post(base, token, '/v1/organizations', {
      name: '基准测试党委',
      level: 'committee',
      form: 'regional',
      regionCode: '310115',
      unitIds: [],
      establishedOn: '2010-01-01',
    });
    const units: string[] = [];
    for (let i = 0; i < 40; i++) {
      const unit = await post(base, token, '/v1/units', {
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
      const branch = await post(base, token, '/v1/organizations', {
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

    console.log(`\n${CLIENTS} clients, ${WARMUP_SECONDS} s warm-up, ${SECONDS} s measured; ${server.describe}`);
    // The API's own CPU time over the measured window: unlike commands/s, it does not move with
    // what the load generator and PostgreSQL take from the same two cores.
    const apiPid = api.pid ?? 0;
    let cpuAtStart = 0;
    const startSample = setTimeout(() => (cpuAtStart = processCpuMs(apiPid)), WARMUP_SECONDS * 1000);
    const lag = sampleProjectionLag(base, WARMUP_SECONDS * 1000);
    const measured = await drive(base, token, branches, units);
    clearTimeout(startSample);
    const lagSamples = await lag.stop();
    const apiCpuMsPerCommand = (processCpuMs(apiPid) - cpuAtStart) / measured.commands;
    const commandsPerSec = measured.commands / measured.seconds;

    const reader = createPool({ url: apiUrl, max: 2 });
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
    const appendsPerSec = await appendOnly(await server.database('bench_append_only'), [...groups.values()]);

    const p = (q: number) => percentile(measured.latenciesMs, q);
    console.log('');
    console.log(
      table(
        ['measure', 'value'],
        [
          ['commands measured', String(measured.commands)],
          ['commands/s over HTTP', format(commandsPerSec)],
          ['latency p50 / p95 / p99 (ms)', `${p(50).toFixed(1)} / ${p(95).toFixed(1)} / ${p(99).toFixed(1)}`],
          ['latency median (ms)', median(measured.latenciesMs).toFixed(1)],
          ['API process CPU per command (user + system, ms)', apiCpuMsPerCommand.toFixed(3)],
          [`same ${groups.size} appends straight to the store, /s`, format(appendsPerSec)],
          [
            `projection lag from /metrics, the most behind of the six (${lagSamples.length} samples, each 0.5 s after the previous answer): p50 / p95 / max (s)`,
            `${percentile(lagSamples, 50).toFixed(2)} / ${percentile(lagSamples, 95).toFixed(2)} / ${Math.max(...lagSamples).toFixed(2)}`,
          ],
        ],
      ),
    );
    console.log(JSON.stringify({ projectionLagP95Seconds: Number(percentile(lagSamples, 95).toFixed(2)) }));
    console.log(
      JSON.stringify({
        commandsPerSec: Math.round(commandsPerSec),
        p95Ms: Number(p(95).toFixed(1)),
        vsAppendOnly: Number((commandsPerSec / appendsPerSec).toFixed(2)),
        apiCpuMsPerCommand: Number(apiCpuMsPerCommand.toFixed(3)),
      }),
    );
  } finally {
    api.kill('SIGTERM');
    await new Promise((resolve) => api.once('exit', resolve));
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Scrapes /metrics twice a second from `afterMs` on, as Prometheus would: each sample is the
 * largest `registry_projection_lag_seconds` (age of the oldest event a projection has not applied).
 */
function sampleProjectionLag(base: string, afterMs: number): { stop(): Promise<number[]> } {
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    await new Promise((resolve) => setTimeout(resolve, afterMs));
    while (running) {
      const text = await (await fetch(`${base}/metrics`)).text();
      const lags = [...text.matchAll(/^registry_projection_lag_seconds\{[^}]*\} (\S+)$/gm)].map((m) => Number(m[1]));
      if (lags.length === 0) throw new Error('/metrics has no registry_projection_lag_seconds');
      samples.push(Math.max(...lags));
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return samples;
    },
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
