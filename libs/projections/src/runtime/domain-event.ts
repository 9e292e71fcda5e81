import type { RecordedEvent } from '@registry/event-store';

/**
 * A recorded event as the member of its aggregate's event union `E` (`MemberEvent`, `UnitEvent`, …)
 * that its type names. The log holds only what that aggregate's `decide` emitted, so the caller
 * passes events of one stream category (see `eventsOf`) and narrows on `type` from there.
 */
export function domainEventOf<E extends { readonly type: string; readonly data: object }>(
  event: Pick<RecordedEvent, 'type' | 'data'>,
): E {
  return { type: event.type, data: event.data } as unknown as E;
}
