import { runSqlMigrations, type MigrationLog } from '@registry/postgres';

/** Applies pending event-store migrations (libs/event-store/migrations). */
export function migrateEventStore(databaseUrl: string, log?: MigrationLog): Promise<string[]> {
  return runSqlMigrations(databaseUrl, 'event-store', log);
}
