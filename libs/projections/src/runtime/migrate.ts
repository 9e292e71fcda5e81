import { runSqlMigrations, type MigrationLog } from '@registry/postgres';

/** Applies pending projection-runtime migrations (libs/projections/migrations). */
export function migrateProjections(databaseUrl: string, log?: MigrationLog): Promise<string[]> {
  return runSqlMigrations(databaseUrl, 'projections', log);
}
