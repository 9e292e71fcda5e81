import { effectiveOnOf } from '../effective-date';
import type { InflowEvent } from './inflow';
import { evolveInflow, initialInflowState } from './state';

/**
 * The organisation hosting an inflowing member on a business date: the inflow's events that took
 * effect by then, folded in log order. Null when not hosted that day (not yet arrived, or departed
 * or converted by then).
 */
export function hostOrgOn(
  events: readonly { readonly type: string; readonly data: object; readonly recordedAt: Date }[],
  date: string,
): string | null {
  let state = initialInflowState();
  for (const event of events)
    if (effectiveOnOf(event) <= date)
      state = evolveInflow(state, { type: event.type, data: event.data } as InflowEvent);
  return state.status === 'hosted' ? state.registration.hostOrgId : null;
}
