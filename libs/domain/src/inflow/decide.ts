import { type CommandContext, type Decider, notInFuture, refuse, sameFacts } from '../decider';
import type { InflowCommand, InflowEvent, InflowState } from './inflow';
import { evolveInflow, initialInflowState } from './state';

type Known = Exclude<InflowState, { status: 'none' }>;

function known(state: InflowState, id: string): Known {
  if (state.status === 'none') return refuse('inflowing-member-not-found', `inflowing member ${id} is not registered`);
  return state;
}

function notBeforeArrival(state: Known, date: string, field: string): void {
  if (date < state.registration.since)
    refuse('date-before-inflow', `${field} is before the member came (${state.registration.since})`, field);
}

export function decideInflow(
  command: InflowCommand,
  state: InflowState,
  context: CommandContext,
): readonly InflowEvent[] {
  switch (command.type) {
    case 'RegisterInflowingMember': {
      const { host, alreadyAMember, ...registration } = command.data;
      if (state.status !== 'none') {
        if (sameFacts(state.registration, registration)) return [];
        return refuse(
          'inflowing-member-already-registered',
          `inflowing member ${registration.inflowingMemberId} is already registered`,
        );
      }
      if (alreadyAMember)
        refuse(
          'already-a-member',
          'a member of this registry is not an inflowing member: record a flow-out',
          'idNumber',
        );
      if (host === 'missing')
        refuse('organization-not-found', `organisation ${registration.hostOrgId} does not exist`, 'hostOrgId');
      if (host === 'dissolved')
        refuse('organization-dissolved', `organisation ${registration.hostOrgId} is dissolved`, 'hostOrgId');
      notInFuture(registration.since, context, 'since');
      return [{ type: 'InflowingMemberRegistered', data: registration }];
    }
    case 'DepartInflow': {
      const { inflowingMemberId, effectiveOn } = command.data;
      const inflow = known(state, inflowingMemberId);
      if (inflow.end?.kind === 'departed' && inflow.end.on === effectiveOn) return [];
      if (inflow.end) return refuse('inflow-ended', `the inflow ended on ${inflow.end.on} (${inflow.end.kind})`);
      notBeforeArrival(inflow, effectiveOn, 'effectiveOn');
      notInFuture(effectiveOn, context, 'effectiveOn');
      return [{ type: 'InflowingMemberDeparted', data: command.data }];
    }
    case 'ConvertInflow': {
      const { inflowingMemberId, memberId, effectiveOn } = command.data;
      const inflow = known(state, inflowingMemberId);
      if (inflow.end?.kind === 'converted' && inflow.end.memberId === memberId) return [];
      if (inflow.end) return refuse('inflow-ended', `the inflow ended on ${inflow.end.on} (${inflow.end.kind})`);
      // A registration dated before the inflow began still ends it, on the day it began.
      const on = effectiveOn < inflow.registration.since ? inflow.registration.since : effectiveOn;
      return [{ type: 'InflowingMemberConverted', data: { inflowingMemberId, memberId, effectiveOn: on } }];
    }
    case 'ForgetInflowPersonalData': {
      const inflow = known(state, command.data.inflowingMemberId);
      if (inflow.personalDataForgotten) return [];
      return [{ type: 'InflowingMemberPersonalDataForgotten', data: command.data }];
    }
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

export const inflowDecider: Decider<InflowCommand, InflowEvent, InflowState> = {
  decide: decideInflow,
  evolve: evolveInflow,
  initialState: initialInflowState,
};
