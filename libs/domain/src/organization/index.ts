export * from './organization';
export { evolveOrganization, initialOrganizationState } from './state';
export { decideOrganization, establishmentWarnings, JOINT_BRANCH_UNIT_ADVICE, organizationDecider } from './decide';
