export * from './inflow';
export { evolveInflow, initialInflowState } from './state';
export { decideInflow, inflowDecider } from './decide';
export { hostOrgOn } from './hosted-on';
