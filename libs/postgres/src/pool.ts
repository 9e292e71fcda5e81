import { Pool } from 'pg';

export interface PoolSettings {
  readonly url: string;
  readonly max?: number;
  readonly applicationName?: string;
}

export function createPool(settings: PoolSettings): Pool {
  const pool = new Pool({
    connectionString: settings.url,
    max: settings.max ?? 10,
    application_name: settings.applicationName ?? 'liangxin-registry',
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}
