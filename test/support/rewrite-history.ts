import { Client } from 'pg';
import { chainHash, contentDigest, type JsonObject } from '@registry/event-store';

/**
 * What an insider with write access and the store's source could do (ADR 0004's limit): bypass the
 * append-only trigger, change one event's data, and recompute the hash of it and of every later
 * event of its stream, and the stream head, exactly as the store would. `verify` cannot see it.
 */
export async function rewriteEventAndItsChain(url: string, position: bigint, patch: JsonObject): Promise<void> {
  const intruder = new Client({ connectionString: url });
  await intruder.connect();
  try {
    await intruder.query('BEGIN');
    await intruder.query('SET LOCAL session_replication_role = replica');
    const { rows: target } = await intruder.query<{ stream_id: string; stream_version: string }>(
      'SELECT stream_id, stream_version FROM event_store.events WHERE position = $1',
      [position.toString()],
    );
    const { stream_id: streamId, stream_version: fromVersion } = target[0]!;
    await intruder.query('UPDATE event_store.events SET data = data || $2::jsonb WHERE position = $1', [
      position.toString(),
      JSON.stringify(patch),
    ]);
    const { rows } = await intruder.query<{
      position: string;
      stream_version: string;
      event_id: string;
      event_type: string;
      data: JsonObject;
      metadata: JsonObject;
      recorded_micros: string;
      hash: Buffer;
    }>(
      `SELECT position, stream_version, event_id, event_type, data, metadata, hash,
              (extract(epoch FROM recorded_at) * 1000000)::bigint AS recorded_micros
       FROM event_store.events WHERE stream_id = $1 ORDER BY stream_version`,
      [streamId],
    );
    let previous: Buffer = Buffer.alloc(32);
    for (const row of rows) {
      if (Number(row.stream_version) < Number(fromVersion)) {
        previous = row.hash;
        continue;
      }
      previous = chainHash(previous, {
        digest: contentDigest({
          streamId,
          id: row.event_id,
          type: row.event_type,
          data: row.data,
          metadata: row.metadata,
        }),
        streamVersion: Number(row.stream_version),
        position: BigInt(row.position),
        recordedAtMicros: BigInt(row.recorded_micros),
      });
      await intruder.query('UPDATE event_store.events SET hash = $2 WHERE position = $1', [row.position, previous]);
    }
    await intruder.query('UPDATE event_store.streams SET last_hash = $2 WHERE stream_id = $1', [streamId, previous]);
    await intruder.query('COMMIT');
  } catch (error) {
    await intruder.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await intruder.end();
  }
}
