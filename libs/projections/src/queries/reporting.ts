import type { Pool, PoolClient } from 'pg';

/** What the queries need of a connection: they read only the `reporting` views. */
export type Db = Pick<Pool | PoolClient, 'query'>;

export class NotInReadModel extends Error {
  override readonly name = 'NotInReadModel';
}

export const rate = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000;

/** The organisations in the subtree of `$1` as the hierarchy read model has it on the date `$2`. */
export const SUBTREE_NOW = `SELECT p.org_id FROM reporting.organization_paths p
  JOIN reporting.organization_paths r ON r.org_id = $1 AND r.valid @> $2::date
 WHERE p.path @> ARRAY[r.node] AND p.valid @> $2::date`;

/** Refuses an organisation the hierarchy read model does not know on `date`. */
export async function requireOrganization(db: Db, orgId: string, date: string): Promise<void> {
  const { rows } = await db.query(
    'SELECT 1 FROM reporting.organization_paths WHERE org_id = $1 AND valid @> $2::date',
    [orgId, date],
  );
  if (rows.length === 0) throw new NotInReadModel(`organisation ${orgId} does not exist on ${date}`);
}
