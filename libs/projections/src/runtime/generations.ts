import type { Pool, PoolClient } from 'pg';
import type { ProjectionDefinition } from '../projection';
import {
  type EventFailure,
  failureOf,
  type FailureColumns,
  firstRow,
  RESUME_CLEARING_FAILURE,
} from '@registry/postgres';
import { inTransaction } from './sql';

export type GenerationState = 'building' | 'live' | 'retired';

export interface Generation {
  readonly name: string;
  readonly generation: number;
  readonly version: number;
  readonly schemaName: string;
  readonly state: GenerationState;
  readonly position: bigint;
  readonly eventsApplied: bigint;
  readonly status: 'running' | 'stopped';
  readonly failure: EventFailure | null;
  /** Why it stopped when no event failed (an operator paused it), else null. */
  readonly stopReason: string | null;
  readonly updatedAt: Date;
}

interface GenerationRow extends FailureColumns {
  name: string;
  generation: number;
  version: number;
  schema_name: string;
  state: GenerationState;
  position: string;
  events_applied: string;
  status: 'running' | 'stopped';
}

const COLUMNS = `name, generation, version, schema_name, state, position, events_applied, status, failed_position,
  failed_event_id, failed_event_type, failed_stream_id, error, failed_at, updated_at`;

function generationOf(row: GenerationRow): Generation {
  return {
    name: row.name,
    generation: row.generation,
    version: row.version,
    schemaName: row.schema_name,
    state: row.state,
    position: BigInt(row.position),
    eventsApplied: BigInt(row.events_applied),
    status: row.status,
    failure: failureOf(row),
    stopReason: row.status === 'stopped' && row.failed_position === null ? row.error : null,
    updatedAt: row.updated_at,
  };
}

type Queryable = Pick<Pool | PoolClient, 'query'>;

export async function generationsOf(db: Queryable, names?: readonly string[]): Promise<Generation[]> {
  const { rows } = await db.query<GenerationRow>(
    `SELECT ${COLUMNS} FROM projections.generations
      WHERE state <> 'retired' AND ($1::text[] IS NULL OR name = ANY($1::text[])) ORDER BY name, generation`,
    [names ?? null],
  );
  return rows.map(generationOf);
}

export async function liveGeneration(db: Queryable, name: string, lock = false): Promise<Generation | undefined> {
  const { rows } = await db.query<GenerationRow>(
    `SELECT ${COLUMNS} FROM projections.generations WHERE name = $1 AND state = 'live'${lock ? ' FOR UPDATE' : ''}`,
    [name],
  );
  return rows[0] ? generationOf(rows[0]) : undefined;
}

export async function lockGeneration(db: Queryable, name: string, generation: number): Promise<Generation | undefined> {
  const { rows } = await db.query<GenerationRow>(
    `SELECT ${COLUMNS} FROM projections.generations WHERE name = $1 AND generation = $2 FOR UPDATE`,
    [name, generation],
  );
  return rows[0] ? generationOf(rows[0]) : undefined;
}

export async function advanceGeneration(
  db: Queryable,
  generation: Generation,
  position: bigint,
  applied: number,
): Promise<void> {
  await db.query(
    `UPDATE projections.generations SET position = $3, events_applied = events_applied + $4, updated_at = now()
      WHERE name = $1 AND generation = $2`,
    [generation.name, generation.generation, position.toString(), applied],
  );
}

export function schemaNameFor(name: string, generation: number): string {
  return `projection_${name.replace(/-/g, '_')}_g${generation}`;
}

/**
 * Creates a generation's schema and tables; `live` also points the reporting views at it. A bulk
 * rebuild leaves out the secondary indexes and creates them once its rows are written.
 */
export async function createGeneration(
  client: PoolClient,
  definition: ProjectionDefinition,
  state: 'building' | 'live',
  indexes: 'with-indexes' | 'indexes-later' = 'with-indexes',
): Promise<Generation> {
  const { rows } = await client.query<{ next: number }>(
    'SELECT coalesce(max(generation), 0) + 1 AS next FROM projections.generations WHERE name = $1',
    [definition.name],
  );
  const generation = firstRow(rows, 'the next generation number').next;
  const schema = schemaNameFor(definition.name, generation);
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(definition.createTables(schema));
  if (indexes === 'with-indexes') await client.query(definition.createIndexes(schema));
  await client.query(
    `INSERT INTO projections.generations (name, generation, version, schema_name, state, live_since)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 = 'live' THEN now() END)`,
    [definition.name, generation, definition.version, schema, state],
  );
  if (state === 'live') await pointViewsAt(client, definition, schema);
  const created = await lockGeneration(client, definition.name, generation);
  if (!created) throw new Error(`generation ${generation} of ${definition.name} is missing right after its creation`);
  return created;
}

/** (Re)creates the projection's views in `reporting` over `schema`, readable by registry_reporting. */
export async function pointViewsAt(
  client: PoolClient,
  definition: ProjectionDefinition,
  schema: string,
): Promise<void> {
  const { rows } = await client.query<{ exists: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'registry_reporting') AS exists",
  );
  const reportingRoleExists = firstRow(rows, 'the reporting role lookup').exists;
  await lockViewsWithoutWaiting(
    client,
    definition.views(schema).map((view) => `reporting.${view.name}`),
  );
  for (const view of definition.views(schema)) {
    await client.query(`DROP VIEW IF EXISTS reporting.${view.name} CASCADE`);
    await client.query(`CREATE VIEW reporting.${view.name} AS ${view.select}`);
    await client.query(
      `COMMENT ON VIEW reporting.${view.name} IS ${client.escapeLiteral(`${view.comment} (projection ${definition.name})`)}`,
    );
    if (reportingRoleExists) await client.query(`GRANT SELECT ON reporting.${view.name} TO registry_reporting`);
  }
}

/**
 * Takes every view's lock before replacing any. A query reading two views locks them in its own
 * order; waiting for the second while holding the first would deadlock with it. So the switch
 * never waits while holding: it tries all at once (NOWAIT), backs off and tries again.
 */
async function lockViewsWithoutWaiting(client: PoolClient, views: readonly string[]): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT 'reporting.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'reporting' AND ('reporting.' || c.relname) = ANY($1::text[]) ORDER BY 1`,
    [views],
  );
  if (rows.length === 0) return;
  const list = rows.map((row) => row.name).join(', ');
  for (let attempt = 0; ; attempt++) {
    await client.query('SAVEPOINT lock_views');
    try {
      await client.query(`LOCK TABLE ${list} IN ACCESS EXCLUSIVE MODE${attempt < 500 ? ' NOWAIT' : ''}`);
      await client.query('RELEASE SAVEPOINT lock_views');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55P03') throw error;
      await client.query('ROLLBACK TO SAVEPOINT lock_views');
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
    }
  }
}

/**
 * Makes sure every projection has a live generation (the first start creates them, empty, at
 * position 0). Several processes may start at once: an advisory lock serialises them.
 */
export async function installProjections(
  pool: Pool,
  definitions: readonly ProjectionDefinition[],
): Promise<Generation[]> {
  return inTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('projections.install'))");
    const live: Generation[] = [];
    for (const definition of definitions) {
      live.push(
        (await liveGeneration(client, definition.name)) ?? (await createGeneration(client, definition, 'live')),
      );
    }
    return live;
  });
}

export async function recordFailure(
  db: Queryable,
  generation: Generation,
  lastGoodPosition: bigint,
  event: { position: bigint; id: string; type: string; streamId: string },
  error: unknown,
): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await db.query(
    `UPDATE projections.generations
        SET status = 'stopped', position = $3, failed_position = $4, failed_event_id = $5, failed_event_type = $6,
            failed_stream_id = $7, error = $8, failed_at = now(), updated_at = now()
      WHERE name = $1 AND generation = $2`,
    [
      generation.name,
      generation.generation,
      lastGoodPosition.toString(),
      event.position.toString(),
      event.id,
      event.type,
      event.streamId,
      message.slice(0, 4000),
    ],
  );
}

/**
 * An operator pauses a running projection until someone retries it. A batch in flight finds the row
 * changed and rolls back; it is applied again after the retry. No event is named as failed.
 */
export async function stopProjection(pool: Pool, name: string, actor: string, reason: string): Promise<Generation> {
  const { rows } = await pool.query<GenerationRow>(
    `UPDATE projections.generations
        SET status = 'stopped', error = $2, failed_at = now(), updated_at = now()
      WHERE name = $1 AND state = 'live' AND status = 'running' RETURNING ${COLUMNS}`,
    [name, `stopped by ${actor}: ${reason}`.slice(0, 4000)],
  );
  if (rows[0]) return generationOf(rows[0]);
  const live = await liveGeneration(pool, name);
  if (!live) throw new Error(`no live projection named ${name}`);
  throw new ProjectionActionRefused(`projection ${name} is already stopped`);
}

/** An operator's action the projection's state does not allow (stop a stopped one, skip the wrong event). */
export class ProjectionActionRefused extends Error {
  override readonly name = 'ProjectionActionRefused';
}

/** Clears a failure so the projection tries the failed event again. */
export async function retryProjection(pool: Pool, name: string): Promise<Generation> {
  const { rows } = await pool.query<GenerationRow>(
    `UPDATE projections.generations
        SET ${RESUME_CLEARING_FAILURE}
      WHERE name = $1 AND state = 'live' RETURNING ${COLUMNS}`,
    [name],
  );
  if (!rows[0]) throw new Error(`no live projection named ${name}`);
  return generationOf(rows[0]);
}

/**
 * Skips the one event a stopped projection failed on: only that event (the operator names its
 * position, so a different failure since inspection is not skipped by mistake), recorded for audit.
 */
export async function skipFailedEvent(pool: Pool, name: string, position: bigint, actor: string): Promise<Generation> {
  return inTransaction(pool, async (client) => {
    const live = await liveGeneration(client, name, true);
    if (!live) throw new Error(`no live projection named ${name}`);
    if (live.status !== 'stopped' || !live.failure)
      throw new ProjectionActionRefused(`projection ${name} has not stopped on a failure`);
    if (live.failure.position !== position) {
      throw new ProjectionActionRefused(
        `projection ${name} failed at position ${live.failure.position.toString()}, not ${position.toString()}`,
      );
    }
    await client.query(
      `INSERT INTO projections.skipped_events (name, generation, position, event_id, event_type, error, skipped_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        name,
        live.generation,
        position.toString(),
        live.failure.eventId,
        live.failure.eventType,
        live.failure.error,
        actor,
      ],
    );
    const { rows } = await client.query<GenerationRow>(
      `UPDATE projections.generations
          SET ${RESUME_CLEARING_FAILURE}, position = $3
        WHERE name = $1 AND generation = $2 RETURNING ${COLUMNS}`,
      [name, live.generation, position.toString()],
    );
    return generationOf(firstRow(rows, 'the resumed generation'));
  });
}
