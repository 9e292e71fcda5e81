import { runSqlMigrations, type MigrationLog } from '@registry/postgres';

/** Applies pending personal-data migrations (libs/personal-data/migrations). */
export function migratePersonalData(databaseUrl: string, log?: MigrationLog): Promise<string[]> {
  return runSqlMigrations(databaseUrl, 'personal-data', log);
}
