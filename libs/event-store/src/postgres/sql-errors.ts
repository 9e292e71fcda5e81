import { EventIdConflict, InvalidAppend, WrongExpectedVersion, type ActualVersion } from '../errors';

interface PgError {
  readonly code?: string;
  readonly detail?: string;
  readonly constraint?: string;
}

function isPgError(error: unknown): error is PgError {
  return typeof error === 'object' && error !== null && 'code' in error;
}

/** Maps the append function's SQLSTATEs to the port's typed errors; anything else passes through. */
export function appendError(error: unknown, streamId: string, expected: string): unknown {
  if (!isPgError(error)) return error;
  switch (error.code) {
    case 'RG001': {
      const version = Number(error.detail ?? '0');
      const actual: ActualVersion = version === 0 ? 'no-stream' : version;
      return new WrongExpectedVersion(streamId, expected, actual);
    }
    case 'RG002':
      return new EventIdConflict(streamId);
    case '23505':
      // Two appends raced with the same event id into different streams.
      return error.constraint === 'events_event_id_key' ? new EventIdConflict(streamId) : error;
    case '22023':
    case '22P02':
    case '22P05':
    case '54000':
      return new InvalidAppend(`stream ${streamId}: ${(error as Error).message}`);
    default:
      return error;
  }
}
