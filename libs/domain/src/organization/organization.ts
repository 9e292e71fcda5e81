import type { Command, Event } from '../decider';

/** 党委 / 党总支 / 党支部 */
export type OrganizationLevel = 'committee' | 'general-branch' | 'branch';
/** 单独组建 / 联合 / 楼宇 / 区域 / 行业 / 流动党员 */
export type OrganizationForm = 'single' | 'joint' | 'building' | 'regional' | 'industry' | 'flowing';

/** What the command handler found about another organisation (the parent) before deciding. */
export type OrganizationLookup = 'active' | 'dissolved' | 'missing';

export interface Establishment {
  readonly organizationId: string;
  readonly name: string;
  readonly level: OrganizationLevel;
  readonly form: OrganizationForm;
  /** Absent only for a root, such as a group company's committee. */
  readonly parentId?: string;
  readonly regionCode: string;
  readonly unitIds: readonly string[];
  readonly establishedOn: string;
}

export type OrganizationCommand =
  | Command<'EstablishOrganization', Establishment & { parent?: OrganizationLookup }>
  | Command<'AddUnit', { organizationId: string; unitId: string; effectiveOn: string }>
  | Command<'RemoveUnit', { organizationId: string; unitId: string; effectiveOn: string }>
  | Command<
      'ReparentOrganization',
      {
        organizationId: string;
        parentId: string;
        effectiveOn: string;
        parent: OrganizationLookup;
        /** The new parent's ancestors, nearest first, as of `effectiveOn`. */
        parentAncestorIds: readonly string[];
      }
    >
  | Command<'RenameOrganization', { organizationId: string; name: string; effectiveOn: string }>
  | Command<
      'AppointSecretary',
      {
        organizationId: string;
        memberId: string;
        effectiveOn: string;
        /** The organisation the member belongs to on `effectiveOn`, or undefined if unknown. */
        memberOrganizationId: string | undefined;
        /** The member's standing, looked up with the organisation. */
        memberStanding: 'full' | 'probationary' | undefined;
      }
    >
  | Command<
      'DissolveOrganization',
      {
        organizationId: string;
        effectiveOn: string;
        reason: string;
        memberCount: number;
        childCount: number;
      }
    >;

export type OrganizationEvent =
  | Event<'OrganizationEstablished', Establishment>
  | Event<'JointBranchFormed', Establishment>
  | Event<'UnitJoinedOrganization', { organizationId: string; unitId: string; effectiveOn: string }>
  | Event<'UnitLeftOrganization', { organizationId: string; unitId: string; effectiveOn: string }>
  | Event<
      'OrganizationReparented',
      { organizationId: string; fromParentId: string | null; toParentId: string; effectiveOn: string }
    >
  | Event<'OrganizationRenamed', { organizationId: string; from: string; to: string; effectiveOn: string }>
  | Event<'SecretaryAppointed', { organizationId: string; memberId: string; effectiveOn: string }>
  | Event<'OrganizationDissolved', { organizationId: string; effectiveOn: string; reason: string }>;

export type OrganizationState =
  | { readonly status: 'none' }
  | {
      readonly status: 'active' | 'dissolved';
      readonly establishment: Establishment;
      readonly name: string;
      readonly parentId: string | null;
      readonly unitIds: readonly string[];
      readonly formerUnitIds: readonly string[];
      readonly secretaryId: string | null;
      readonly dissolvedOn: string | null;
    };
