import type { RecordedEvent } from '@registry/event-store';
import { parseStreamId, type StreamCategory } from '@registry/contracts';

/** The events of one category with their aggregate id, in log order. */
export function eventsOf(events: readonly RecordedEvent[], category: StreamCategory): { id: string; event: RecordedEvent }[] {
  const result: { id: string; event: RecordedEvent }[] = [];
  for (const event of events) {
    const parsed = parseStreamId(event.streamId);
    if (parsed?.category === category) result.push({ id: parsed.aggregateId, event });
  }
  return result;
}

/**
 * Loads entity rows that carry the position of the last event applied to them, so that applying
 * an event a second time (a replay) changes nothing.
 */
export interface PositionedRow {
  position: string;
}

export function isNew(row: PositionedRow, event: RecordedEvent): boolean {
  return event.position > BigInt(row.position);
}

export const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];
