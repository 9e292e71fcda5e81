import { runSqlMigrations, type MigrationLog } from '@registry/postgres';

/** Applies pending command-side migrations (libs/commands/migrations). */
export function migrateCommandSide(databaseUrl: string, log?: MigrationLog): Promise<string[]> {
  return runSqlMigrations(databaseUrl, 'commands', log);
}
