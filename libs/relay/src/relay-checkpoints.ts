import type { Pool } from 'pg';
import {
  type EventFailure,
  failureOf,
  firstRow,
  type FailureColumns,
  inTransaction,
  RESUME_CLEARING_FAILURE,
} from '@registry/postgres';
import type { EventRef } from './messages';

export interface RelayCheckpoint {
  readonly name: string;
  readonly position: bigint;
  readonly published: number;
  readonly status: 'running' | 'stopped';
  /** The event it stopped on, and why. */
  readonly failure: EventFailure | null;
  readonly updatedAt: Date;
}

interface CheckpointRow extends FailureColumns {
  name: string;
  position: string;
  published: string;
  status: 'running' | 'stopped';
}

function fromRow(row: CheckpointRow): RelayCheckpoint {
  return {
    name: row.name,
    position: BigInt(row.position),
    published: Number(row.published),
    status: row.status,
    failure: failureOf(row),
    updatedAt: row.updated_at,
  };
}

export async function ensureCheckpointRow(pool: Pool, name: string): Promise<void> {
  await pool.query('INSERT INTO relay.checkpoints (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [name]);
}

export async function readCheckpoint(pool: Pool, name: string): Promise<RelayCheckpoint> {
  const { rows } = await pool.query<CheckpointRow>('SELECT * FROM relay.checkpoints WHERE name = $1', [name]);
  if (!rows[0]) throw new Error(`relay ${name} has no checkpoint row`);
  return fromRow(rows[0]);
}

/** Every relay's checkpoint, for status reports; empty when no relay ever ran. */
export async function readCheckpoints(pool: Pool): Promise<RelayCheckpoint[]> {
  const { rows } = await pool.query<CheckpointRow>('SELECT * FROM relay.checkpoints ORDER BY name');
  return rows.map(fromRow);
}

/** Moves the checkpoint forward only: a late write from a deposed leader cannot move it back. */
export async function saveCheckpoint(pool: Pool, name: string, position: bigint, published: number): Promise<void> {
  await pool.query(
    `UPDATE relay.checkpoints SET position = greatest(position, $2), published = published + $3, updated_at = now() WHERE name = $1`,
    [name, position.toString(), published],
  );
}

export async function recordFailure(pool: Pool, name: string, event: EventRef, reason: string): Promise<void> {
  await pool.query(
    `UPDATE relay.checkpoints
        SET status = 'stopped', failed_position = $2, failed_event_id = $3, failed_event_type = $4, failed_stream_id = $5,
            error = $6, failed_at = now(), updated_at = now()
      WHERE name = $1`,
    [name, event.position.toString(), event.id, event.type, event.streamId, reason],
  );
}

export class RelayNotStopped extends Error {
  override readonly name = 'RelayNotStopped';
}

/** Tries the failed event again (after the cause was fixed, e.g. the broker's size limit raised). */
export async function retryRelay(pool: Pool, name: string): Promise<RelayCheckpoint> {
  const { rows } = await pool.query<CheckpointRow>(
    `UPDATE relay.checkpoints
        SET ${RESUME_CLEARING_FAILURE}
      WHERE name = $1 AND status = 'stopped' RETURNING *`,
    [name],
  );
  if (!rows[0]) throw new RelayNotStopped(`relay ${name} is not stopped`);
  return fromRow(rows[0]);
}

/**
 * Skips the one event the relay stopped at, recording who skipped it; integrators never receive
 * it. Refused unless `position` is exactly the failed event's, so a typo cannot skip a range.
 */
export async function skipFailedEvent(
  pool: Pool,
  name: string,
  position: bigint,
  skippedBy: string,
): Promise<RelayCheckpoint> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<CheckpointRow>('SELECT * FROM relay.checkpoints WHERE name = $1 FOR UPDATE', [
      name,
    ]);
    const row = rows[0];
    if (!row || row.status !== 'stopped' || row.failed_position !== position.toString()) {
      throw new RelayNotStopped(
        `relay ${name} is not stopped at position ${position.toString()}${row?.failed_position ? ` (it stopped at ${row.failed_position})` : ''}`,
      );
    }
    await client.query(
      `INSERT INTO relay.skipped_events (name, position, event_id, event_type, stream_id, error, skipped_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        name,
        row.failed_position,
        row.failed_event_id,
        row.failed_event_type,
        row.failed_stream_id,
        row.error,
        skippedBy,
      ],
    );
    const updated = await client.query<CheckpointRow>(
      `UPDATE relay.checkpoints
          SET position = greatest(position, failed_position), ${RESUME_CLEARING_FAILURE}
        WHERE name = $1 RETURNING *`,
      [name],
    );
    return fromRow(firstRow(updated.rows, 'the relay checkpoint update'));
  });
}
