export { checkRegionCode, type IdentifierCheck } from './region-code';
export { checkCreditCode } from './credit-code';
export { checkResidentId, type ResidentIdFacts } from './resident-id';
export * from './examples';
