import type { GridEvent, GridState } from './grid';

export const initialGridState = (): GridState => ({ status: 'none' });

export function evolveGrid(state: GridState, event: GridEvent): GridState {
  switch (event.type) {
    case 'GridEstablished':
      return {
        status: 'active',
        establishment: event.data,
        periods: event.data.unitIds.map((unitId) => ({ unitId, from: event.data.establishedOn, to: null })),
      };
    case 'GridUnitJoined':
      if (state.status === 'none') return state;
      return {
        ...state,
        periods: [...state.periods, { unitId: event.data.unitId, from: event.data.effectiveOn, to: null }],
      };
    case 'GridUnitLeft':
      if (state.status === 'none') return state;
      return {
        ...state,
        periods: state.periods.map((period) =>
          period.unitId === event.data.unitId && period.to === null
            ? { ...period, to: event.data.effectiveOn }
            : period,
        ),
      };
  }
}
