export { checkRegionCode, type IdentifierCheck } from './region-code';
export { checkExistingRegionCode, findRegion, type Region, type RegionLevel } from './regions';
export { checkCreditCode } from './credit-code';
export { checkResidentId, type ResidentIdFacts } from './resident-id';
export * from './examples';
