import type { Pool, PoolClient } from 'pg';
import { firstRow } from '@registry/postgres';
import type { ProjectionDefinition, ProjectionServices } from '../projection';
import { applyBatch, applyLocked } from './apply';
import { inTransaction } from './sql';
import type { EventLog } from './event-log';
import {
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

/**
 * Blue/green: builds the next generation beside the live one (which keeps answering and keeps
 * following the log), then, holding the live generation's lock, applies what is left and points
 * the reporting views at the new tables in one transaction; the old schema is dropped afterwards.
 * One rebuild per projection at a time (an advisory lock held for the whole run).
 */
export async function rebuildProjection(
  pool: Pool,
  log: EventLog,
  definition: ProjectionDefinition,
  services: ProjectionServices,
  options: { batchSize?: number; onProgress?: (progress: RebuildProgress) => void } = {},
): Promise<RebuildResult> {
  const batchSize = options.batchSize ?? 2000;
  await installProjections(pool, [definition]);
  const lock = await pool.connect();
  try {
    const { rows } = await lock.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
      `projections.rebuild:${definition.name}`,
    ]);
    if (!firstRow(rows, 'pg_try_advisory_lock').locked)
      throw new RebuildRefused(`a rebuild of ${definition.name} is already running`);
    try {
      return await rebuildHoldingLock(pool, log, definition, services, batchSize, options.onProgress);
    } finally {
      await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [`projections.rebuild:${definition.name}`]);
    }
  } finally {
    lock.release();
  }
}

async function rebuildHoldingLock(
  pool: Pool,
  log: EventLog,
  definition: ProjectionDefinition,
  services: ProjectionServices,
  batchSize: number,
  onProgress: ((progress: RebuildProgress) => void) | undefined,
): Promise<RebuildResult> {
  const started = Date.now();
  // A building generation left by an interrupted rebuild is consistent at its checkpoint: resume it
  // when it is of this version, otherwise start again.
  let interrupted = (await generationsOf(pool, [definition.name])).find((g) => g.state === 'building');
  if (interrupted && (interrupted.version !== definition.version || interrupted.status === 'stopped')) {
    await dropGeneration(pool, interrupted);
    interrupted = undefined;
  }
  let building: Generation =
    interrupted ?? (await inTransaction(pool, (client) => createGeneration(client, definition, 'building')));
  const total = log.countEventsAfter ? await log.countEventsAfter(building.position) : undefined;
  let applied = 0;
  const report = (): void => {
    const seconds = (Date.now() - started) / 1000;
    const eventsPerSecond = seconds > 0 ? applied / seconds : 0;
    const remaining = total === undefined ? undefined : Math.max(total - applied, 0);
    onProgress?.({
      projection: definition.name,
      generation: building.generation,
      applied,
      total,
      eventsPerSecond,
      etaSeconds: remaining === undefined || eventsPerSecond === 0 ? undefined : remaining / eventsPerSecond,
    });
  };
  for (;;) {
    const page = await log.readAll({ after: building.position, limit: batchSize });
    if (page.events.length === 0) break;
    const outcome = await applyBatch(pool, definition, services, building, page.events, page.checkpoint);
    if (outcome.kind === 'moved')
      throw new RebuildRefused(`generation ${building.generation} of ${definition.name} was changed by someone else`);
    if (outcome.kind === 'failed') {
      const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      throw new RebuildRefused(
        `generation ${building.generation} of ${definition.name} cannot apply ${outcome.event.type} at position ${outcome.event.position.toString()} (event ${outcome.event.id}): ${message}; the live generation is untouched`,
      );
    }
    building = outcome.generation;
    applied += page.events.length;
    report();
  }

  const retired = await inTransaction(pool, async (client) => {
    // Holding the live row stops every runner between batches; what they have not applied, we do.
    const live = await liveGeneration(client, definition.name, true);
    if (!live) throw new RebuildRefused(`projection ${definition.name} has no live generation`);
    const locked = await lockGeneration(client, definition.name, building.generation);
    if (!locked)
      throw new RebuildRefused(`generation ${building.generation} of ${definition.name} was dropped by someone else`);
    building = locked;
    const head = await log.headPosition();
    applied += await catchUp(client, log, definition, services, building, head, batchSize, (g) => (building = g));
    await client.query(
      `UPDATE projections.generations SET state = 'retired', retired_at = now(), updated_at = now() WHERE name = $1 AND generation = $2`,
      [definition.name, live.generation],
    );
    await client.query(
      `UPDATE projections.generations SET state = 'live', live_since = now(), updated_at = now() WHERE name = $1 AND generation = $2`,
      [definition.name, building.generation],
    );
    await pointViewsAt(client, definition, building.schemaName);
    return live;
  });
  await pool.query(`DROP SCHEMA IF EXISTS ${retired.schemaName} CASCADE`);
  report();
  return {
    projection: definition.name,
    from: retired.generation,
    to: building.generation,
    events: applied,
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
    const page = await log.readAll({ after: current.position, limit: batchSize });
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
