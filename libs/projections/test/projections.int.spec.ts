import { generationsOf } from '@registry/projections';
import type { ProjectionHarness } from '../../../test/support/projection-harness';
import { startWithRegistry } from './registry-scenario';

// Each read model has its own spec beside it (src/<read model>/<read model>.int.spec.ts); these
// tests are about all of them together.
describe('read models against PostgreSQL', () => {
  let h: ProjectionHarness;

  beforeAll(async () => {
    h = await startWithRegistry();
  });

  afterAll(() => h.close());

  it('lets the read-only reporting role read the views and nothing else', async () => {
    const client = await h.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL ROLE registry_reporting');
      expect((await client.query('SELECT count(*)::int AS n FROM reporting.organization_versions')).rows[0]).toEqual({
        n: expect.any(Number),
      });
      await client.query('SAVEPOINT denied');
      await expect(client.query('SELECT count(*) FROM event_store.events')).rejects.toThrow(/permission denied/);
      await client.query('ROLLBACK TO SAVEPOINT denied');
      const live = (await generationsOf(h.pool, ['members']))[0]!;
      await expect(client.query(`SELECT count(*) FROM ${live.schemaName}.members`)).rejects.toThrow(
        /permission denied/,
      );
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('replayed twice gives the same rows: a second rebuild, and every event applied again onto the live tables', async () => {
    const first = await h.snapshot();
    expect(Object.keys(first).length).toBeGreaterThan(15);
    await h.rebuildAll();
    expect(await h.snapshot()).toEqual(first);

    await h.applyAgain();
    expect(await h.snapshot()).toEqual(first);
  });
});
