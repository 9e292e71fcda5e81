import type { Command, Event } from '../decider';
import type { OrganizationLookup } from '../organization';
import type { DuesCategory } from './dues';

/**
 * Name, resident ID number, phone and birth date, encrypted with the member's own key before the
 * command reaches the domain. The domain passes it through untouched and never sees plain text.
 */
export interface SealedPersonalData {
  readonly keyId: string;
  readonly ciphertext: string;
}

export type MemberStatus = 'probationary' | 'full';
export type Occupation = 'owner' | 'manager' | 'technical-worker' | 'mobile-talent' | 'other';
export type LeavingReason = 'deceased' | 'expelled' | 'withdrew' | 'self-withdrawal';
/** Why a membership ended: a recorded leaving, or an annulled probation (its own event). */
export type EndReason = LeavingReason | 'probation-annulled';
export interface ExternalParty {
  readonly name: string;
  readonly regionCode: string;
}
export type TransferTarget = { readonly orgId: string } | { readonly external: ExternalParty };

export interface MemberRegistration {
  readonly memberId: string;
  readonly personal: SealedPersonalData;
  readonly gender: 'male' | 'female';
  readonly joinedOn: string;
  readonly status: MemberStatus;
  readonly orgId: string;
  readonly unitId?: string;
  readonly occupation?: Occupation;
  /** The day the relation with `orgId` began. */
  readonly effectiveOn: string;
  readonly origin?: { readonly external: ExternalParty & { readonly letterNo: string } };
  /** A migrated full member's confirmation date, as the old records give it. */
  readonly confirmedOn?: string;
  /** Admitted through the registry's development pipeline: the application this membership came from. */
  readonly applicantId?: string;
}

export interface TransferSettings {
  /** Default letter validity in days within a province, across provinces, and the maximum. */
  readonly withinProvinceDays: number;
  readonly acrossProvincesDays: number;
  readonly maximumDays: number;
}

export const DEFAULT_TRANSFER_SETTINGS: TransferSettings = {
  withinProvinceDays: 30,
  acrossProvincesDays: 90,
  maximumDays: 180,
};

export type MemberCommand =
  | Command<'RegisterMember', MemberRegistration & { organization: OrganizationLookup }>
  | Command<'ConfirmMember', { memberId: string; effectiveOn: string }>
  | Command<'ExtendProbation', { memberId: string; months: number; decidedOn: string; reason: string }>
  | Command<'AnnulProbation', { memberId: string; decidedOn: string; reason: string }>
  | Command<'SuspendMember', { memberId: string; decidedOn: string }>
  | Command<'ReinstateMember', { memberId: string; decidedOn: string }>
  | Command<'ChangeEmployment', { memberId: string; unitId: string | null; effectiveOn: string }>
  | Command<
      'InitiateTransfer',
      {
        memberId: string;
        transferId: string;
        to: TransferTarget;
        effectiveOn: string;
        letterNo?: string;
        validUntil?: string;
        /** Looked up by the handler: the receiving organisation's status and both region codes. */
        receiving?: OrganizationLookup;
        fromRegionCode: string;
        toRegionCode: string;
      }
    >
  | Command<
      'AcceptTransfer',
      { memberId: string; transferId: string; effectiveOn: string; receiving?: OrganizationLookup }
    >
  /** `effectiveOn` absent: the day the command is decided. */
  | Command<'RejectTransfer', { memberId: string; transferId: string; reason: string; effectiveOn?: string }>
  | Command<'CancelTransfer', { memberId: string; transferId: string; reason: string; effectiveOn?: string }>
  | Command<
      'FlowOut',
      {
        memberId: string;
        since: string;
        destinationRegionCode: string;
        hostOrgId?: string;
        certificateNo?: string;
        host?: OrganizationLookup;
      }
    >
  | Command<'FlowReturn', { memberId: string; effectiveOn: string }>
  | Command<'MarkLostContact', { memberId: string; since: string }>
  | Command<'RestoreContact', { memberId: string; effectiveOn: string }>
  | Command<'AssessDues', { memberId: string; from: string; category: DuesCategory; monthlyIncomeFen?: number }>
  | Command<
      'PayDues',
      { memberId: string; months: readonly string[]; amountFen: number; paidOn: string; channel: string }
    >
  | Command<'RecordLeaving', { memberId: string; reason: LeavingReason; effectiveOn: string }>
  /** Crypto-shredding: the handler destroys the member's data key in the same transaction. */
  | Command<'ForgetPersonalData', { memberId: string }>
  | Command<'RecordAppraisal', Appraisal & { memberId: string }>
  | Command<'RecordPoints', PointsEntry & { memberId: string }>;

export type MemberEvent =
  | Event<'MemberRegistered', MemberRegistration>
  /** `effectiveOn` is the confirming meeting; standing counts from `fullSince`, the probation's end (absent in events before it was recorded). */
  | Event<'MemberConfirmed', { memberId: string; effectiveOn: string; fullSince?: string }>
  | Event<
      'ProbationExtended',
      { memberId: string; months: number; decidedOn: string; reason: string; probationEndsOn: string }
    >
  /** Ends the membership, as MemberLeft does. */
  | Event<'ProbationAnnulled', { memberId: string; decidedOn: string; reason: string }>
  | Event<'MemberSuspended', { memberId: string; decidedOn: string }>
  | Event<'MemberReinstated', { memberId: string; decidedOn: string }>
  | Event<'MemberEmploymentChanged', { memberId: string; unitId: string | null; effectiveOn: string }>
  | Event<
      'TransferInitiated',
      {
        memberId: string;
        transferId: string;
        fromOrgId: string;
        to: TransferTarget;
        effectiveOn: string;
        letterNo: string | null;
        validUntil: string;
        /** The letter records the month dues are paid up to (null: none paid). */
        duesPaidUpTo: string | null;
      }
    >
  | Event<
      'TransferAccepted',
      { memberId: string; transferId: string; fromOrgId: string; to: TransferTarget; effectiveOn: string }
    >
  /** Schema version 2 added `effectiveOn`; version 1 events are read with the day they were recorded (upcast). */
  | Event<'TransferRejected', { memberId: string; transferId: string; reason: string; effectiveOn: string }>
  | Event<'TransferCancelled', { memberId: string; transferId: string; reason: string; effectiveOn: string }>
  | Event<
      'MemberFlowedOut',
      {
        memberId: string;
        since: string;
        destinationRegionCode: string;
        hostOrgId: string | null;
        certificateNo: string | null;
      }
    >
  | Event<'MemberFlowReturned', { memberId: string; effectiveOn: string }>
  | Event<'MemberLostContact', { memberId: string; since: string }>
  | Event<'MemberContactRestored', { memberId: string; effectiveOn: string }>
  | Event<
      'DuesAssessed',
      {
        memberId: string;
        from: string;
        category: DuesCategory;
        monthlyIncomeFen: number | null;
        monthlyDuesFen: number;
      }
    >
  | Event<
      'DuesPaid',
      { memberId: string; months: readonly string[]; amountFen: number; paidOn: string; channel: string }
    >
  | Event<'MemberLeft', { memberId: string; reason: LeavingReason; effectiveOn: string }>
  | Event<'PersonalDataForgotten', { memberId: string }>
  /** 民主评议: the member's grade for a year, one per year. */
  | Event<'MemberAppraised', Appraisal & { memberId: string }>
  /** 积分: points added to (or taken from) the member's score for a year. */
  | Event<'PointsRecorded', PointsEntry & { memberId: string }>;

export interface PendingTransfer {
  readonly transferId: string;
  readonly to: TransferTarget;
  readonly letterNo: string | null;
  readonly effectiveOn: string;
  readonly validUntil: string;
}

/** What the registry holds of a registered member, whether still a member or not. */
export interface MemberRecord {
  readonly registration: MemberRegistration;
  readonly standing: MemberStatus;
  readonly confirmedOn: string | null;
  /** The day standing (党龄) counts from: the probation's end. Null while probationary. */
  readonly fullSince: string | null;
  /** The probation's end, extension included; null for a member registered as full. */
  readonly probationEndsOn: string | null;
  readonly probationExtension: { readonly months: number; readonly decidedOn: string } | null;
  readonly suspendedOn: string | null;
  readonly lastReinstated: string | null;
  /** Democratic appraisals (民主评议), by year. */
  readonly appraisals: Readonly<Record<string, AppraisalGrade>>;
  /** Points entries recorded (积分), as facts: the same entry again is a retry. */
  readonly pointsEntries: readonly PointsEntry[];
  /** The organisation holding the relation; null once transferred outside the registry. */
  readonly orgId: string | null;
  readonly unitId: string | null;
  readonly pendingTransfer: PendingTransfer | null;
  /** Every transfer id used, with how it ended. */
  readonly transfers: Readonly<Record<string, 'pending' | 'accepted' | 'rejected' | 'cancelled'>>;
  readonly flowing: {
    readonly since: string;
    readonly destinationRegionCode: string;
    /** The organisation looking after the member where they flowed to, if it is in the registry. */
    readonly hostOrgId: string | null;
  } | null;
  readonly lastFlowReturn: string | null;
  readonly lostContactSince: string | null;
  readonly lastContactRestored: string | null;
  readonly assessments: readonly { readonly from: string; readonly monthlyDuesFen: number; readonly key: string }[];
  readonly paidMonths: readonly string[];
  readonly payments: readonly string[];
  readonly personalDataForgotten: boolean;
}

export interface Leaving {
  readonly reason: EndReason;
  readonly effectiveOn: string;
}

export type UnregisteredMember = { readonly status: 'unregistered' };
export type CurrentMember = MemberRecord & { readonly status: 'member' };
export type FormerMember = MemberRecord & { readonly status: 'left'; readonly left: Leaving };

/** Not registered, a member, or left: only a former member has a leaving. */
export type MemberState = UnregisteredMember | CurrentMember | FormerMember;

/** 民主评议 grades: 优秀, 合格, 基本合格, 不合格. */
export const APPRAISAL_GRADES = ['excellent', 'qualified', 'basically-qualified', 'unqualified'] as const;
export type AppraisalGrade = (typeof APPRAISAL_GRADES)[number];

export interface Appraisal {
  readonly year: number;
  readonly grade: AppraisalGrade;
  readonly decidedOn: string;
}

/** 积分定等: an entry of a member's yearly points score (a base, a setting, plus the year's entries). */
export interface PointsEntry {
  readonly year: number;
  readonly delta: number;
  readonly category: string;
  readonly reason: string;
  readonly recordedOn: string;
}
