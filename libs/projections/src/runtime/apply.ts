import type { Pool, PoolClient } from 'pg';
import type { RecordedEvent } from '@registry/event-store';
import type { ProjectionDefinition, ProjectionServices } from '../projection';
import { advanceGeneration, type Generation, lockGeneration, recordFailure } from './generations';
import { inTransaction, type ProjectionSql } from './sql';
import { sqlTables } from './sql-tables';

/** The generation moved on under us (another process applied, a rebuild switched, an operator acted). */
export class GenerationMoved extends Error {
  override readonly name = 'GenerationMoved';
}

export function sqlOf(client: Pick<PoolClient, 'query'>): ProjectionSql {
  return { query: async (text, values) => (await client.query(text, values as unknown[])).rows as never };
}

/**
 * Inside an open transaction: locks the generation's row, checks that nobody moved it since
 * `seen`, applies the events and advances the checkpoint. The projection's writes and its
 * checkpoint commit together or not at all.
 */
export async function applyLocked(
  client: PoolClient,
  definition: ProjectionDefinition,
  services: ProjectionServices,
  seen: Generation,
  events: readonly RecordedEvent[],
  checkpoint: bigint,
): Promise<Generation> {
  const current = await lockGeneration(client, seen.name, seen.generation);
  if (!current || current.state !== seen.state || current.position !== seen.position || current.status !== 'running') {
    throw new GenerationMoved(`projection ${seen.name} generation ${seen.generation} moved`);
  }
  if (events.length > 0) await definition.apply(sqlTables(sqlOf(client), current.schemaName), events, services);
  await advanceGeneration(client, current, checkpoint, events.length);
  return { ...current, position: checkpoint, eventsApplied: current.eventsApplied + BigInt(events.length) };
}

const TRANSIENT_CODES = /^(08|53|57P|40001|40P01)/;

/** Errors that say nothing about the event: lost connections, shutdown, serialisation failures. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (TRANSIENT_CODES.test(code) || code.startsWith('ECONN') || code === 'EPIPE'))
    return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(error.message);
}

export type BatchOutcome =
  | { readonly kind: 'applied'; readonly generation: Generation }
  | { readonly kind: 'moved' }
  | { readonly kind: 'failed'; readonly event: RecordedEvent; readonly error: unknown };

/**
 * Read models are derived from the log and commit with their checkpoint: a crash can only lose the
 * last batches whole, which the runner then applies again. So their commits do not wait for the WAL
 * flush (ADR 0035); the commands' commits, which hold the log, still do.
 */
const PROJECTION_COMMIT = { durableCommit: false } as const;

/**
 * Applies a batch in one transaction. If the batch fails, the events are applied one by one (each
 * with its checkpoint) to find the one that cannot be applied; that one is recorded and the
 * generation stops there, the events before it kept.
 */
export async function applyBatch(
  pool: Pool,
  definition: ProjectionDefinition,
  services: ProjectionServices,
  seen: Generation,
  events: readonly RecordedEvent[],
  checkpoint: bigint,
): Promise<BatchOutcome> {
  try {
    return {
      kind: 'applied',
      generation: await inTransaction(
        pool,
        (c) => applyLocked(c, definition, services, seen, events, checkpoint),
        PROJECTION_COMMIT,
      ),
    };
  } catch (error) {
    if (error instanceof GenerationMoved) return { kind: 'moved' };
    if (isTransient(error) || events.length === 0) throw error;
  }
  let current = seen;
  for (const event of events) {
    try {
      current = await inTransaction(pool, (c) =>
        applyLocked(c, definition, services, current, [event], event.position),
      );
    } catch (error) {
      if (error instanceof GenerationMoved) return { kind: 'moved' };
      if (isTransient(error)) throw error;
      await recordFailure(pool, current, current.position, event, error);
      return { kind: 'failed', event, error };
    }
  }
  return {
    kind: 'applied',
    generation: await inTransaction(pool, (c) => applyLocked(c, definition, services, current, [], checkpoint)),
  };
}
