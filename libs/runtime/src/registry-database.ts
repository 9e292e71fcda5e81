import { join } from 'node:path';
import type { Pool } from 'pg';
import type { RegistryConfig } from '@registry/config';
import { migrateCommandSide } from '@registry/commands';
import { migrateEventStore, PostgresEventStore } from '@registry/event-store';
import { loadOrCreateMasterKeyFile, MasterKey, migratePersonalData, PersonalDataVault } from '@registry/personal-data';
import { migrateProjections } from '@registry/projections';
import { migrateRelay } from '@registry/relay';
import { createPool, ensureDatabase, startEmbeddedPostgres, withDatabase } from '@registry/postgres';

export interface RegistryDatabase {
  /** `embedded`: a PostgreSQL this process started under DATA_DIR; `external`: DATABASE_URL. */
  readonly mode: 'embedded' | 'external';
  readonly pool: Pool;
  readonly eventStore: PostgresEventStore;
  readonly personalData: PersonalDataVault;
  close(): Promise<void>;
}

export interface Logger {
  log(message: string): void;
}

const EMBEDDED_DATABASE = 'registry';

/** Configuration → a migrated database and the event store on it. Used by every app. */
export async function openRegistryDatabase(
  config: RegistryConfig,
  logger: Logger,
  applicationName: string,
  whenEmbeddedRunning: 'adopt' | 'share' = 'adopt',
): Promise<RegistryDatabase> {
  let url = config.DATABASE_URL;
  let stopServer: (() => Promise<void>) | undefined;
  if (!url) {
    const dataDir = join(config.DATA_DIR, 'postgres');
    const started = Date.now();
    const server = await startEmbeddedPostgres({
      dataDir,
      port: config.EMBEDDED_POSTGRES_PORT,
      whenRunning: whenEmbeddedRunning,
    });
    stopServer = () => server.stop();
    await ensureDatabase(server.url, EMBEDDED_DATABASE);
    url = withDatabase(server.url, EMBEDDED_DATABASE);
    logger.log(
      `embedded PostgreSQL on 127.0.0.1:${config.EMBEDDED_POSTGRES_PORT}, data in ${dataDir} (${Date.now() - started} ms)`,
    );
  }
  const applied = [
    ...(await migrateEventStore(url)),
    ...(await migratePersonalData(url)),
    ...(await migrateCommandSide(url)),
    ...(await migrateProjections(url)),
    ...(await migrateRelay(url)),
  ];
  if (applied.length > 0) logger.log(`applied migrations: ${applied.join(', ')}`);

  const pool = createPool({ url, max: config.DATABASE_POOL_SIZE, applicationName });
  const eventStore = new PostgresEventStore(pool, { pollIntervalMs: config.SUBSCRIPTION_POLL_INTERVAL_MS });
  const masterKey = config.PERSONAL_DATA_MASTER_KEY
    ? MasterKey.fromBase64(config.PERSONAL_DATA_MASTER_KEY)
    : loadOrCreateMasterKeyFile(join(config.DATA_DIR, 'personal-data-master.key'));
  return {
    mode: stopServer ? 'embedded' : 'external',
    pool,
    eventStore,
    personalData: new PersonalDataVault(pool, masterKey),
    close: async () => {
      await eventStore.close();
      await pool.end();
      await stopServer?.();
    },
  };
}
