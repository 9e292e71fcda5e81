export * from './unit';
export { evolveUnit, initialUnitState } from './state';
export { decideUnit, unitDecider } from './decide';
