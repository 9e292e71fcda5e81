import type { RecordedEvent } from '@registry/event-store';
import { effectiveOnOf, type InflowEvent } from '@registry/domain';
import { domainEventOf } from '../runtime/domain-event';
import { type Segment, timeline } from './timeline';
import { ORGANIZATION_COUNTERS } from './member-facts';

/** What the read models keep of an inflowing member (流入党员): the host, from arrival to the end. */
export type InflowFact =
  | { readonly kind: 'arrived'; readonly on: string; readonly hostOrgId: string }
  | { readonly kind: 'ended'; readonly on: string };

export function inflowFactOf(event: RecordedEvent): InflowFact | null {
  const e = domainEventOf<InflowEvent>(event);
  switch (e.type) {
    case 'InflowingMemberRegistered':
      return { kind: 'arrived', on: e.data.since, hostOrgId: e.data.hostOrgId };
    case 'InflowingMemberDeparted':
    case 'InflowingMemberConverted':
      return { kind: 'ended', on: effectiveOnOf(event) };
    default:
      return null;
  }
}

export interface InflowStay {
  readonly hostOrgId: string;
}

export function inflowStays(facts: readonly InflowFact[]): Segment<InflowStay>[] {
  return timeline(
    facts,
    null as string | null,
    (_host, fact) => (fact.kind === 'arrived' ? fact.hostOrgId : null),
    (host) => (host === null ? null : { hostOrgId: host }),
  );
}

/** An inflowing member counts only in the host's `flowing_in`: the relation is held outside the registry. */
export function inflowContribution(stay: InflowStay): [string, number[]][] {
  const counts = ORGANIZATION_COUNTERS.map((counter) => (counter === 'flowing_in' ? 1 : 0));
  return [[stay.hostOrgId, counts]];
}
