import type { RegistryConfig } from '@registry/config';
import { Projector, type ProjectionServices, registryProjections, type RunnerLogger } from '@registry/projections';
import type { RegistryDatabase } from './registry-database';

export function projectionServices(config: RegistryConfig, database: RegistryDatabase): ProjectionServices {
  return {
    memberName: async (memberId, sealed) => {
      const opened = await database.personalData.open(memberId, sealed);
      return opened.erased ? null : opened.fields.name;
    },
    settings: { shouldEstablishFullMembers: config.SHOULD_ESTABLISH_FULL_MEMBERS },
  };
}

/** The registry's projections over its database; `follow: false` only installs and reports. */
export function createRegistryProjector(
  config: RegistryConfig,
  database: RegistryDatabase,
  logger: RunnerLogger,
  follow: boolean,
): Projector {
  return new Projector(
    database.pool,
    database.eventStore,
    registryProjections(),
    projectionServices(config, database),
    {
      batchSize: config.PROJECTOR_BATCH_SIZE,
      idleMs: Math.max(config.SUBSCRIPTION_POLL_INTERVAL_MS, 100),
      logger,
      follow,
    },
  );
}
