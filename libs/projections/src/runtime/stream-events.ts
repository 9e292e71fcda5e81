import type { RecordedEvent } from '@registry/event-store';
import { parseStreamId, type StreamCategory } from '@registry/contracts';

/** The events of one category with their aggregate id, in log order. */
export function eventsOf(
  events: readonly RecordedEvent[],
  category: StreamCategory,
): { id: string; event: RecordedEvent }[] {
  const result: { id: string; event: RecordedEvent }[] = [];
  for (const event of events) {
    const parsed = parseStreamId(event.streamId);
    if (parsed?.category === category) result.push({ id: parsed.aggregateId, event });
  }
  return result;
}

/**
 * Entity rows carry the position of the last event applied to them, so that applying
 * an event a second time (a replay) changes nothing.
 */
export interface PositionedRow {
  position: string;
}

export function isNew(row: PositionedRow, event: RecordedEvent): boolean {
  return event.position > BigInt(row.position);
}

export const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];

export interface EntityFact<F> {
  readonly id: string;
  readonly event: RecordedEvent;
  readonly fact: F;
}

/** The events a projection keeps as facts, with their entity ids, in log order. */
export function factsOf<F>(
  events: readonly { id: string; event: RecordedEvent }[],
  factOf: (event: RecordedEvent) => F | null,
  keep: (fact: F) => boolean = () => true,
): EntityFact<F>[] {
  return events.flatMap(({ id, event }) => {
    const fact = factOf(event);
    return fact !== null && keep(fact) ? [{ id, event, fact }] : [];
  });
}

/**
 * Appends each fact to its entity's row (made by `create` if there is none) unless the row has
 * already applied that event, and advances the row's position. Returns the facts applied and the
 * rows they changed, in log order.
 */
export function appendNewFacts<F, R extends PositionedRow & { facts: F[] }>(
  rows: Map<string, R>,
  facts: readonly EntityFact<F>[],
  create: (id: string) => R,
): { applied: EntityFact<F>[]; changed: Map<string, R> } {
  const applied: EntityFact<F>[] = [];
  const changed = new Map<string, R>();
  for (const entry of facts) {
    let row = rows.get(entry.id);
    if (!row) {
      row = create(entry.id);
      rows.set(entry.id, row);
    }
    if (!isNew(row, entry.event)) continue;
    row.facts.push(entry.fact);
    row.position = entry.event.position.toString();
    changed.set(entry.id, row);
    applied.push(entry);
  }
  return { applied, changed };
}
