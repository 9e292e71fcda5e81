import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A library's SQL migrations ship beside its sources (`libs/<library>/migrations`); found by
 * walking up from here, so the sources and the compiled `dist/` both work.
 */
export function migrationsDirectory(library: string, start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'libs', library, 'migrations');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`migrations of libs/${library} not found above ${start}`);
  }
}

export interface MigrationLog {
  info(message: string): void;
}

/**
 * Applies a library's pending SQL migrations (ADR 0006), recorded in `public.<library>_migrations`;
 * safe to run concurrently (node-pg-migrate takes an advisory lock). Returns what it applied.
 */
export async function runSqlMigrations(databaseUrl: string, library: string, log?: MigrationLog): Promise<string[]> {
  // node-pg-migrate is an ES module; a dynamic import keeps this file loadable from CommonJS.
  const { runner } = await import('node-pg-migrate');
  const applied = await runner({
    databaseUrl,
    dir: migrationsDirectory(library),
    direction: 'up',
    migrationsTable: `${library.replace(/-/g, '_')}_migrations`,
    migrationsSchema: 'public',
    checkOrder: true,
    singleTransaction: true,
    // Processes starting together (API workers, Compose's apps) wait for the first to finish, then find nothing to do.
    advisoryLockMode: 'wait',
    log: (message: string) => log?.info(message),
    verbose: false,
  });
  return applied.map((migration) => migration.name);
}
