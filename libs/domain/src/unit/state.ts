import type { UnitEvent, UnitState } from './unit';

export const initialUnitState = (): UnitState => ({ status: 'unregistered' });

export function evolveUnit(state: UnitState, event: UnitEvent): UnitState {
  switch (event.type) {
    case 'UnitRegistered':
      return {
        status: 'operating',
        registration: event.data,
        instructors: [],
        instructorSince: null,
        instructorWithdrawnOn: null,
      };
    case 'InstructorAssigned':
      return state.status === 'unregistered'
        ? state
        : {
            ...state,
            instructors: [...state.instructors, event.data.name],
            instructorSince:
              state.instructorSince !== null && state.instructorSince > event.data.effectiveOn
                ? state.instructorSince
                : event.data.effectiveOn,
          };
    case 'InstructorWithdrawn':
      return state.status === 'unregistered'
        ? state
        : { ...state, instructors: [], instructorSince: null, instructorWithdrawnOn: event.data.effectiveOn };
    case 'UnitClosed':
      return state.status === 'unregistered' ? state : { ...state, status: 'closed', closedOn: event.data.effectiveOn };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
