import type { InflowEvent, InflowState } from './inflow';

export const initialInflowState = (): InflowState => ({ status: 'none' });

export function evolveInflow(state: InflowState, event: InflowEvent): InflowState {
  if (event.type === 'InflowingMemberRegistered')
    return { status: 'hosted', registration: event.data, end: null, personalDataForgotten: false };
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'InflowingMemberDeparted':
      return { ...state, status: 'ended', end: { kind: 'departed', on: event.data.effectiveOn } };
    case 'InflowingMemberConverted':
      return {
        ...state,
        status: 'ended',
        end: { kind: 'converted', on: event.data.effectiveOn, memberId: event.data.memberId },
      };
    case 'InflowingMemberPersonalDataForgotten':
      return { ...state, personalDataForgotten: true };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
