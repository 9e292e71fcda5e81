import { effectiveOnOf } from '../effective-date';
import type { MemberEvent, MemberStatus } from './member';
import { evolveMember, initialMemberState } from './state';

/**
 * Where a person was a member on a business date, and in what standing: the member's events that
 * took effect by then, folded in log order. Null when not a current member that day.
 */
export function membershipOn(
  events: readonly { readonly type: string; readonly data: object; readonly recordedAt: Date }[],
  date: string,
): { readonly orgId: string | null; readonly standing: MemberStatus; readonly flowingHostOrgId: string | null } | null {
  let state = initialMemberState();
  for (const event of events)
    if (effectiveOnOf(event) <= date)
      state = evolveMember(state, { type: event.type, data: event.data } as MemberEvent);
  return state.status === 'member'
    ? { orgId: state.orgId, standing: state.standing, flowingHostOrgId: state.flowing?.hostOrgId ?? null }
    : null;
}
