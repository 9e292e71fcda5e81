export * from './grid';
export { evolveGrid, initialGridState } from './state';
export { decideGrid, gridDecider, gridUnitsOn } from './decide';
