export * from './applicant';
export { evolveApplicant, initialApplicantState } from './state';
export { applicantDecider, applicantWarnings, decideApplicant } from './decide';
