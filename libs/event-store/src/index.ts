export * from './event-store';
export * from './errors';
export * from './hash-chain';
export * from './anchors';
export * from './upcasting';
export {
  PostgresEventStore,
  type PostgresEventStoreOptions,
  type EventStoreTransaction,
  type AppendTiming,
} from './postgres/postgres-event-store';
export { migrateEventStore } from './postgres/migrate';
export type { BulkReadOptions } from './postgres/read-bulk';
export {
  EventStoreDbEventStore,
  type EventStoreDbOptions,
  ReservationTaken,
} from './eventstoredb/eventstoredb-event-store';
