import {
  type Application,
  applicantDecider,
  type ApplicantEvent,
  applicantWarnings,
  DEFAULT_RULE_SETTINGS,
  fold,
} from '@registry/domain';
import { DeciderSpecification, TEST_CONTEXT } from '../../test/decider-specification';

// TEST_CONTEXT.today is 2024-06-30. The story: an engineer at a Longwen firm applies in 2022 and is
// admitted in 2024.
const spec = DeciderSpecification.for(applicantDecider);
const applicantId = '0190a6a2-0000-7000-8000-00000000a001';
const longwenBranch = '0190a6a2-0000-7000-8000-00000000c010';
const [secretary, veteran] = ['0190a6a2-0000-7000-8000-00000000b001', '0190a6a2-0000-7000-8000-00000000b002'];
const memberId = '0190a6a2-0000-7000-8000-00000000b100';
const application: Application = {
  applicantId,
  personal: { keyId: 'key-a001', ciphertext: 'sealed-name-id-phone-birthdate' },
  gender: 'female',
  orgId: longwenBranch,
  occupation: 'technical-worker',
  appliedOn: '2022-03-01',
};
const submitted: ApplicantEvent = { type: 'ApplicationSubmitted', data: application };
const interviewed: ApplicantEvent = {
  type: 'ApplicantInterviewed',
  data: { applicantId, interviewedOn: '2022-03-20', interviewerId: secretary },
};
const activist: ApplicantEvent = {
  type: 'ActivistDesignated',
  data: { applicantId, designatedOn: '2022-06-01', contactIds: [secretary, veteran] },
};
const reviewed: ApplicantEvent = {
  type: 'ApplicantReviewed',
  data: { applicantId, reviewedOn: '2022-12-01', summary: '表现良好' },
};
const candidate: ApplicantEvent = {
  type: 'CandidateDesignated',
  data: {
    applicantId,
    designatedOn: '2023-06-10',
    introducerIds: [secretary, veteran],
    politicalReviewOn: '2023-06-01',
  },
};
const trained: ApplicantEvent = {
  type: 'ApplicantTrained',
  data: { applicantId, completedOn: '2023-09-01', hours: 24 },
};
const admitted: ApplicantEvent = {
  type: 'ApplicantAdmitted',
  data: { applicantId, meetingOn: '2024-01-15', eligibleVoters: 9, present: 8, inFavour: 7 },
};
const approved: ApplicantEvent = {
  type: 'ApplicantApproved',
  data: { applicantId, approvedOn: '2024-03-01', memberId },
};
const withdrawn: ApplicantEvent = {
  type: 'ApplicationWithdrawn',
  data: { applicantId, effectiveOn: '2022-05-01', reason: '本人申请撤回' },
};
const upToCandidate = [submitted, interviewed, activist, reviewed, candidate];

const submit = {
  type: 'SubmitApplication' as const,
  data: { ...application, birthDate: '1996-08-12', organization: 'active' as const, alreadyAMember: false },
};
const interview = {
  type: 'RecordInterview' as const,
  data: { applicantId, interviewedOn: '2022-03-20', interviewerId: secretary, interviewer: 'full' as const },
};
const designateActivist = {
  type: 'DesignateActivist' as const,
  data: {
    applicantId,
    designatedOn: '2022-06-01',
    contactIds: [secretary, veteran],
    contacts: ['full', 'full'] as const,
  },
};
const review = { type: 'RecordReview' as const, data: { applicantId, reviewedOn: '2022-12-01', summary: '表现良好' } };
const designateCandidate = {
  type: 'DesignateCandidate' as const,
  data: {
    applicantId,
    designatedOn: '2023-06-10',
    introducerIds: [secretary, veteran],
    politicalReviewOn: '2023-06-01',
    introducers: ['full', 'full'] as const,
  },
};
const train = { type: 'RecordTraining' as const, data: { applicantId, completedOn: '2023-09-01', hours: 24 } };
const admit = {
  type: 'AdmitApplicant' as const,
  data: { applicantId, meetingOn: '2024-01-15', eligibleVoters: 9, present: 8, inFavour: 7 },
};
const approve = { type: 'ApproveApplicant' as const, data: { applicantId, approvedOn: '2024-03-01', memberId } };
const withdraw = {
  type: 'WithdrawApplication' as const,
  data: { applicantId, effectiveOn: '2022-05-01', reason: '本人申请撤回' },
};

describe('SubmitApplication (入党申请)', () => {
  it('records the application', () => spec.given([]).when(submit).then([submitted]));
  it('refuses an applicant under 18 on the day of applying', () =>
    spec
      .given([])
      .when({ ...submit, data: { ...submit.data, birthDate: '2004-03-02' } })
      .thenThrows('applicant-under-18', 'birthDate'));
  it('accepts an applicant on their 18th birthday', () =>
    spec
      .given([])
      .when({ ...submit, data: { ...submit.data, birthDate: '2004-03-01' } })
      .then([submitted]));
  it('refuses a current member', () =>
    spec
      .given([])
      .when({ ...submit, data: { ...submit.data, alreadyAMember: true } })
      .thenThrows('already-a-member', 'idNumber'));
  it('refuses a dissolved organisation', () =>
    spec
      .given([])
      .when({ ...submit, data: { ...submit.data, organization: 'dissolved' } })
      .thenThrows('organization-dissolved', 'orgId'));
  it('refuses an application dated after today', () =>
    spec
      .given([])
      .when({ ...submit, data: { ...submit.data, appliedOn: '2024-07-01' } })
      .thenThrows('date-in-future', 'appliedOn'));
  it('does nothing when the same application is submitted again', () =>
    spec.given([submitted]).when(submit).thenNothingHappened());
  it('refuses different facts under the same id', () =>
    spec
      .given([submitted])
      .when({ ...submit, data: { ...submit.data, appliedOn: '2022-04-01' } })
      .thenThrows('applicant-already-registered'));
});

describe('RecordInterview', () => {
  it('records the talk', () => spec.given([submitted]).when(interview).then([interviewed]));
  it('refuses a probationary interviewer', () =>
    spec
      .given([submitted])
      .when({ ...interview, data: { ...interview.data, interviewer: 'probationary' } })
      .thenThrows('interviewer-not-full-member', 'interviewerId'));
  it('refuses an interview before the application', () =>
    spec
      .given([submitted])
      .when({ ...interview, data: { ...interview.data, interviewedOn: '2022-02-28' } })
      .thenThrows('date-before-previous-step', 'interviewedOn'));
  it('refuses an unknown applicant', () => spec.given([]).when(interview).thenThrows('applicant-not-found'));
  it('does nothing on a retry', () => spec.given([submitted, interviewed]).when(interview).thenNothingHappened());
  it('refuses a second, different interview', () =>
    spec
      .given([submitted, interviewed])
      .when({ ...interview, data: { ...interview.data, interviewedOn: '2022-04-01' } })
      .thenThrows('interview-already-recorded'));
  it('warns when the talk came more than a month after the application', () => {
    const late: ApplicantEvent = { ...interviewed, data: { ...interviewed.data, interviewedOn: '2022-04-02' } };
    expect(applicantWarnings([late], fold(applicantDecider, [submitted]))).toEqual(['interview-late']);
    expect(applicantWarnings([interviewed], fold(applicantDecider, [submitted]))).toEqual([]);
  });
});

describe('DesignateActivist (入党积极分子)', () => {
  it('designates with one or two full members as contacts', () =>
    spec.given([submitted, interviewed]).when(designateActivist).then([activist]));
  it('refuses before the interview', () =>
    spec.given([submitted]).when(designateActivist).thenThrows('interview-missing'));
  it('refuses a contact who is not a full member, naming which', () =>
    spec
      .given([submitted, interviewed])
      .when({ ...designateActivist, data: { ...designateActivist.data, contacts: ['full', 'probationary'] } })
      .thenThrows('contact-not-full-member', 'contactIds[1]'));
  it('does nothing on a retry', () =>
    spec.given([submitted, interviewed, activist]).when(designateActivist).thenNothingHappened());
  it('refuses a withdrawn application', () =>
    spec.given([submitted, interviewed, withdrawn]).when(designateActivist).thenThrows('application-ended'));
});

describe('RecordReview (考察)', () => {
  it('records a half-yearly review', () =>
    spec.given([submitted, interviewed, activist]).when(review).then([reviewed]));
  it('refuses a review of someone not yet an activist', () =>
    spec.given([submitted, interviewed]).when(review).thenThrows('not-an-activist'));
  it('does nothing on a retry', () =>
    spec.given([submitted, interviewed, activist, reviewed]).when(review).thenNothingHappened());
});

describe('DesignateCandidate (发展对象)', () => {
  it('designates after a year as an activist, with two full members as introducers', () =>
    spec.given([submitted, interviewed, activist, reviewed]).when(designateCandidate).then([candidate]));
  it('refuses less than a year after becoming an activist', () =>
    spec
      .given([submitted, interviewed, activist])
      .when({ ...designateCandidate, data: { ...designateCandidate.data, designatedOn: '2023-05-31' } })
      .thenThrows('activist-period-too-short', 'designatedOn'));
  it('refuses an introducer who is not a full member', () =>
    spec
      .given([submitted, interviewed, activist])
      .when({ ...designateCandidate, data: { ...designateCandidate.data, introducers: ['none', 'full'] } })
      .thenThrows('introducer-not-full-member', 'introducerIds[0]'));
  it('does nothing on a retry', () => spec.given(upToCandidate).when(designateCandidate).thenNothingHappened());
  it('refuses someone who is not an activist', () =>
    spec.given([submitted, interviewed]).when(designateCandidate).thenThrows('not-an-activist'));
});

describe('RecordTraining', () => {
  it('records concentrated training', () => spec.given(upToCandidate).when(train).then([trained]));
  it('refuses training of an applicant not yet an activist', () =>
    spec.given([submitted]).when(train).thenThrows('not-an-activist'));
  it('does nothing on a retry', () =>
    spec
      .given([...upToCandidate, trained])
      .when(train)
      .thenNothingHappened());
});

describe('AdmitApplicant (支部大会讨论接收)', () => {
  const ready = [...upToCandidate, trained];
  it('admits when a majority of those entitled are present and in favour', () =>
    spec.given(ready).when(admit).then([admitted]));
  it('refuses under the training hours the settings require', () =>
    spec
      .given([...upToCandidate, { ...trained, data: { ...trained.data, hours: 16 } }])
      .when(admit)
      .thenThrows('training-incomplete'));
  it('adds the hours of several trainings up', () =>
    spec
      .given([
        ...upToCandidate,
        { ...trained, data: { ...trained.data, hours: 16 } },
        { ...trained, data: { ...trained.data, completedOn: '2023-10-01', hours: 8 } },
      ])
      .when(admit)
      .then([admitted]));
  it('takes the required hours from the settings', () =>
    DeciderSpecification.for(applicantDecider, {
      ...TEST_CONTEXT,
      rules: { ...DEFAULT_RULE_SETTINGS, development: { trainingHours: 32 } },
    })
      .given(ready)
      .when(admit)
      .thenThrows('training-incomplete'));
  it('refuses without a quorum: exactly half present is not more than half', () =>
    spec
      .given(ready)
      .when({ ...admit, data: { ...admit.data, eligibleVoters: 10, present: 5, inFavour: 5 } })
      .thenThrows('quorum-not-met', 'present'));
  it('refuses when those in favour are not more than half of those entitled', () =>
    spec
      .given(ready)
      .when({ ...admit, data: { ...admit.data, eligibleVoters: 10, present: 9, inFavour: 5 } })
      .thenThrows('admission-not-carried', 'inFavour'));
  it('refuses an activist who is not a candidate', () =>
    spec.given([submitted, interviewed, activist]).when(admit).thenThrows('not-a-candidate'));
  it('does nothing on a retry', () =>
    spec
      .given([...ready, admitted])
      .when(admit)
      .thenNothingHappened());
});

describe('ApproveApplicant (上级党委审批)', () => {
  const ready = [...upToCandidate, trained, admitted];
  it('approves, naming the member the applicant becomes', () => spec.given(ready).when(approve).then([approved]));
  it('refuses before the admission', () =>
    spec
      .given([...upToCandidate, trained])
      .when(approve)
      .thenThrows('not-admitted'));
  it('refuses an approval dated before the meeting', () =>
    spec
      .given(ready)
      .when({ ...approve, data: { ...approve.data, approvedOn: '2024-01-14' } })
      .thenThrows('date-before-previous-step', 'approvedOn'));
  it('does nothing on a retry', () =>
    spec
      .given([...ready, approved])
      .when(approve)
      .thenNothingHappened());
  it('refuses a second approval on another date', () =>
    spec
      .given([...ready, approved])
      .when({ ...approve, data: { ...approve.data, approvedOn: '2024-03-02' } })
      .thenThrows('application-ended'));
  it('warns when the approval came more than 3 months after the meeting', () => {
    const late: ApplicantEvent = { ...approved, data: { ...approved.data, approvedOn: '2024-04-16' } };
    expect(applicantWarnings([late], fold(applicantDecider, ready))).toEqual(['approval-late']);
    expect(applicantWarnings([approved], fold(applicantDecider, ready))).toEqual([]);
  });
});

describe('WithdrawApplication', () => {
  it('ends the application', () => spec.given([submitted, interviewed]).when(withdraw).then([withdrawn]));
  it('refuses a withdrawal dated before the application', () =>
    spec
      .given([submitted])
      .when({ ...withdraw, data: { ...withdraw.data, effectiveOn: '2022-02-01' } })
      .thenThrows('date-before-previous-step', 'effectiveOn'));
  it('refuses after the approval', () =>
    spec
      .given([...upToCandidate, trained, admitted, approved])
      .when(withdraw)
      .thenThrows('application-ended'));
  it('does nothing on a retry', () => spec.given([submitted, withdrawn]).when(withdraw).thenNothingHappened());
});

describe('ForgetApplicantPersonalData', () => {
  const forget = { type: 'ForgetApplicantPersonalData' as const, data: { applicantId } };
  it('records the forgetting', () =>
    spec
      .given([submitted])
      .when(forget)
      .then([{ type: 'ApplicantPersonalDataForgotten', data: { applicantId } }]));
  it('refuses an unknown applicant', () => spec.given([]).when(forget).thenThrows('applicant-not-found'));
  it('does nothing a second time', () =>
    spec
      .given([submitted, { type: 'ApplicantPersonalDataForgotten', data: { applicantId } }])
      .when(forget)
      .thenNothingHappened());
});

describe('the stage', () => {
  it('follows the steps', () => {
    const stages = [...upToCandidate, trained, admitted, approved].map(
      (_, i, all) => fold(applicantDecider, all.slice(0, i + 1)).stage,
    );
    expect(stages).toEqual([
      'applicant',
      'applicant',
      'activist',
      'activist',
      'candidate',
      'candidate',
      'admitted',
      'approved',
    ]);
  });
});
