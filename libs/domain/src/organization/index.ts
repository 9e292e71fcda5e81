export * from './organization';
export { evolveOrganization, initialOrganizationState } from './state';
export { decideOrganization, establishmentWarnings, organizationDecider } from './decide';
export * from './organizational-life';
