import type { Pool } from 'pg';
import { firstRow } from '@registry/postgres';
import { HeadsHash, type LogHead } from '../anchors';

/**
 * The log as of `position` (ADR 0014): every stream's last event at or before it, hashed in stream
 * id byte order. Streams come from the stream heads table, each with one backward index probe, and
 * are read through a cursor in one snapshot, so memory stays flat however many streams there are.
 * Events after `position` do not count: an anchor still holds after more appends.
 */
export async function logHeadAsOf(pool: Pool, position: bigint, pageSize = 5000): Promise<LogHead> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows: counted } = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM event_store.events WHERE position <= $1',
      [position.toString()],
    );
    await client.query(
      `DECLARE stream_heads NO SCROLL CURSOR FOR
       SELECT s.stream_id, head.stream_version, head.hash
       FROM event_store.streams s
       CROSS JOIN LATERAL (
         SELECT e.stream_version, e.hash FROM event_store.events e
         WHERE e.stream_id = s.stream_id AND e.position <= $1
         ORDER BY e.stream_version DESC LIMIT 1
       ) head
       ORDER BY s.stream_id COLLATE "C"`,
      [position.toString()],
    );
    const heads = new HeadsHash();
    for (;;) {
      const { rows } = await client.query<{ stream_id: string; stream_version: string; hash: Buffer }>(
        `FETCH ${pageSize} FROM stream_heads`,
      );
      for (const row of rows)
        heads.add({ streamId: row.stream_id, version: Number(row.stream_version), hash: row.hash });
      if (rows.length < pageSize) break;
    }
    await client.query('COMMIT');
    return {
      position,
      streams: heads.streams,
      events: Number(firstRow(counted, 'the event count').n),
      headsHash: heads.digest(),
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
