import type { Command, Event } from '../decider';

/** 两新组织: a non-public enterprise or a social organisation. */
export type UnitKind = 'enterprise' | 'social-organization';

export interface UnitRegistration {
  readonly unitId: string;
  readonly name: string;
  readonly creditCode: string;
  readonly kind: UnitKind;
  readonly regionCode: string;
  readonly industry: string;
  readonly buildingId?: string;
  readonly parkId?: string;
  readonly employeeCount?: number;
  readonly registeredOn: string;
}

export type UnitCommand =
  | Command<'RegisterUnit', UnitRegistration>
  | Command<'AssignInstructor', { unitId: string; name: string; assignedOn: string }>
  | Command<'WithdrawInstructor', { unitId: string; effectiveOn: string }>
  | Command<'CloseUnit', { unitId: string; effectiveOn: string }>;

export type UnitEvent =
  | Event<'UnitRegistered', UnitRegistration>
  | Event<'InstructorAssigned', { unitId: string; name: string; effectiveOn: string }>
  /** The unit's instructors leave: its work coverage (工作覆盖) ends from `effectiveOn`. */
  | Event<'InstructorWithdrawn', { unitId: string; effectiveOn: string }>
  | Event<'UnitClosed', { unitId: string; effectiveOn: string }>;

export type UnitState =
  | { readonly status: 'unregistered' }
  | {
      readonly status: 'operating' | 'closed';
      readonly registration: UnitRegistration;
      /** The instructors working with the unit now. */
      readonly instructors: readonly string[];
      /** The latest assignment of those now working with it. */
      readonly instructorSince: string | null;
      readonly instructorWithdrawnOn: string | null;
      readonly closedOn?: string;
    };
