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
      'ElectCommittee',
      {
        organizationId: string;
        electedOn: string;
        members: readonly CommitteeSeat[];
        termYears?: number;
        /** Each seat's holder as the handler found them on `electedOn`: a full member of this organisation or not. */
        holders: readonly CommitteeHolderStanding[];
        /** Full members of the organisation, for the committee's size. */
        fullMembers: number;
      }
    >
  | Command<'PostponeElection', { organizationId: string; until: string; approvedOn: string; reason: string }>
  | Command<'RecordRating', Rating & { organizationId: string }>
  | Command<
      'RecordMeeting',
      Meeting & {
        organizationId: string;
        /** Looked up on `heldOn`: each attendee, then each absentee, belongs to the organisation or is hosted by it. */
        attending: readonly boolean[];
        absent: readonly boolean[];
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
  | Event<'OrganizationDissolved', { organizationId: string; effectiveOn: string; reason: string }>
  /** 换届: the committee (or a small branch's secretary and deputy) for a term; the secretary's post is among the seats. */
  | Event<'CommitteeElected', Committee & { organizationId: string }>
  | Event<'ElectionPostponed', { organizationId: string; until: string; approvedOn: string; reason: string }>
  /** 星级创建: the organisation's stars for a year (1–5), one rating per year. */
  | Event<'OrganizationRated', Rating & { organizationId: string }>
  /** 三会一课: a meeting of the organisation, with who attended and who was excused. */
  | Event<'MeetingHeld', Meeting & { organizationId: string }>;

export const MEETING_KINDS = [
  'general-meeting',
  'committee-meeting',
  'group-meeting',
  'party-lecture',
  'theme-day',
  'life-meeting',
] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

export interface Meeting {
  readonly kind: MeetingKind;
  readonly heldOn: string;
  readonly topic: string;
  readonly attendeeIds: readonly string[];
  readonly absences: readonly { readonly memberId: string; readonly reason: string }[];
}

export interface Rating {
  readonly year: number;
  readonly stars: number;
  readonly ratedOn: string;
}

export type CommitteeRole = 'secretary' | 'deputy-secretary' | 'member';

export interface CommitteeSeat {
  readonly memberId: string;
  readonly role: CommitteeRole;
}

/** 'eligible': a full member of this organisation on the day; otherwise why not. */
export type CommitteeHolderStanding = 'eligible' | 'probationary' | 'elsewhere' | 'not-a-member';

export interface Committee {
  readonly electedOn: string;
  readonly termYears: number;
  readonly termEndsOn: string;
  readonly members: readonly CommitteeSeat[];
}

/** Terms (党章 art. 30; 支部工作条例 art. 10): branches and general branches 3 years, committees 5. */
export const DEFAULT_TERM_YEARS: Readonly<Record<OrganizationLevel, number>> = {
  branch: 3,
  'general-branch': 3,
  committee: 5,
};
/** A branch with this many full members elects a committee; a smaller one a secretary and at most one deputy. */
export const BRANCH_COMMITTEE_FULL_MEMBERS = 7;
export const BRANCH_COMMITTEE_SIZE = { min: 3, max: 7 } as const;
/** An election may be put off by at most this long after the term's end, with approval. */
export const POSTPONEMENT_MAX_YEARS = 1;

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
      readonly committee: Committee | null;
      readonly postponedUntil: string | null;
      /** Stars by year (星级). */
      readonly ratings: Readonly<Record<string, number>>;
      /** Meetings recorded, by `kind heldOn topic`: the same meeting again is a retry. */
      readonly meetings: Readonly<Record<string, Meeting>>;
    };

/** A meeting is known by its kind, day and topic. */
export const meetingKeyOf = (meeting: Pick<Meeting, 'kind' | 'heldOn' | 'topic'>): string =>
  `${meeting.kind} ${meeting.heldOn} ${meeting.topic}`;
