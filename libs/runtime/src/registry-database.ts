import { join } from 'node:path';
import type { Pool } from 'pg';
import type { RegistryConfig } from '@registry/config';
import { migrateCommandSide, REGISTRY_UPCASTERS } from '@registry/commands';
import { migrateEventStore, PostgresEventStore } from '@registry/event-store';
import {
  ForgettingLedger,
  loadOrCreateMasterKeyFile,
  MasterKey,
  migratePersonalData,
  PersonalDataVault,
} from '@registry/personal-data';
import { migrateProjections } from '@registry/projections';
import { migrateRelay } from '@registry/relay';
import { createPool, ensureDatabase, startEmbeddedPostgres, withDatabase } from '@registry/postgres';

export interface RegistryDatabase {
  /** `embedded`: a PostgreSQL this process started under DATA_DIR; `external`: DATABASE_URL. */
  readonly mode: 'embedded' | 'external';
  /** The connection URL, with its password: for PostgreSQL's own tools (`cli backup`, `cli restore`). */
  readonly url: string;
  readonly pool: Pool;
  readonly eventStore: PostgresEventStore;
  readonly personalData: PersonalDataVault;
  /** Forgets recorded outside the database (ADR 0013). */
  readonly forgettingLedger: ForgettingLedger;
  close(): Promise<void>;
}

export interface Logger {
  log(message: string): void;
}

const EMBEDDED_DATABASE = 'registry';

/** Every schema the registry's migrations create, and their bookkeeping tables: what a backup holds. */
export const REGISTRY_SCHEMAS = ['event_store', 'personal_data', 'command_side', 'projections', 'reporting', 'relay'];
export const REGISTRY_MIGRATION_TABLES = [
  'public.event_store_migrations',
  'public.personal_data_migrations',
  'public.commands_migrations',
  'public.projections_migrations',
  'public.relay_migrations',
];

/** The schemas of the projections' generations (`projection_<name>_g<n>`), created by the projector. */
export const PROJECTION_GENERATION_SCHEMA = /^projection_[a-z0-9_]+_g\d+$/;

export function isRegistrySchema(name: string): boolean {
  return REGISTRY_SCHEMAS.includes(name) || PROJECTION_GENERATION_SCHEMA.test(name);
}

/** Applies every library's pending migrations; returns what it applied. */
export async function migrateRegistryDatabase(url: string): Promise<string[]> {
  return [
    ...(await migrateEventStore(url)),
    ...(await migratePersonalData(url)),
    ...(await migrateCommandSide(url)),
    ...(await migrateProjections(url)),
    ...(await migrateRelay(url)),
  ];
}

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
  const applied = await migrateRegistryDatabase(url);
  if (applied.length > 0) logger.log(`applied migrations: ${applied.join(', ')}`);

  const pool = createPool({ url, max: config.DATABASE_POOL_SIZE, applicationName });
  const eventStore = new PostgresEventStore(pool, {
    pollIntervalMs: config.SUBSCRIPTION_POLL_INTERVAL_MS,
    upcasters: REGISTRY_UPCASTERS,
  });
  const masterKey = config.PERSONAL_DATA_MASTER_KEY
    ? MasterKey.fromBase64(config.PERSONAL_DATA_MASTER_KEY)
    : loadOrCreateMasterKeyFile(masterKeyFileOf(config));
  const personalData = new PersonalDataVault(pool, masterKey);
  try {
    await personalData.adoptMasterKey();
  } catch (error) {
    await eventStore.close();
    await pool.end();
    await stopServer?.();
    throw error;
  }
  return {
    mode: stopServer ? 'embedded' : 'external',
    url,
    pool,
    eventStore,
    personalData,
    forgettingLedger: new ForgettingLedger(config.FORGOTTEN_LEDGER_PATH ?? join(config.DATA_DIR, 'forgotten')),
    close: async () => {
      await eventStore.close();
      await pool.end();
      await stopServer?.();
    },
  };
}

/** Where the embedded default keeps the personal-data master key when PERSONAL_DATA_MASTER_KEY is unset. */
export function masterKeyFileOf(config: Pick<RegistryConfig, 'DATA_DIR'>): string {
  return join(config.DATA_DIR, 'personal-data-master.key');
}
