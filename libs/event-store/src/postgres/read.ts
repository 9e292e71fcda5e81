import type { Pool } from 'pg';
import { firstRow } from '@registry/postgres';
import type { ReadAllOptions, ReadAllPage, ReadStreamOptions, RecordedEvent } from '../event-store';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './rows';

const DEFAULT_READ_LIMIT = 1000;
const MAX_READ_LIMIT = 10_000;

export async function readStream(
  pool: Pool,
  streamId: string,
  options: ReadStreamOptions = {},
): Promise<readonly RecordedEvent[]> {
  const { rows } = await pool.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM event_store.events
     WHERE stream_id = $1 AND stream_version >= $2 AND ($3::bigint IS NULL OR stream_version <= $3)
       AND ($4::timestamptz IS NULL OR date_trunc('milliseconds', recorded_at) <= $4)
     ORDER BY stream_version`,
    [streamId, options.fromVersion ?? 1, options.toVersion ?? null, options.recordedUpTo ?? null],
  );
  return rows.map(toRecordedEvent);
}

export async function readAll(pool: Pool, options: ReadAllOptions = {}): Promise<ReadAllPage> {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? DEFAULT_READ_LIMIT), 1), MAX_READ_LIMIT);
  const after = options.after ?? 0n;
  const horizon = await readHorizon(pool);
  const { rows } = await pool.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM event_store.events
     WHERE position > $1 AND position < $2
       AND ($4::text[] IS NULL OR category = ANY($4))
       AND ($5::text[] IS NULL OR event_type = ANY($5))
     ORDER BY position LIMIT $3`,
    [after.toString(), horizon.toString(), limit, options.categories ?? null, options.types ?? null],
  );
  const events = rows.map(toRecordedEvent);
  const caughtUp = events.length < limit;
  const lastRead = events.at(-1)?.position ?? after;
  const safe = horizon - 1n;
  const checkpoint = caughtUp && safe > lastRead ? safe : lastRead;
  return { events, checkpoint, caughtUp };
}

export async function headPosition(pool: Pool): Promise<bigint> {
  const horizon = await readHorizon(pool);
  const { rows } = await pool.query<{ head: string | null }>(
    `SELECT max(position) AS head FROM event_store.events WHERE position < $1`,
    [horizon.toString()],
  );
  return BigInt(firstRow(rows, 'the head position query').head ?? 0);
}

export async function countEventsAfter(pool: Pool, position: bigint): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events WHERE position > $1', [
    position.toString(),
  ]);
  return Number(firstRow(rows, 'the event count').n);
}

/**
 * Every event below this position is final (ADR 0003). It must be read in an earlier statement
 * than the events it bounds: see migrations/1732300200000_database-horizon.sql.
 */
export async function readHorizon(pool: Pool): Promise<bigint> {
  const { rows } = await pool.query<{ horizon: string }>(`SELECT event_store.read_horizon() AS horizon`);
  return BigInt(firstRow(rows, 'event_store.read_horizon').horizon);
}
