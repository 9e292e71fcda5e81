import type { Pool } from 'pg';
import { firstRow } from '@registry/postgres';
import type { BrokenLink, VerifyOptions, VerifyReport } from '../event-store';
import { chainHash, contentDigest, GENESIS_HASH } from '../hash-chain';
import { EVENT_COLUMNS, type EventRow } from './rows';

const VERIFY_PAGE = 5000;

interface ChainEnd {
  readonly streamId: string;
  readonly version: number;
  readonly hash: Buffer;
}

/**
 * Re-computes every stream's hash chain from the stored events, page by page in stream order, and
 * checks each stream's head against the end of its chain; reports the first broken link per stream.
 */
export async function verifyHashChains(pool: Pool, options: VerifyOptions = {}): Promise<VerifyReport> {
  const { rows: counted } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events');
  const total = Number(firstRow(counted, 'the event count').n);
  const broken: BrokenLink[] = [];
  const brokenStreams = new Set<string>();
  let streamsChecked = 0;
  let eventsChecked = 0;
  let current: ChainEnd | undefined;

  const closeStream = async (stream: ChainEnd): Promise<void> => {
    streamsChecked += 1;
    if (brokenStreams.has(stream.streamId)) return;
    const { rows } = await pool.query<{ version: string; last_hash: Buffer }>(
      'SELECT version, last_hash FROM event_store.streams WHERE stream_id = $1',
      [stream.streamId],
    );
    const head = rows[0];
    if (!head || Number(head.version) !== stream.version || !head.last_hash.equals(stream.hash)) {
      broken.push({
        streamId: stream.streamId,
        streamVersion: stream.version + 1,
        reason: head
          ? `stream head says version ${head.version}; the chain ends at version ${stream.version}`
          : 'events without a stream head',
      });
    }
  };

  let cursor: [string, string] | undefined;
  for (;;) {
    const { rows } = await pool.query<EventRow & { recorded_micros: string }>(
      `SELECT ${EVENT_COLUMNS}, (extract(epoch FROM recorded_at) * 1000000)::bigint AS recorded_micros
       FROM event_store.events
       WHERE $1::text IS NULL OR (stream_id, stream_version) > ($1, $2::bigint)
       ORDER BY stream_id, stream_version LIMIT ${VERIFY_PAGE}`,
      cursor ?? [null, null],
    );
    for (const row of rows) {
      const version = Number(row.stream_version);
      if (current?.streamId !== row.stream_id) {
        if (current) await closeStream(current);
        current = { streamId: row.stream_id, version: 0, hash: GENESIS_HASH };
      }
      eventsChecked += 1;
      if (brokenStreams.has(row.stream_id)) continue;
      const link = {
        streamId: row.stream_id,
        streamVersion: version,
        position: BigInt(row.position),
        eventId: row.event_id,
      };
      if (version !== current.version + 1) {
        broken.push({ ...link, reason: `version ${current.version + 1} is missing` });
        brokenStreams.add(row.stream_id);
        continue;
      }
      const digest = contentDigest({
        streamId: row.stream_id,
        id: row.event_id,
        type: row.event_type,
        data: row.data,
        metadata: row.metadata,
      });
      const expected = chainHash(current.hash, {
        digest,
        streamVersion: version,
        position: link.position,
        recordedAtMicros: BigInt(row.recorded_micros),
      });
      const stored = Buffer.from(row.hash, 'hex');
      if (!expected.equals(stored)) {
        broken.push({ ...link, reason: 'hash does not match the event and its predecessor' });
        brokenStreams.add(row.stream_id);
        continue;
      }
      current = { streamId: row.stream_id, version, hash: stored };
    }
    options.onProgress?.(eventsChecked, total);
    const last = rows.at(-1);
    if (rows.length < VERIFY_PAGE || !last) break;
    cursor = [last.stream_id, last.stream_version];
  }
  if (current) await closeStream(current);

  const orphans = await pool.query<{ stream_id: string; version: string }>(
    `SELECT s.stream_id, s.version FROM event_store.streams s
     WHERE s.version > 0 AND NOT EXISTS (SELECT 1 FROM event_store.events e WHERE e.stream_id = s.stream_id)`,
  );
  for (const orphan of orphans.rows) {
    streamsChecked += 1;
    broken.push({ streamId: orphan.stream_id, streamVersion: 1, reason: `all ${orphan.version} events are missing` });
  }
  return { ok: broken.length === 0, streamsChecked, eventsChecked, brokenLinks: broken };
}
