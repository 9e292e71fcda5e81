export * from './event-store';
export * from './errors';
export * from './hash-chain';
export {
  PostgresEventStore,
  type PostgresEventStoreOptions,
  type EventStoreTransaction,
} from './postgres/postgres-event-store';
export { migrateEventStore } from './postgres/migrate';
export {
  EventStoreDbEventStore,
  type EventStoreDbOptions,
  ReservationTaken,
} from './eventstoredb/eventstoredb-event-store';
