/**
 * A log follower (a projection, the relay) that cannot apply or publish an event stops on it and
 * keeps what it stopped on in these columns of its checkpoint row, until an operator retries or
 * skips that event.
 */
export interface FailureColumns {
  failed_position: string | null;
  failed_event_id: string | null;
  failed_event_type: string | null;
  failed_stream_id: string | null;
  error: string | null;
  failed_at: Date | null;
  updated_at: Date;
}

export interface EventFailure {
  readonly position: bigint;
  readonly eventId: string | null;
  readonly eventType: string | null;
  readonly streamId: string | null;
  readonly error: string;
  readonly at: Date;
}

export function failureOf(row: FailureColumns): EventFailure | null {
  if (row.failed_position === null) return null;
  return {
    position: BigInt(row.failed_position),
    eventId: row.failed_event_id,
    eventType: row.failed_event_type,
    streamId: row.failed_stream_id,
    error: row.error ?? '',
    at: row.failed_at ?? row.updated_at,
  };
}

/** The SET list that puts a stopped follower back to running with its failure cleared. */
export const RESUME_CLEARING_FAILURE = `status = 'running', failed_position = NULL, failed_event_id = NULL, failed_event_type = NULL,
  failed_stream_id = NULL, error = NULL, failed_at = NULL, updated_at = now()`;
