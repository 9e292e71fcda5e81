import type { RecordedEvent } from '@registry/event-store';
import { effectiveOnOf, type MemberEvent } from '@registry/domain';
import { domainEventOf } from '../runtime/domain-event';
import { type Segment, timeline } from './timeline';

/** What the read models keep of a member's events that move them in time (no personal data). */
export type MemberFact =
  | {
      readonly kind: 'registered';
      readonly on: string;
      readonly orgId: string;
      readonly standing: 'full' | 'probationary';
      readonly unitId: string | null;
    }
  | { readonly kind: 'confirmed'; readonly on: string }
  | { readonly kind: 'employment'; readonly on: string; readonly unitId: string | null }
  | { readonly kind: 'transferred'; readonly on: string; readonly orgId: string | null }
  | { readonly kind: 'flowed-out'; readonly on: string; readonly hostOrgId: string | null }
  | { readonly kind: 'flow-returned'; readonly on: string }
  | { readonly kind: 'left'; readonly on: string };

export function memberFactOf(event: RecordedEvent): MemberFact | null {
  const e = domainEventOf<MemberEvent>(event);
  const on = effectiveOnOf(event);
  switch (e.type) {
    case 'MemberRegistered':
      return { kind: 'registered', on, orgId: e.data.orgId, standing: e.data.status, unitId: e.data.unitId ?? null };
    case 'MemberConfirmed':
      return { kind: 'confirmed', on };
    case 'MemberEmploymentChanged':
      return { kind: 'employment', on, unitId: e.data.unitId };
    case 'TransferAccepted':
      return { kind: 'transferred', on, orgId: 'orgId' in e.data.to ? e.data.to.orgId : null };
    case 'MemberFlowedOut':
      return { kind: 'flowed-out', on, hostOrgId: e.data.hostOrgId };
    case 'MemberFlowReturned':
      return { kind: 'flow-returned', on };
    case 'MemberLeft':
      return { kind: 'left', on };
    default:
      return null;
  }
}

interface MemberFold {
  readonly registered: boolean;
  readonly left: boolean;
  readonly orgId: string | null;
  readonly full: boolean;
  readonly unitId: string | null;
  readonly flowing: boolean;
  readonly hostOrgId: string | null;
}

const UNREGISTERED: MemberFold = {
  registered: false,
  left: false,
  orgId: null,
  full: false,
  unitId: null,
  flowing: false,
  hostOrgId: null,
};

function step(state: MemberFold, fact: MemberFact): MemberFold {
  switch (fact.kind) {
    case 'registered':
      return {
        ...state,
        registered: true,
        orgId: fact.orgId,
        full: state.full || fact.standing === 'full',
        unitId: fact.unitId,
      };
    case 'confirmed':
      return { ...state, full: true };
    case 'employment':
      return { ...state, unitId: fact.unitId };
    case 'transferred':
      return { ...state, orgId: fact.orgId };
    case 'flowed-out':
      return { ...state, flowing: true, hostOrgId: fact.hostOrgId };
    case 'flow-returned':
      return { ...state, flowing: false, hostOrgId: null };
    case 'left':
      return { ...state, left: true };
  }
}

/** Where the member's organisational relation is, with standing and flow, over business time. */
export interface Placement {
  readonly orgId: string;
  readonly full: boolean;
  readonly flowing: boolean;
  readonly hostOrgId: string | null;
}

export function placements(facts: readonly MemberFact[]): Segment<Placement>[] {
  return timeline(facts, UNREGISTERED, step, (s) =>
    s.registered && !s.left && s.orgId !== null
      ? { orgId: s.orgId, full: s.full, flowing: s.flowing, hostOrgId: s.flowing ? s.hostOrgId : null }
      : null,
  );
}

/** Where the member works (a unit), with standing, while a member of an organisation here. */
export interface Employment {
  readonly unitId: string;
  readonly full: boolean;
}

export function employments(facts: readonly MemberFact[]): Segment<Employment>[] {
  return timeline(facts, UNREGISTERED, step, (s) =>
    s.registered && !s.left && s.orgId !== null && s.unitId !== null ? { unitId: s.unitId, full: s.full } : null,
  );
}

/** Counters per organisation: members, full, probationary, flowingIn, flowingOut. */
export const ORGANIZATION_COUNTERS = [
  'members',
  'full_members',
  'probationary_members',
  'flowing_in',
  'flowing_out',
] as const;

export function placementContribution(p: Placement): [string, number[]][] {
  const home: [string, number[]] = [p.orgId, [1, p.full ? 1 : 0, p.full ? 0 : 1, 0, p.flowing ? 1 : 0]];
  return p.flowing && p.hostOrgId ? [home, [p.hostOrgId, [0, 0, 0, 1, 0]]] : [home];
}
