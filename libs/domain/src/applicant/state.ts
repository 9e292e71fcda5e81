import type { ApplicantEvent, ApplicantState } from './applicant';

export const initialApplicantState = (): ApplicantState => ({ stage: 'none' });

export function evolveApplicant(state: ApplicantState, event: ApplicantEvent): ApplicantState {
  if (event.type === 'ApplicationSubmitted')
    return {
      stage: 'applicant',
      application: event.data,
      interview: null,
      activist: null,
      reviews: [],
      candidate: null,
      trainings: [],
      admission: null,
      approval: null,
      withdrawal: null,
      personalDataForgotten: false,
    };
  if (state.stage === 'none') return state;
  switch (event.type) {
    case 'ApplicantInterviewed': {
      const { applicantId: _, ...interview } = event.data;
      return { ...state, interview };
    }
    case 'ActivistDesignated': {
      const { applicantId: _, ...activist } = event.data;
      return { ...state, stage: 'activist', activist };
    }
    case 'ApplicantReviewed': {
      const { applicantId: _, ...review } = event.data;
      return { ...state, reviews: [...state.reviews, review] };
    }
    case 'CandidateDesignated': {
      const { applicantId: _, ...candidate } = event.data;
      return { ...state, stage: 'candidate', candidate };
    }
    case 'ApplicantTrained': {
      const { applicantId: _, ...training } = event.data;
      return { ...state, trainings: [...state.trainings, training] };
    }
    case 'ApplicantAdmitted': {
      const { applicantId: _, ...admission } = event.data;
      return { ...state, stage: 'admitted', admission };
    }
    case 'ApplicantApproved': {
      const { applicantId: _, ...approval } = event.data;
      return { ...state, stage: 'approved', approval };
    }
    case 'ApplicationWithdrawn': {
      const { applicantId: _, ...withdrawal } = event.data;
      return { ...state, stage: 'withdrawn', withdrawal };
    }
    case 'ApplicantPersonalDataForgotten':
      return { ...state, personalDataForgotten: true };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
