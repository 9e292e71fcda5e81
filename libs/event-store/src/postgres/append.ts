import type { Pool, PoolClient } from 'pg';
import { firstRow } from '@registry/postgres';
import { InvalidAppend } from '../errors';
import type { AppendResult, EventToAppend, ExpectedVersion } from '../event-store';
import { contentDigest } from '../hash-chain';
import { appendError } from './sql-errors';
import { appendSingle } from './single-append';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Queryable = Pick<Pool, 'query'> | Pick<PoolClient, 'query'>;

function expectation(expected: ExpectedVersion): [kind: string, version: number | null, label: string] {
  if (typeof expected === 'number') {
    if (!Number.isSafeInteger(expected) || expected < 0) {
      throw new InvalidAppend(`expected version must be a non-negative integer, got ${expected}`);
    }
    return ['exact', expected, String(expected)];
  }
  return [expected, null, expected];
}

function validated(streamId: string, events: readonly EventToAppend[]): void {
  if (streamId.length === 0 || streamId.length > 200) {
    throw new InvalidAppend('stream id must have 1 to 200 characters');
  }
  if (events.length === 0) throw new InvalidAppend(`stream ${streamId}: nothing to append`);
  const ids = new Set<string>();
  for (const event of events) {
    if (!UUID.test(event.id)) throw new InvalidAppend(`stream ${streamId}: event id ${event.id} is not a UUID`);
    if (ids.has(event.id.toLowerCase()))
      throw new InvalidAppend(`stream ${streamId}: event id ${event.id} appears twice`);
    ids.add(event.id.toLowerCase());
    if (event.type.length === 0) throw new InvalidAppend(`stream ${streamId}: event type is empty`);
    if (typeof event.data !== 'object' || event.data === null || Array.isArray(event.data)) {
      throw new InvalidAppend(`stream ${streamId}: event data must be a JSON object`);
    }
  }
}

/** An event as both append paths store it: lower-case id, metadata defaulted, content digest. */
function prepared(streamId: string, event: EventToAppend) {
  const metadata = event.metadata ?? {};
  const id = event.id.toLowerCase();
  const digest = contentDigest({ streamId, id, type: event.type, data: event.data, metadata }).toString('hex');
  return { id, type: event.type, data: event.data, metadata, digest };
}

/**
 * Appends in a transaction of its own: one event through a single statement (the common case,
 * and the faster one), several through the `event_store.append` function.
 */
export async function appendToStream(
  pool: Pool,
  streamId: string,
  events: readonly EventToAppend[],
  expected: ExpectedVersion,
): Promise<AppendResult> {
  const [only, ...others] = events;
  if (only === undefined || others.length > 0) return appendInTransaction(pool, streamId, events, expected);
  validated(streamId, events);
  const [, , label] = expectation(expected);
  const { id, type, data, metadata, digest } = prepared(streamId, only);
  try {
    return await appendSingle(
      pool,
      streamId,
      { id, type, data: JSON.stringify(data), metadata: JSON.stringify(metadata), digestHex: digest },
      expected,
    );
  } catch (error) {
    throw appendError(error, streamId, label);
  }
}

/** Appends through the `event_store.append` function, inside the caller's transaction if `db` holds one. */
export async function appendInTransaction(
  db: Queryable,
  streamId: string,
  events: readonly EventToAppend[],
  expected: ExpectedVersion,
): Promise<AppendResult> {
  validated(streamId, events);
  const [kind, version, label] = expectation(expected);
  const payload = events.map((event) => prepared(streamId, event));
  type Row = { outcome: string; stream_version: string; first_position: string; last_position: string };
  let row: Row;
  try {
    const result = await db.query<Row>({
      name: 'event_store_append',
      text: 'SELECT outcome, stream_version, first_position, last_position FROM event_store.append($1, $2, $3, $4)',
      values: [streamId, kind, version, JSON.stringify(payload)],
    });
    row = firstRow(result.rows, 'event_store.append');
  } catch (error) {
    throw appendError(error, streamId, label);
  }
  return {
    streamVersion: Number(row.stream_version),
    firstPosition: BigInt(row.first_position),
    position: BigInt(row.last_position),
    duplicate: row.outcome === 'duplicate',
  };
}
