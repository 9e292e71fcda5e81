import type { RegistryConfig } from '@registry/config';
import {
  type ProjectionDefinition,
  Projector,
  type ProjectionServices,
  type ProjectorOptions,
  registryProjections,
  type RunnerLogger,
} from '@registry/projections';
import { AnchorSchedule } from './anchoring';
import type { RegistryDatabase } from './registry-database';

export function projectionServices(config: RegistryConfig, database: RegistryDatabase): ProjectionServices {
  return {
    memberNames: (sealed) => database.personalData.names(sealed),
    settings: { shouldEstablishFullMembers: config.SHOULD_ESTABLISH_FULL_MEMBERS },
  };
}

/** The projector that also anchors the log on its schedule (ADR 0014) while it follows the log. */
class AnchoringProjector extends Projector {
  constructor(
    database: RegistryDatabase,
    definitions: readonly ProjectionDefinition[],
    services: ProjectionServices,
    options: ProjectorOptions,
    private readonly anchors: AnchorSchedule,
  ) {
    super(database.pool, database.eventStore, definitions, services, options);
  }

  override async start(): Promise<void> {
    await super.start();
    this.anchors.start();
  }

  override async stop(): Promise<void> {
    await Promise.all([super.stop(), this.anchors.stop()]);
  }
}

/** The registry's projections over its database; `follow: false` only installs and reports. */
export function createRegistryProjector(
  config: RegistryConfig,
  database: RegistryDatabase,
  logger: RunnerLogger,
  follow: boolean,
): Projector {
  const options: ProjectorOptions = {
    batchSize: config.PROJECTOR_BATCH_SIZE,
    idleMs: Math.max(config.SUBSCRIPTION_POLL_INTERVAL_MS, 100),
    logger,
    follow,
  };
  const services = projectionServices(config, database);
  if (!follow || config.ANCHOR_INTERVAL_HOURS === 0)
    return new Projector(database.pool, database.eventStore, registryProjections(), services, options);
  return new AnchoringProjector(
    database,
    registryProjections(),
    services,
    options,
    new AnchorSchedule(config, database.eventStore, logger),
  );
}
