import type { Command, Event } from '../decider';
import type { ExternalParty, Occupation, SealedPersonalData } from '../member/member';
import type { OrganizationLookup } from '../organization';

/**
 * A flowing member (流动党员) whose home organisation is outside the registry, looked after by a host
 * organisation here (流入地). The relation stays at home, so the registry holds no membership of
 * theirs: it counts them at the host, and ends the inflow when they depart or transfer in.
 */
export interface InflowRegistration {
  readonly inflowingMemberId: string;
  readonly personal: SealedPersonalData;
  readonly gender: 'male' | 'female';
  readonly home: ExternalParty;
  readonly hostOrgId: string;
  readonly since: string;
  readonly occupation?: Occupation;
  readonly certificateNo?: string;
}

export type InflowCommand =
  | Command<
      'RegisterInflowingMember',
      InflowRegistration & {
        host: OrganizationLookup;
        /** Looked up by the handler: the ID number is a current member's of this registry. */
        alreadyAMember: boolean;
      }
    >
  | Command<'DepartInflow', { inflowingMemberId: string; effectiveOn: string }>
  /** Issued by a member's registration with the same resident ID number (a transfer in). */
  | Command<'ConvertInflow', { inflowingMemberId: string; memberId: string; effectiveOn: string }>
  | Command<'ForgetInflowPersonalData', { inflowingMemberId: string }>;

export type InflowEvent =
  | Event<'InflowingMemberRegistered', InflowRegistration>
  | Event<'InflowingMemberDeparted', { inflowingMemberId: string; effectiveOn: string }>
  | Event<'InflowingMemberConverted', { inflowingMemberId: string; memberId: string; effectiveOn: string }>
  | Event<'InflowingMemberPersonalDataForgotten', { inflowingMemberId: string }>;

export type InflowEnd =
  | { readonly kind: 'departed'; readonly on: string }
  | { readonly kind: 'converted'; readonly on: string; readonly memberId: string };

export type InflowState =
  | { readonly status: 'none' }
  | {
      readonly status: 'hosted' | 'ended';
      readonly registration: InflowRegistration;
      readonly end: InflowEnd | null;
      readonly personalDataForgotten: boolean;
    };
