import type { Pool, PoolClient } from 'pg';

/** Runs `work` in one transaction on a client of the pool: committed if it resolves, rolled back if it throws. */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  options: { readonly durableCommit?: boolean } = {},
): Promise<T> {
  const client = await pool.connect();
  try {
    // durableCommit false: the commit does not wait for the WAL flush (one round trip: simple protocol).
    await client.query(options.durableCommit === false ? 'BEGIN; SET LOCAL synchronous_commit TO off' : 'BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
