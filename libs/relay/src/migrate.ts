import { runSqlMigrations, type MigrationLog } from '@registry/postgres';

/** Applies pending relay migrations (libs/relay/migrations). */
export function migrateRelay(databaseUrl: string, log?: MigrationLog): Promise<string[]> {
  return runSqlMigrations(databaseUrl, 'relay', log);
}
