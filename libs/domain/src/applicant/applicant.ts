import type { Command, Event } from '../decider';
import type { Occupation, SealedPersonalData } from '../member/member';
import type { OrganizationLookup } from '../organization';

/**
 * A person on the way to membership (发展党员, 中国共产党发展党员工作细则 2014): application,
 * interview, activist (入党积极分子) with half-yearly reviews, candidate (发展对象) with two
 * introducers, concentrated training, admission by the branch general meeting, approval by the
 * higher committee, which makes the person a probationary member.
 */
export interface Application {
  readonly applicantId: string;
  readonly personal: SealedPersonalData;
  readonly gender: 'male' | 'female';
  readonly orgId: string;
  readonly unitId?: string;
  readonly occupation?: Occupation;
  readonly appliedOn: string;
}

export type ApplicantStage = 'applicant' | 'activist' | 'candidate' | 'admitted' | 'approved' | 'withdrawn';

/** A member named in a step, as the handler found them: a full member, a probationary one, or neither. */
export type MemberStanding = 'full' | 'probationary' | 'none';

export interface Interview {
  readonly interviewedOn: string;
  readonly interviewerId: string;
}
export interface ActivistDesignation {
  readonly designatedOn: string;
  readonly contactIds: readonly string[];
}
export interface Review {
  readonly reviewedOn: string;
  readonly summary: string;
}
export interface CandidateDesignation {
  readonly designatedOn: string;
  readonly introducerIds: readonly string[];
  readonly politicalReviewOn: string;
}
export interface Training {
  readonly completedOn: string;
  readonly hours: number;
}
export interface Admission {
  readonly meetingOn: string;
  readonly eligibleVoters: number;
  readonly present: number;
  readonly inFavour: number;
}
export interface Approval {
  readonly approvedOn: string;
  readonly memberId: string;
}
export interface Withdrawal {
  readonly effectiveOn: string;
  readonly reason: string;
}

type Step<T> = { applicantId: string } & T;

export type ApplicantCommand =
  | Command<
      'SubmitApplication',
      Application & {
        /** Looked up by the handler, never recorded: only the sealed data keeps it. */
        birthDate: string;
        organization: OrganizationLookup;
        /** Looked up by the handler: the ID number is a current member's of this registry. */
        alreadyAMember: boolean;
      }
    >
  | Command<'RecordInterview', Step<Interview & { interviewer: MemberStanding }>>
  | Command<'DesignateActivist', Step<ActivistDesignation & { contacts: readonly MemberStanding[] }>>
  | Command<'RecordReview', Step<Review>>
  | Command<'DesignateCandidate', Step<CandidateDesignation & { introducers: readonly MemberStanding[] }>>
  | Command<'RecordTraining', Step<Training>>
  | Command<'AdmitApplicant', Step<Admission>>
  | Command<'ApproveApplicant', Step<Approval>>
  | Command<'WithdrawApplication', Step<Withdrawal>>
  | Command<'ForgetApplicantPersonalData', { applicantId: string }>;

export type ApplicantEvent =
  | Event<'ApplicationSubmitted', Application>
  | Event<'ApplicantInterviewed', Step<Interview>>
  | Event<'ActivistDesignated', Step<ActivistDesignation>>
  | Event<'ApplicantReviewed', Step<Review>>
  | Event<'CandidateDesignated', Step<CandidateDesignation>>
  | Event<'ApplicantTrained', Step<Training>>
  | Event<'ApplicantAdmitted', Step<Admission>>
  /** The person became the probationary member `memberId`, admitted on the meeting's date. */
  | Event<'ApplicantApproved', Step<Approval>>
  | Event<'ApplicationWithdrawn', Step<Withdrawal>>
  | Event<'ApplicantPersonalDataForgotten', { applicantId: string }>;

export type ApplicantState =
  | { readonly stage: 'none' }
  | {
      readonly stage: ApplicantStage;
      readonly application: Application;
      readonly interview: Interview | null;
      readonly activist: ActivistDesignation | null;
      readonly reviews: readonly Review[];
      readonly candidate: CandidateDesignation | null;
      readonly trainings: readonly Training[];
      readonly admission: Admission | null;
      readonly approval: Approval | null;
      readonly withdrawal: Withdrawal | null;
      readonly personalDataForgotten: boolean;
    };

export type KnownApplicant = Exclude<ApplicantState, { stage: 'none' }>;

/** Class hours of concentrated training so far. */
export const trainingHoursOf = (state: KnownApplicant): number =>
  state.trainings.reduce((sum, training) => sum + training.hours, 0);

/** Local practice DOMAIN.md makes a setting. */
export interface DevelopmentSettings {
  /** Concentrated training before admission: at least this many class hours (3 days or 24 hours). */
  readonly trainingHours: number;
}

export const DEFAULT_DEVELOPMENT_SETTINGS: DevelopmentSettings = { trainingHours: 24 };

/** Windows DOMAIN.md sets for the pipeline's steps; past them the registry warns or lists the step as overdue. */
export const INTERVIEW_WITHIN_MONTHS = 1;
export const REVIEW_EVERY_MONTHS = 6;
export const APPROVAL_WITHIN_MONTHS = 3;
export const ACTIVIST_YEARS_BEFORE_CANDIDACY = 1;
export const MINIMUM_APPLICANT_AGE = 18;
