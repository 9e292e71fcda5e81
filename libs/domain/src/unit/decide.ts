import { type CommandContext, type Decider, notInFuture, refuse, sameFacts } from '../decider';
import { evolveUnit, initialUnitState } from './state';
import type { UnitCommand, UnitEvent, UnitState } from './unit';

export function decideUnit(command: UnitCommand, state: UnitState, context: CommandContext): readonly UnitEvent[] {
  switch (command.type) {
    case 'RegisterUnit': {
      if (state.status !== 'unregistered') {
        // The same registration again is a retry; a different one is a conflict.
        if (sameFacts(state.registration, command.data)) return [];
        return refuse('unit-already-registered', `unit ${command.data.unitId} is already registered`);
      }
      notInFuture(command.data.registeredOn, context, 'registeredOn');
      return [{ type: 'UnitRegistered', data: command.data }];
    }
    case 'AssignInstructor': {
      if (state.status === 'unregistered')
        return refuse('unit-not-found', `unit ${command.data.unitId} is not registered`);
      if (state.status === 'closed')
        return refuse('unit-closed', `unit ${command.data.unitId} closed on ${state.closedOn}`);
      if (state.instructors.includes(command.data.name)) return [];
      if (command.data.assignedOn < state.registration.registeredOn) {
        return refuse(
          'date-before-registration',
          `assignedOn is before the unit was registered (${state.registration.registeredOn})`,
          'assignedOn',
        );
      }
      notInFuture(command.data.assignedOn, context, 'assignedOn');
      return [
        {
          type: 'InstructorAssigned',
          data: { unitId: command.data.unitId, name: command.data.name, effectiveOn: command.data.assignedOn },
        },
      ];
    }
    case 'WithdrawInstructor': {
      const { unitId, effectiveOn } = command.data;
      if (state.status === 'unregistered') return refuse('unit-not-found', `unit ${unitId} is not registered`);
      if (state.instructors.length === 0 && state.instructorWithdrawnOn === effectiveOn) return [];
      if (state.status === 'closed') return refuse('unit-closed', `unit ${unitId} closed on ${state.closedOn}`);
      if (state.instructors.length === 0 || state.instructorSince === null)
        return refuse('no-instructor', `no instructor works with unit ${unitId}`);
      if (effectiveOn <= state.instructorSince)
        refuse(
          'date-before-assignment',
          `effectiveOn must be after the assignment (${state.instructorSince})`,
          'effectiveOn',
        );
      notInFuture(effectiveOn, context, 'effectiveOn');
      return [{ type: 'InstructorWithdrawn', data: { unitId, effectiveOn } }];
    }
    case 'CloseUnit': {
      if (state.status === 'unregistered')
        return refuse('unit-not-found', `unit ${command.data.unitId} is not registered`);
      if (state.status === 'closed') {
        if (state.closedOn === command.data.effectiveOn) return [];
        return refuse('unit-closed', `unit ${command.data.unitId} already closed on ${state.closedOn}`);
      }
      if (command.data.effectiveOn < state.registration.registeredOn) {
        return refuse(
          'date-before-registration',
          `effectiveOn is before the unit was registered (${state.registration.registeredOn})`,
          'effectiveOn',
        );
      }
      return [{ type: 'UnitClosed', data: command.data }];
    }
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

export const unitDecider: Decider<UnitCommand, UnitEvent, UnitState> = {
  decide: decideUnit,
  evolve: evolveUnit,
  initialState: initialUnitState,
};
