/**
 * npm run bench -- projections
 *
 * Generates a registry of about 1,000,000 events (100,000 units, 5,000 branches, 600,000 member
 * registrations with 50,000 transfers and 100,000 dues assessments and payments), rebuilds every
 * projection from the log and compares each with the ceiling: the same rows written by a bare COPY
 * into tables of the same definition. Then queries at that size: the whole Shanghai tree and
 * coverage by region as of a past date. BENCH_SCALE (default 1) shrinks the data set; BENCH_ORDER=random
 * spreads effective dates at random instead of roughly in the order they are recorded.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { migrateEventStore, PostgresEventStore } from '@registry/event-store';
import { MasterKey, migratePersonalData, PersonalDataVault } from '@registry/personal-data';
import {
  coverageReport,
  DEFAULT_PROJECTION_SETTINGS,
  generationsOf,
  installProjections,
  migrateProjections,
  organizationTree,
  type ProjectionServices,
  rebuildProjection,
  rebuildProjections,
  type RebuildProgress,
  registryProjections,
} from '@registry/projections';
import { generatedRegistry, loadGenerated, SHANGHAI_ROOT } from '../test/support/generated-registry';
import { benchServer, format, median, percentile, table } from './support';

const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const QUERY_RUNS = 60;

async function copyCeiling(pool: Pool, schema: string): Promise<number> {
  const { rows: tables } = await pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
    [schema],
  );
  const client = await pool.connect();
  try {
    await client.query('DROP SCHEMA IF EXISTS bench_copy CASCADE; CREATE SCHEMA bench_copy');
    const dumps: { table: string; data: Buffer }[] = [];
    for (const { table_name } of tables) {
      await client.query(`CREATE TABLE bench_copy.${table_name} (LIKE ${schema}.${table_name} INCLUDING ALL)`);
      const chunks: Buffer[] = [];
      const stream = client.query(copyTo(`COPY ${schema}.${table_name} TO STDOUT`));
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      dumps.push({ table: table_name, data: Buffer.concat(chunks) });
    }
    const started = performance.now();
    await client.query('BEGIN');
    for (const dump of dumps) {
      const stream = client.query(copyFrom(`COPY bench_copy.${dump.table} FROM STDIN`));
      await new Promise<void>((resolve, reject) => {
        stream.on('finish', resolve);
        stream.on('error', reject);
        stream.end(dump.data);
      });
    }
    await client.query('COMMIT');
    const seconds = (performance.now() - started) / 1000;
    await client.query('DROP SCHEMA bench_copy CASCADE');
    return seconds;
  } finally {
    client.release();
  }
}

const timedIf = (run: boolean, runs: number, work: () => Promise<unknown>): Promise<number[]> =>
  run ? timed(runs, work) : Promise.resolve([]);

async function timed(runs: number, work: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return times;
}

async function main(): Promise<void> {
  const server = await benchServer();
  const url = await server.database('bench_projections');
  await migrateEventStore(url);
  await migrateProjections(url);
  await migratePersonalData(url);
  const pool = new Pool({ connectionString: url, max: 8 });
  pool.on('error', () => undefined); // idle clients are cut when the benchmark's database is dropped
  const store = new PostgresEventStore(pool);
  const scale = {
    units: Math.round(100_000 * SCALE),
    branches: Math.max(20, Math.round(5_000 * SCALE)),
    members: Math.round(600_000 * SCALE),
    transferEvery: 12,
    duesEvery: 6,
    chronological: process.env.BENCH_ORDER !== 'random',
  };
  console.log(`${server.describe}; scale ${SCALE}: ${JSON.stringify(scale)}`);
  const loadStarted = performance.now();
  let lastReport = 0;
  const events = await loadGenerated(store, generatedRegistry(scale), {
    writers: 4,
    perTransaction: 250,
    onProgress: (n) => {
      if (performance.now() - lastReport > 5000) {
        lastReport = performance.now();
        process.stderr.write(`loaded ${n} events\n`);
      }
    },
  });
  console.log(`loaded ${events} events in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);

  const only = process.env.BENCH_PROJECTIONS?.split(',');
  const definitions = registryProjections().filter((d) => !only || only.includes(d.name));
  // Names come out of the vault as in the registry (the generated members' keys are absent: every lookup is made, none decrypts).
  const vault = new PersonalDataVault(pool, MasterKey.generate());
  const services: ProjectionServices = {
    memberNames: (sealed) => vault.names(sealed),
    settings: DEFAULT_PROJECTION_SETTINGS,
  };
  await installProjections(pool, definitions);
  const rows: string[][] = [];
  let rebuildSeconds = 0;
  let copySeconds = 0;
  const mode = process.env.BENCH_MODE === 'incremental' ? ('incremental' as const) : ('bulk' as const);
  const rebuildOptions = {
    mode,
    ...(process.env.BENCH_BATCH ? { batchSize: Number(process.env.BENCH_BATCH) } : {}),
  };
  const progress = (name: string) => (p: RebuildProgress) => {
    if (performance.now() - lastReport > 5000) {
      lastReport = performance.now();
      process.stderr.write(
        `rebuild ${name}: ${p.applied}/${p.total ?? '?'} (${Math.round(p.eventsPerSecond)} events/s)\n`,
      );
    }
  };
  let tableRows = 0;
  let tableMegabytes = 0;
  for (const definition of definitions) {
    const result = await rebuildProjection(pool, store, definition, services, {
      ...rebuildOptions,
      onProgress: progress(definition.name),
    });
    const live = (await generationsOf(pool, [definition.name])).find((g) => g.state === 'live')!;
    const copy = await copyCeiling(pool, live.schemaName);
    // reltuples: the rebuild ANALYZEs its tables before the switch.
    const { rows: sizes } = await pool.query<{ relname: string; n: string; bytes: string }>(
      `SELECT c.relname, c.reltuples::bigint::text AS n, pg_total_relation_size(c.oid)::text AS bytes
         FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
        WHERE s.nspname = $1 AND c.relkind = 'r' ORDER BY c.relname`,
      [live.schemaName],
    );
    const megabytes = sizes.reduce((sum, r) => sum + Number(r.bytes), 0) / 2 ** 20;
    tableRows += sizes.reduce((sum, r) => sum + Number(r.n), 0);
    tableMegabytes += megabytes;
    process.stderr.write(
      `${definition.name} rows: ${sizes.map((r) => `${r.relname}=${r.n}`).join(' ')}; ${megabytes.toFixed(0)} MiB with indexes\n`,
    );
    rebuildSeconds += result.seconds;
    copySeconds += copy;
    // Rates are over the whole log, whichever part of it the projection reads.
    rows.push([
      definition.name,
      format(events / result.seconds),
      format(events / copy),
      (copy / result.seconds).toFixed(3),
      result.seconds.toFixed(1),
    ]);
  }
  console.log(
    `\n${table(['projection', 'rebuild events/s', 'COPY ceiling events/s', 'rebuild/COPY', 'rebuild s'], rows)}`,
  );
  const { rows: logSize } = await pool.query<{ bytes: string }>(
    `SELECT pg_total_relation_size('event_store.events')::text AS bytes`,
  );
  console.log(
    `read models: ${format(tableRows)} rows, ${format(tableMegabytes)} MiB with indexes; the log: ${format(Number(logSize[0]?.bytes ?? 0) / 2 ** 20)} MiB with indexes`,
  );

  // All of them in one pass over the log (what `cli rebuild all` does), and how the rate holds up
  // from the first quarter of the log to the last (the slowest projection's progress decides).
  const marks: { at: number; applied: number }[] = [];
  // Coverage reads every category (all of the log): its progress is the pass's progress.
  const paced = definitions.find((d) => d.name === 'coverage')?.name ?? definitions[0]?.name;
  const jointStarted = performance.now();
  const joint = await rebuildProjections(pool, store, definitions, services, {
    ...rebuildOptions,
    onProgress: (p) => {
      progress('all')(p);
      if (p.projection === paced && p.total)
        marks.push({ at: performance.now() - jointStarted, applied: p.applied / p.total });
    },
  });
  const jointSeconds = (performance.now() - jointStarted) / 1000;
  const lateVsEarly = lateVsEarlyRate(marks, jointSeconds * 1000);
  // The same without the final writes (COPY, indexes, ANALYZE), which cost by the size of the read models, not by position in the log.
  const foldLateVsEarly = lateVsEarlyRate(marks, marks.find((m) => m.applied >= 1)?.at ?? Number.NaN);
  console.log(
    `\nall ${joint.length} in one pass: ${jointSeconds.toFixed(1)} s (${format(events / jointSeconds)} events/s); one after another: ${rebuildSeconds.toFixed(1)} s (${format(events / rebuildSeconds)} events/s)`,
  );

  // What an operator runs: `cli rebuild all`, one process per core (--jobs), the built CLI on this database.
  const jobs = availableParallelism();
  let cliSeconds = Number.NaN;
  if (!only) {
    execFileSync(join(__dirname, '../node_modules/.bin/nest'), ['build', 'cli'], {
      cwd: join(__dirname, '..'),
      stdio: 'inherit',
    });
    const dataDir = mkdtempSync(join(tmpdir(), 'registry-bench-cli-'));
    const cliStarted = performance.now();
    execFileSync(
      process.execPath,
      [join(__dirname, '../dist/apps/cli/src/main.js'), 'rebuild', 'all', '--jobs', String(jobs)],
      {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: url, DATA_DIR: dataDir },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    cliSeconds = (performance.now() - cliStarted) / 1000;
    rmSync(dataDir, { recursive: true, force: true });
    console.log(`cli rebuild all --jobs ${jobs}: ${cliSeconds.toFixed(1)} s (${format(events / cliSeconds)} events/s)`);
  }

  // The queries need both read models they read (not there when BENCH_PROJECTIONS leaves one out).
  const hasQueries = ['hierarchy', 'coverage'].every((name) => definitions.some((d) => d.name === name));
  // Cold: a date not asked before (the tree is built); repeated: the same question again (answered
  // from the tree built for it while the hierarchy has applied nothing since).
  let coldDay = 0;
  const treeCold = await timedIf(hasQueries, QUERY_RUNS / 2, () =>
    organizationTree(
      pool,
      SHANGHAI_ROOT,
      `2024-${String(1 + Math.floor(coldDay / 28)).padStart(2, '0')}-${String(1 + (coldDay++ % 28)).padStart(2, '0')}`,
    ),
  );
  const tree = await timedIf(hasQueries, QUERY_RUNS, () => organizationTree(pool, SHANGHAI_ROOT, '2025-06-01'));
  const coverage = await timedIf(hasQueries, QUERY_RUNS, () => coverageReport(pool, 'region', '2022-06-01', '310100'));
  const treeSize = hasQueries ? JSON.stringify(await organizationTree(pool, SHANGHAI_ROOT, '2025-06-01')).length : 0;
  console.log(
    `\n${table(
      ['query', 'p50 ms', 'p95 ms'],
      [
        [
          `tree of the whole Shanghai subtree (${scale.branches + 17} organisations, ${Math.round(treeSize / 1024)} KiB JSON), ${QUERY_RUNS / 2} dates asked once each`,
          median(treeCold).toFixed(1),
          percentile(treeCold, 95).toFixed(1),
        ],
        [
          'the same tree asked again (one date, kept per hierarchy checkpoint)',
          median(tree).toFixed(1),
          percentile(tree, 95).toFixed(1),
        ],
        [
          'coverage by region (counties of Shanghai) as of 2022-06-01',
          median(coverage).toFixed(1),
          percentile(coverage, 95).toFixed(1),
        ],
      ],
    )}`,
  );
  const summary = {
    rebuildEventsPerSec: Math.round(events / rebuildSeconds),
    jointEventsPerSec: Math.round(events / jointSeconds),
    cliRebuildAllEventsPerSec: Number.isNaN(cliSeconds) ? null : Math.round(events / cliSeconds),
    slowestEventsPerSec: Math.round(Math.min(...rows.map((r) => events / Number(r[4])))),
    rebuildVsCopy: Number((copySeconds / rebuildSeconds).toFixed(3)),
    lateVsEarlyRate: lateVsEarly,
    foldLateVsEarlyRate: foldLateVsEarly,
    treeP95Ms: Number(percentile(tree, 95).toFixed(1)),
    treeColdP95Ms: Number(percentile(treeCold, 95).toFixed(1)),
    coverageP95Ms: Number(percentile(coverage, 95).toFixed(1)),
  };
  console.log(
    `\nrebuildEventsPerSec: events / (sum of the six rebuild times, one after another); jointEventsPerSec: events / the time of one pass rebuilding all six; cliRebuildAllEventsPerSec: the same with the built CLI, one process per core; slowestEventsPerSec: the slowest projection alone; treeP95Ms: a tree asked again, treeColdP95Ms: a tree built for a date not asked before; rebuildVsCopy: sum of COPY times / sum of rebuild times; lateVsEarlyRate: in the one pass, the rate over the last quarter of the log over the rate over the first (final writes included; foldLateVsEarlyRate: without them)`,
  );
  await store.close();
  await pool.end();
  console.log(JSON.stringify(summary));
  await server.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/** Rate over the last quarter of the log ÷ rate over the first, from (time, share of the log applied) marks; `end` is when the pass finished. */
function lateVsEarlyRate(marks: readonly { at: number; applied: number }[], end: number): number {
  const at = (share: number): number => marks.find((m) => m.applied >= share)?.at ?? Number.NaN;
  const early = 0.25 / at(0.25);
  const late = 0.25 / (end - at(0.75));
  return Number((late / early).toFixed(3));
}
