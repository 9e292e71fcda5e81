import { Pool } from 'pg';
import { migrateRegistryDatabase, shippedMigrations } from '@registry/runtime';
import { createEmptyDatabase, type TestDatabase } from '../../../test/support/test-database';

describe('migrating one database from several processes at once', () => {
  let database: TestDatabase;
  beforeAll(async () => (database = await createEmptyDatabase()));
  afterAll(async () => database?.drop());

  it('applies every migration once: the others wait for the lock, then find nothing to do', async () => {
    const applied = await Promise.all([1, 2, 3].map(() => migrateRegistryDatabase(database.url)));
    const shipped = shippedMigrations().reduce((sum, { names }) => sum + names.length, 0);
    // Each library's lock is taken in turn, so the work may be shared; together they applied each once.
    expect(new Set(applied.flat()).size).toBe(shipped);
    expect(applied.flat()).toHaveLength(shipped);
    const pool = new Pool({ connectionString: database.url, max: 1 });
    try {
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM public.event_store_migrations');
      expect(rows[0]!.n).toBeGreaterThan(0);
    } finally {
      await pool.end();
    }
  });
});
