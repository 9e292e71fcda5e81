export * from './member';
export * from './dues';
export { evolveMember, fullSinceAtRegistration, initialMemberState, probationEndOf } from './state';
export {
  decideMember,
  LOST_CONTACT_MONTHS_BEFORE_SUSPENSION,
  memberDecider,
  PROBATION_EXTENSION_MONTHS,
} from './decide';
export { membershipOn } from './membership-on';
