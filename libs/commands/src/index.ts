// The application layer: command handlers over the deciders, with the transactional lookups,
// reservations and idempotency records they need.
export * from './command-executor';
export * from './errors';
export * from './lookups';
export * from './migrate';
export * from './registry-commands';
