// Pure domain logic: no framework, no I/O, no clock. One slice per aggregate.
export * from './decider';
export * from './identifiers';
export * from './unit';
export * from './organization';
export * from './member';
export * from './inflow';
export * from './applicant';
export * from './calendar';
export * from './effective-date';
export * from './rule-settings';
export * from './grid';
