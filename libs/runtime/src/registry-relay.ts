import { publicBaseUrlOf, type RegistryConfig } from '@registry/config';
import { KafkaRelay, type RelayLogger } from '@registry/relay';
import type { RegistryDatabase } from './registry-database';

/** The relay over the registry's log, or undefined when no Kafka is configured. */
export function createRegistryRelay(
  config: RegistryConfig,
  database: RegistryDatabase,
  logger: RelayLogger,
): KafkaRelay | undefined {
  if (!config.KAFKA_BROKERS) return undefined;
  return new KafkaRelay(database.pool, database.eventStore, {
    brokers: config.KAFKA_BROKERS,
    publicBaseUrl: publicBaseUrlOf(config),
    topicPrefix: config.RELAY_TOPIC_PREFIX,
    topicPartitions: config.RELAY_TOPIC_PARTITIONS,
    replicationFactor: config.RELAY_REPLICATION_FACTOR,
    batchSize: config.RELAY_BATCH_SIZE,
    logger,
  });
}
