import { addMonths, addYears } from '../calendar';
import { type CommandContext, type Decider, notInFuture, refuse, sameFacts } from '../decider';
import { DEFAULT_RULE_SETTINGS } from '../rule-settings';
import {
  ACTIVIST_YEARS_BEFORE_CANDIDACY,
  type ApplicantCommand,
  type ApplicantEvent,
  type ApplicantState,
  APPROVAL_WITHIN_MONTHS,
  INTERVIEW_WITHIN_MONTHS,
  type KnownApplicant,
  type MemberStanding,
  MINIMUM_APPLICANT_AGE,
  trainingHoursOf,
} from './applicant';
import { evolveApplicant, initialApplicantState } from './state';

function known(state: ApplicantState, applicantId: string): KnownApplicant {
  if (state.stage === 'none') return refuse('applicant-not-found', `applicant ${applicantId} has not applied`);
  return state;
}

/** Approved or withdrawn: the application is over. */
function stillOpen(state: KnownApplicant): void {
  if (state.approval)
    refuse(
      'application-ended',
      `the applicant was approved on ${state.approval.approvedOn}: see member ${state.approval.memberId}`,
    );
  if (state.withdrawal) refuse('application-ended', `the application was withdrawn on ${state.withdrawal.effectiveOn}`);
}

function notBefore(date: string, earliest: string, what: string, field: string): void {
  if (date < earliest) refuse('date-before-previous-step', `${field} ${date} is before ${what} (${earliest})`, field);
}

function fullMembers(standings: readonly MemberStanding[], ids: readonly string[], rule: string, field: string): void {
  standings.forEach((standing, i) => {
    if (standing !== 'full') {
      const what = standing === 'probationary' ? 'a probationary member' : 'not a current member';
      refuse(
        rule,
        `${ids[i]} is ${what}: only a full member may act here`,
        `${field}${ids.length > 1 ? `[${i}]` : ''}`,
      );
    }
  });
}

export function decideApplicant(
  command: ApplicantCommand,
  state: ApplicantState,
  context: CommandContext,
): readonly ApplicantEvent[] {
  switch (command.type) {
    case 'SubmitApplication': {
      const { birthDate, organization, alreadyAMember, ...application } = command.data;
      if (state.stage !== 'none') {
        if (sameFacts(state.application, application)) return [];
        return refuse('applicant-already-registered', `applicant ${application.applicantId} has already applied`);
      }
      if (addYears(birthDate, MINIMUM_APPLICANT_AGE) > application.appliedOn)
        refuse(
          'applicant-under-18',
          `the applicant is under ${MINIMUM_APPLICANT_AGE} on ${application.appliedOn}`,
          'birthDate',
        );
      if (alreadyAMember)
        refuse('already-a-member', 'a current member of this registry cannot apply to join', 'idNumber');
      if (organization === 'missing')
        refuse('organization-not-found', `organisation ${application.orgId} does not exist`, 'orgId');
      if (organization === 'dissolved')
        refuse('organization-dissolved', `organisation ${application.orgId} is dissolved`, 'orgId');
      notInFuture(application.appliedOn, context, 'appliedOn');
      return [{ type: 'ApplicationSubmitted', data: application }];
    }
    case 'RecordInterview': {
      const { interviewer, ...interview } = command.data;
      const applicant = known(state, interview.applicantId);
      if (applicant.interview) {
        if (sameFacts({ applicantId: interview.applicantId, ...applicant.interview }, interview)) return [];
        return refuse(
          'interview-already-recorded',
          `the interview was recorded on ${applicant.interview.interviewedOn}`,
        );
      }
      stillOpen(applicant);
      fullMembers([interviewer], [interview.interviewerId], 'interviewer-not-full-member', 'interviewerId');
      notBefore(interview.interviewedOn, applicant.application.appliedOn, 'the application', 'interviewedOn');
      notInFuture(interview.interviewedOn, context, 'interviewedOn');
      return [{ type: 'ApplicantInterviewed', data: interview }];
    }
    case 'DesignateActivist': {
      const { contacts, ...designation } = command.data;
      const applicant = known(state, designation.applicantId);
      if (applicant.activist) {
        if (sameFacts({ applicantId: designation.applicantId, ...applicant.activist }, designation)) return [];
        return refuse(
          'activist-already-designated',
          `the applicant became an activist on ${applicant.activist.designatedOn}`,
        );
      }
      stillOpen(applicant);
      if (!applicant.interview) refuse('interview-missing', 'the organisation has not yet talked with the applicant');
      fullMembers(contacts, designation.contactIds, 'contact-not-full-member', 'contactIds');
      notBefore(designation.designatedOn, applicant.interview.interviewedOn, 'the interview', 'designatedOn');
      notInFuture(designation.designatedOn, context, 'designatedOn');
      return [{ type: 'ActivistDesignated', data: designation }];
    }
    case 'RecordReview': {
      const review = command.data;
      const applicant = known(state, review.applicantId);
      if (applicant.reviews.some((earlier) => sameFacts({ applicantId: review.applicantId, ...earlier }, review)))
        return [];
      stillOpen(applicant);
      if (!applicant.activist) refuse('not-an-activist', 'only an activist (入党积极分子) is reviewed');
      notBefore(review.reviewedOn, applicant.activist.designatedOn, 'the designation as activist', 'reviewedOn');
      notInFuture(review.reviewedOn, context, 'reviewedOn');
      return [{ type: 'ApplicantReviewed', data: review }];
    }
    case 'DesignateCandidate': {
      const { introducers, ...designation } = command.data;
      const applicant = known(state, designation.applicantId);
      if (applicant.candidate) {
        if (sameFacts({ applicantId: designation.applicantId, ...applicant.candidate }, designation)) return [];
        return refuse(
          'candidate-already-designated',
          `the applicant became a candidate on ${applicant.candidate.designatedOn}`,
        );
      }
      stillOpen(applicant);
      if (!applicant.activist) refuse('not-an-activist', 'only an activist (入党积极分子) may become a candidate');
      const earliest = addYears(applicant.activist.designatedOn, ACTIVIST_YEARS_BEFORE_CANDIDACY);
      if (designation.designatedOn < earliest)
        refuse(
          'activist-period-too-short',
          `an activist since ${applicant.activist.designatedOn} may become a candidate from ${earliest}`,
          'designatedOn',
        );
      fullMembers(introducers, designation.introducerIds, 'introducer-not-full-member', 'introducerIds');
      notBefore(
        designation.politicalReviewOn,
        applicant.activist.designatedOn,
        'the designation as activist',
        'politicalReviewOn',
      );
      notInFuture(designation.politicalReviewOn, context, 'politicalReviewOn');
      notInFuture(designation.designatedOn, context, 'designatedOn');
      return [{ type: 'CandidateDesignated', data: designation }];
    }
    case 'RecordTraining': {
      const training = command.data;
      const applicant = known(state, training.applicantId);
      if (applicant.trainings.some((earlier) => sameFacts({ applicantId: training.applicantId, ...earlier }, training)))
        return [];
      stillOpen(applicant);
      if (!applicant.activist) refuse('not-an-activist', 'concentrated training is for activists and candidates');
      notBefore(training.completedOn, applicant.activist.designatedOn, 'the designation as activist', 'completedOn');
      notInFuture(training.completedOn, context, 'completedOn');
      return [{ type: 'ApplicantTrained', data: training }];
    }
    case 'AdmitApplicant': {
      const admission = command.data;
      const applicant = known(state, admission.applicantId);
      if (applicant.admission) {
        if (sameFacts({ applicantId: admission.applicantId, ...applicant.admission }, admission)) return [];
        return refuse('already-admitted', `the branch admitted the applicant on ${applicant.admission.meetingOn}`);
      }
      stillOpen(applicant);
      if (!applicant.candidate) refuse('not-a-candidate', 'only a candidate (发展对象) may be admitted');
      const required = (context.rules ?? DEFAULT_RULE_SETTINGS).development.trainingHours;
      const hours = trainingHoursOf(applicant);
      if (hours < required)
        refuse('training-incomplete', `${hours} of the ${required} class hours of concentrated training are recorded`);
      const half = admission.eligibleVoters / 2;
      if (admission.present <= half)
        refuse(
          'quorum-not-met',
          `${admission.present} of ${admission.eligibleVoters} entitled to vote were present`,
          'present',
        );
      if (admission.inFavour <= half)
        refuse(
          'admission-not-carried',
          `${admission.inFavour} of ${admission.eligibleVoters} entitled to vote were in favour: more than half must be`,
          'inFavour',
        );
      notBefore(admission.meetingOn, applicant.candidate.designatedOn, 'the designation as candidate', 'meetingOn');
      notInFuture(admission.meetingOn, context, 'meetingOn');
      return [{ type: 'ApplicantAdmitted', data: admission }];
    }
    case 'ApproveApplicant': {
      const approval = command.data;
      const applicant = known(state, approval.applicantId);
      if (applicant.approval?.approvedOn === approval.approvedOn) return [];
      stillOpen(applicant);
      if (!applicant.admission) refuse('not-admitted', 'the branch general meeting has not admitted the applicant');
      notBefore(approval.approvedOn, applicant.admission.meetingOn, 'the admitting meeting', 'approvedOn');
      notInFuture(approval.approvedOn, context, 'approvedOn');
      return [{ type: 'ApplicantApproved', data: approval }];
    }
    case 'WithdrawApplication': {
      const withdrawal = command.data;
      const applicant = known(state, withdrawal.applicantId);
      if (
        applicant.withdrawal &&
        sameFacts({ applicantId: withdrawal.applicantId, ...applicant.withdrawal }, withdrawal)
      )
        return [];
      stillOpen(applicant);
      notBefore(withdrawal.effectiveOn, applicant.application.appliedOn, 'the application', 'effectiveOn');
      notInFuture(withdrawal.effectiveOn, context, 'effectiveOn');
      return [{ type: 'ApplicationWithdrawn', data: withdrawal }];
    }
    case 'ForgetApplicantPersonalData': {
      const applicant = known(state, command.data.applicantId);
      if (applicant.personalDataForgotten) return [];
      return [{ type: 'ApplicantPersonalDataForgotten', data: command.data }];
    }
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

/** Rules bent but not broken by the events just decided: the command is recorded, the answer says so. */
export function applicantWarnings(events: readonly ApplicantEvent[], state: ApplicantState): string[] {
  if (state.stage === 'none') return [];
  const warnings: string[] = [];
  for (const event of events) {
    if (
      event.type === 'ApplicantInterviewed' &&
      event.data.interviewedOn > addMonths(state.application.appliedOn, INTERVIEW_WITHIN_MONTHS)
    )
      warnings.push('interview-late');
    if (
      event.type === 'ApplicantApproved' &&
      state.admission &&
      event.data.approvedOn > addMonths(state.admission.meetingOn, APPROVAL_WITHIN_MONTHS)
    )
      warnings.push('approval-late');
  }
  return warnings;
}

export const applicantDecider: Decider<ApplicantCommand, ApplicantEvent, ApplicantState> = {
  decide: decideApplicant,
  evolve: evolveApplicant,
  initialState: initialApplicantState,
};
