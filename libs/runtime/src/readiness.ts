import { readdirSync } from 'node:fs';
import type { Pool } from 'pg';
import { migrationsDirectory } from '@registry/postgres';

/** The libraries whose SQL migrations the registry applies at start (`libs/<library>/migrations`). */
const MIGRATED_LIBRARIES = ['event-store', 'personal-data', 'commands', 'projections', 'relay'];

/** Every migration this build ships, by library (read once: the files do not change while it runs). */
export function shippedMigrations(): { readonly table: string; readonly names: readonly string[] }[] {
  return MIGRATED_LIBRARIES.map((library) => ({
    table: `${library.replace(/-/g, '_')}_migrations`,
    names: readdirSync(migrationsDirectory(library))
      .filter((file) => /\.(sql|js|ts)$/.test(file))
      .map((file) => file.replace(/\.(sql|js|ts)$/, ''))
      .sort(),
  }));
}

export type ReadinessCheck = 'shutdown' | 'database' | 'migrations';

export const READINESS_REASONS: Readonly<Record<ReadinessCheck, string>> = {
  shutdown: 'the process is shutting down',
  database: 'the database does not answer',
  migrations: 'a migration this build ships is not applied',
};

/**
 * Whether this process should receive traffic: it stops being ready the moment a shutdown begins
 * (a load balancer then stops routing to it before its server closes), or when the database lacks a
 * migration this build ships (a restore of an older backup, a migration rolled back by hand).
 */
export class Readiness {
  private drainingSince: Date | null = null;
  private readonly shipped = shippedMigrations();

  /** A shutdown began: readiness answers false from now on. */
  drain(): void {
    this.drainingSince ??= new Date();
  }

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  /** The shipped migrations the database has not recorded, as `<table>/<name>`. */
  async missingMigrations(pool: Pick<Pool, 'query'>): Promise<string[]> {
    const missing: string[] = [];
    for (const { table, names } of this.shipped) {
      const present = await pool.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [
        `public.${table}`,
      ]);
      const { rows } = present.rows[0]?.present
        ? await pool.query<{ name: string }>(`SELECT name FROM public.${table}`)
        : { rows: [] };
      const applied = new Set(rows.map((row) => row.name));
      missing.push(...names.filter((name) => !applied.has(name)).map((name) => `${table}/${name}`));
    }
    return missing;
  }

  /** The checks that fail now, in the order the API's /health/ready names them (workers' health ports use this). */
  async failingChecks(pool: Pick<Pool, 'query'>): Promise<ReadinessCheck[]> {
    const failing: ReadinessCheck[] = [];
    if (this.draining) failing.push('shutdown');
    const answered = await Promise.race([
      pool.query('SELECT 1').then(
        () => true,
        () => false,
      ),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 2_000).unref()),
    ]);
    if (!answered) return [...failing, 'database'];
    if ((await this.missingMigrations(pool)).length > 0) failing.push('migrations');
    return failing;
  }
}
