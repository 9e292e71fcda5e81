import type { Pool, PoolClient } from 'pg';
import { parseStreamId, type StreamCategory } from '@registry/contracts';
import type { RecordedEvent } from '@registry/event-store';
import { firstRow } from '@registry/postgres';
import type { ProjectionDefinition, ProjectionServices } from '../projection';
import { applyBatch, applyLocked, GenerationMoved, sqlOf } from './apply';
import { MemoryTables } from './memory-tables';
import { inTransaction } from './sql';
import type { EventLog } from './event-log';
import {
  advanceGeneration,
  createGeneration,
  type Generation,
  generationsOf,
  installProjections,
  liveGeneration,
  lockGeneration,
  pointViewsAt,
} from './generations';

export interface RebuildProgress {
  readonly projection: string;
  readonly generation: number;
  readonly applied: number;
  /** Events in the log when the rebuild started (more may arrive). */
  readonly total: number | undefined;
  readonly eventsPerSecond: number;
  readonly etaSeconds: number | undefined;
}

export interface RebuildResult {
  readonly projection: string;
  readonly from: number;
  readonly to: number;
  readonly events: number;
  readonly seconds: number;
}

export class RebuildRefused extends Error {
  override readonly name = 'RebuildRefused';
}

export interface RebuildOptions {
  /**
   * Events per page read from the log: per transaction when applying incrementally, per call of
   * the projection in a bulk rebuild (where larger pages mean fewer recomputations).
   */
  readonly batchSize?: number;
  /** Rows a bulk rebuild holds in memory, per projection, before it writes them out and reads through (ADR 0015). */
  readonly memoryRows?: number;
  /**
   * `bulk` (the default) folds the log into tables held in memory and writes them with COPY,
   * creating the indexes afterwards; `incremental` applies every page in its own transaction, as
   * the live projector does.
   */
  readonly mode?: 'bulk' | 'incremental';
  readonly onProgress?: (progress: RebuildProgress) => void;
}

const DEFAULT_MEMORY_ROWS = 4_000_000;

/**
 * Shares projections out between at most `jobs` rebuilds running side by side (one per core), the
 * heaviest first onto the lightest share, so the longest share is as short as the weights allow.
 */
export function splitForJobs(definitions: readonly ProjectionDefinition[], jobs: number): ProjectionDefinition[][] {
  const shares = Array.from({ length: Math.max(1, Math.min(jobs, definitions.length)) }, () => ({
    weight: 0,
    definitions: [] as ProjectionDefinition[],
  }));
  const weightOf = (d: ProjectionDefinition): number => d.rebuildWeight ?? 10;
  for (const definition of [...definitions].sort((a, b) => weightOf(b) - weightOf(a))) {
    const lightest = shares.reduce((min, share) => (share.weight < min.weight ? share : min));
    lightest.definitions.push(definition);
    lightest.weight += weightOf(definition);
  }
  return shares.map((share) => share.definitions).filter((share) => share.length > 0);
}

/** Rebuilds one projection: see `rebuildProjections`. */
export async function rebuildProjection(
  pool: Pool,
  log: EventLog,
  definition: ProjectionDefinition,
  services: ProjectionServices,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const [result] = await rebuildProjections(pool, log, [definition], services, options);
  if (!result) throw new Error(`the rebuild of ${definition.name} gave no result`);
  return result;
}

/**
 * Blue/green: builds the next generation of each projection beside the live one (which keeps
 * answering and keeps following the log), then, holding the live generation's lock, applies what
 * is left and points the reporting views at the new tables in one transaction; the old schema is
 * dropped afterwards. A bulk rebuild of several projections reads the log once for all of them.
 * One rebuild per projection at a time (an advisory lock held for the whole run).
 */
export async function rebuildProjections(
  pool: Pool,
  log: EventLog,
  definitions: readonly ProjectionDefinition[],
  services: ProjectionServices,
  options: RebuildOptions = {},
): Promise<RebuildResult[]> {
  await installProjections(pool, definitions);
  const lock = await pool.connect();
  const held: string[] = [];
  try {
    for (const definition of definitions) {
      const key = `projections.rebuild:${definition.name}`;
      const { rows } = await lock.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
        key,
      ]);
      if (!firstRow(rows, 'pg_try_advisory_lock').locked)
        throw new RebuildRefused(`a rebuild of ${definition.name} is already running`);
      held.push(key);
    }
    return await rebuildHoldingLocks(pool, log, definitions, services, options);
  } finally {
    for (const key of held) await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    lock.release();
  }
}

/** One projection's rebuild in progress. */
interface Build {
  readonly definition: ProjectionDefinition;
  generation: Generation;
  /** Created without its secondary indexes: the first bulk write creates them. */
  indexesPending: boolean;
  applied: number;
  readonly total: number | undefined;
}

async function rebuildHoldingLocks(
  pool: Pool,
  log: EventLog,
  definitions: readonly ProjectionDefinition[],
  services: ProjectionServices,
  options: RebuildOptions,
): Promise<RebuildResult[]> {
  const bulk = options.mode !== 'incremental';
  const batchSize = options.batchSize ?? (bulk ? 50_000 : 2_000);
  const started = Date.now();
  // Counting the log is a scan: once per starting position, not once per projection.
  const counts = new Map<bigint, Promise<number | undefined>>();
  const eventsAfter = (position: bigint): Promise<number | undefined> => {
    let count = counts.get(position);
    if (!count) {
      count = log.countEventsAfter ? log.countEventsAfter(position) : Promise.resolve(undefined);
      counts.set(position, count);
    }
    return count;
  };
  const builds: Build[] = [];
  for (const definition of definitions) builds.push(await prepare(pool, eventsAfter, definition, bulk));
  const report = (build: Build): void => {
    const seconds = (Date.now() - started) / 1000;
    const eventsPerSecond = seconds > 0 ? build.applied / seconds : 0;
    const remaining = build.total === undefined ? undefined : Math.max(build.total - build.applied, 0);
    options.onProgress?.({
      projection: build.definition.name,
      generation: build.generation.generation,
      applied: build.applied,
      total: build.total,
      eventsPerSecond,
      etaSeconds: remaining === undefined || eventsPerSecond === 0 ? undefined : remaining / eventsPerSecond,
    });
  };
  if (bulk) {
    await bulkApply(pool, log, builds, services, {
      batchSize,
      memoryRows: options.memoryRows ?? DEFAULT_MEMORY_ROWS,
      report,
    });
  }
  const results: RebuildResult[] = [];
  for (const build of builds) {
    results.push(await finish(pool, log, build, services, Math.min(batchSize, 5_000), report, started));
  }
  return results;
}

/**
 * A building generation left by an interrupted rebuild is consistent at its checkpoint and has its
 * indexes once it has applied anything: resume it when it is of this version, otherwise start again.
 */
async function prepare(
  pool: Pool,
  eventsAfter: (position: bigint) => Promise<number | undefined>,
  definition: ProjectionDefinition,
  bulk: boolean,
): Promise<Build> {
  let interrupted = (await generationsOf(pool, [definition.name])).find((g) => g.state === 'building');
  if (
    interrupted &&
    (interrupted.version !== definition.version || interrupted.status === 'stopped' || interrupted.position === 0n)
  ) {
    await dropGeneration(pool, interrupted);
    interrupted = undefined;
  }
  const generation =
    interrupted ??
    (await inTransaction(pool, (client) =>
      createGeneration(client, definition, 'building', bulk ? 'indexes-later' : 'with-indexes'),
    ));
  return {
    definition,
    generation,
    indexesPending: bulk && !interrupted,
    applied: 0,
    total: await eventsAfter(generation.position),
  };
}

/** Applies what the bulk pass left (all of it when incremental) page by page, then switches. */
async function finish(
  pool: Pool,
  log: EventLog,
  build: Build,
  services: ProjectionServices,
  batchSize: number,
  report: (build: Build) => void,
  started: number,
): Promise<RebuildResult> {
  const { definition } = build;
  for (;;) {
    const page = await log.readAll({
      after: build.generation.position,
      limit: batchSize,
      categories: definition.categories,
    });
    if (page.events.length === 0) break;
    const outcome = await applyBatch(pool, definition, services, build.generation, page.events, page.checkpoint);
    if (outcome.kind === 'moved')
      throw new RebuildRefused(
        `generation ${build.generation.generation} of ${definition.name} was changed by someone else`,
      );
    if (outcome.kind === 'failed') {
      const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      throw new RebuildRefused(
        `generation ${build.generation.generation} of ${definition.name} cannot apply ${outcome.event.type} at position ${outcome.event.position.toString()} (event ${outcome.event.id}): ${message}; the live generation is untouched`,
      );
    }
    build.generation = outcome.generation;
    build.applied += page.events.length;
    report(build);
  }

  const retired = await inTransaction(pool, async (client) => {
    // Holding the live row stops every runner between batches; what they have not applied, we do.
    const live = await liveGeneration(client, definition.name, true);
    if (!live) throw new RebuildRefused(`projection ${definition.name} has no live generation`);
    const locked = await lockGeneration(client, definition.name, build.generation.generation);
    if (!locked)
      throw new RebuildRefused(
        `generation ${build.generation.generation} of ${definition.name} was dropped by someone else`,
      );
    build.generation = locked;
    const head = await log.headPosition();
    build.applied += await catchUp(
      client,
      log,
      definition,
      services,
      build.generation,
      head,
      batchSize,
      (g) => (build.generation = g),
    );
    await client.query(
      `UPDATE projections.generations SET state = 'retired', retired_at = now(), updated_at = now() WHERE name = $1 AND generation = $2`,
      [definition.name, live.generation],
    );
    await client.query(
      `UPDATE projections.generations SET state = 'live', live_since = now(), updated_at = now() WHERE name = $1 AND generation = $2`,
      [definition.name, build.generation.generation],
    );
    await pointViewsAt(client, definition, build.generation.schemaName);
    return live;
  });
  await pool.query(`DROP SCHEMA IF EXISTS ${retired.schemaName} CASCADE`);
  report(build);
  return {
    projection: definition.name,
    from: retired.generation,
    to: build.generation.generation,
    events: build.applied,
    seconds: (Date.now() - started) / 1000,
  };
}

async function catchUp(
  client: PoolClient,
  log: EventLog,
  definition: ProjectionDefinition,
  services: ProjectionServices,
  generation: Generation,
  head: bigint,
  batchSize: number,
  moved: (generation: Generation) => void,
): Promise<number> {
  let applied = 0;
  let current = generation;
  // Up to the head seen under the lock; whatever commits later, the live runners apply to the new generation.
  while (current.position < head) {
    const page = await log.readAll({ after: current.position, limit: batchSize, categories: definition.categories });
    if (page.events.length === 0) return applied;
    current = await applyLocked(client, definition, services, current, page.events, page.checkpoint);
    moved(current);
    applied += page.events.length;
  }
  return applied;
}

async function dropGeneration(pool: Pool, generation: Generation): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(`DROP SCHEMA IF EXISTS ${generation.schemaName} CASCADE`);
    await client.query('DELETE FROM projections.generations WHERE name = $1 AND generation = $2', [
      generation.name,
      generation.generation,
    ]);
  });
}

/** A bulk rebuild's state for one projection. */
interface Fold {
  readonly build: Build;
  readonly categories: ReadonlySet<string>;
  tables: MemoryTables;
  /** Everything up to here is applied (in memory or written). */
  position: bigint;
  /** Events applied in memory since the last write. */
  pending: number;
  /** The projection could not apply a page: what it held is dropped, the incremental pages take over. */
  failed: boolean;
}

/**
 * Reads the log once for every projection being rebuilt and applies it to tables held in memory,
 * writing them with COPY each time a projection holds more than `memoryRows` rows, and at the
 * end; each write commits with the generation's checkpoint, and the first creates the secondary
 * indexes. If a projection cannot apply a page, it stops at its last write: the incremental pages
 * that follow find the event and report it.
 */
async function bulkApply(
  pool: Pool,
  log: EventLog,
  builds: readonly Build[],
  services: ProjectionServices,
  options: { batchSize: number; memoryRows: number; report: (build: Build) => void },
): Promise<void> {
  // Folds hold no connection between writes: reads through to written rows take one from the pool
  // for the query (they read committed rows), so six folds and the services they call share it.
  const folds: Fold[] = builds.map((build) => ({
    build,
    categories: new Set(build.definition.categories),
    tables: new MemoryTables(build.generation.schemaName, sqlOf(pool), !build.indexesPending),
    position: build.generation.position,
    pending: 0,
    failed: false,
  }));
  const after = folds.reduce((min, fold) => (fold.position < min ? fold.position : min), folds[0]?.position ?? 0n);
  const categories = [...new Set(builds.flatMap((b) => b.definition.categories))];
  for await (const page of pagesOf(log, after, categories, options.batchSize)) {
    const last = page.at(-1)?.position;
    if (last === undefined) continue;
    for (const fold of folds) {
      if (fold.failed) continue;
      const events = page.filter(
        (e) => e.position > fold.position && fold.categories.has(parseStreamId(e.streamId)?.category ?? ''),
      );
      try {
        await fold.build.definition.apply(fold.tables, events, services);
      } catch {
        fold.failed = true;
        fold.tables = new MemoryTables(fold.build.generation.schemaName, sqlOf(pool), true);
        continue;
      }
      fold.position = last;
      fold.pending += events.length;
      fold.build.applied += events.length;
      options.report(fold.build);
      if (fold.tables.heldRows() > options.memoryRows) await write(pool, fold);
    }
  }
  // Side by side: one projection's COPY, index builds and ANALYZE run in its server process while another's rows are serialised here.
  const written = await Promise.allSettled(folds.filter((fold) => !fold.failed).map((fold) => write(pool, fold)));
  const failure = written.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  // Once every write has committed: a transaction still open when a table is vacuumed keeps its rows from counting as visible to all.
  for (const fold of folds) if (!fold.failed) await vacuumCovered(pool, fold.build.generation.schemaName);
}

async function write(pool: Pool, fold: Fold): Promise<void> {
  const { build } = fold;
  const client = await pool.connect();
  try {
    await writeWith(client, fold);
  } finally {
    client.release();
  }
  fold.tables = new MemoryTables(build.generation.schemaName, sqlOf(pool), true);
}

/**
 * Pages filled by COPY are not marked all-visible until a VACUUM, so an index-only scan would still
 * visit the table for every row. Tables with a covering index are vacuumed once written (outside
 * the transaction: VACUUM cannot run in one). Pages stay unmarked while an older transaction is
 * open in the database (a live projector's batch, say); autovacuum marks them later.
 */
async function vacuumCovered(pool: Pool, schema: string): Promise<void> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT DISTINCT t.relname AS name FROM pg_index i
       JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 AND i.indnkeyatts < i.indnatts`,
    [schema],
  );
  if (rows.length > 0) await pool.query(`VACUUM ${rows.map((row) => `${schema}.${row.name}`).join(', ')}`);
}

async function writeWith(client: PoolClient, fold: Fold): Promise<void> {
  const { build } = fold;
  await client.query('BEGIN');
  try {
    const current = await lockGeneration(client, build.generation.name, build.generation.generation);
    if (!current || current.position !== build.generation.position || current.status !== 'running')
      throw new GenerationMoved(`projection ${build.generation.name} generation ${build.generation.generation} moved`);
    await fold.tables.flush(client);
    if (build.indexesPending) await client.query(build.definition.createIndexes(current.schemaName));
    // Tables filled by COPY have no planner statistics until autovacuum comes by: without them the
    // first queries after the switch plan as if the tables were empty (the tree took seconds).
    await analyzeSchema(client, current.schemaName);
    await advanceGeneration(client, current, fold.position, fold.pending);
    await client.query('COMMIT');
    build.generation = {
      ...current,
      position: fold.position,
      eventsApplied: current.eventsApplied + BigInt(fold.pending),
    };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  build.indexesPending = false;
  fold.pending = 0;
}

async function analyzeSchema(client: PoolClient, schema: string): Promise<void> {
  const { rows } = await client.query<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE schemaname = $1', [
    schema,
  ]);
  if (rows.length > 0) await client.query(`ANALYZE ${rows.map((row) => `${schema}.${row.tablename}`).join(', ')}`);
}

/** The log after a position in pages: through COPY where the store offers it, else keyset pages. */
async function* pagesOf(
  log: EventLog,
  after: bigint,
  categories: readonly StreamCategory[],
  pageSize: number,
): AsyncGenerator<readonly RecordedEvent[]> {
  if (log.readBulk) {
    yield* log.readBulk({ after, categories, pageSize });
    return;
  }
  for (let position = after; ;) {
    const page = await log.readAll({ after: position, limit: Math.min(pageSize, 10_000), categories });
    if (page.events.length > 0) yield page.events;
    position = page.checkpoint;
    if (page.caughtUp) return;
  }
}
