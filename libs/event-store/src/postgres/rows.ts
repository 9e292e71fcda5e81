import type { JsonObject, RecordedEvent } from '../event-store';

// Cheap to decode: the hash as hex text (the driver's bytea parser is slow) and the recording time
// as epoch milliseconds (a Date holds no finer time anyway; verify reads the microseconds itself).
export const EVENT_COLUMNS = `position, stream_id, stream_version, event_id, event_type, data, metadata,
  (extract(epoch FROM recorded_at) * 1000)::float8 AS recorded_ms, encode(hash, 'hex') AS hash`;

export interface EventRow {
  readonly position: string;
  readonly stream_id: string;
  readonly stream_version: string;
  readonly event_id: string;
  readonly event_type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  readonly recorded_ms: number;
  readonly hash: string;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    position: BigInt(row.position),
    type: row.event_type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: new Date(Math.floor(row.recorded_ms)),
    hash: row.hash,
  };
}
