// The Kafka relay: $all → one topic per stream category, at least once, checkpointed in PostgreSQL.
export * from './kafka-relay';
export * from './messages';
export * from './relay-checkpoints';
export * from './migrate';
export * from './anchor-topic';
