export * from './member';
export * from './dues';
export { evolveMember, initialMemberState } from './state';
export { decideMember, memberDecider } from './decide';
