/** The one thing projections need from a database connection inside their transaction. */
export interface ProjectionSql {
  query<Row = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<Row[]>;
}

/** `[2024-01-01,2024-03-01)` / `[2024-01-01,)` → from and exclusive to (null: open). */
export function parseDateRange(range: string): { from: string; to: string | null } {
  const [, from, to] = /^\[([0-9-]+),([0-9-]*)\)$/.exec(range) ?? [];
  if (from === undefined) throw new Error(`unexpected date range ${range}`);
  return { from, to: to ? to : null };
}

/**
 * Inserts or replaces rows through one statement: the rows travel as one JSON array and PostgreSQL
 * turns them into records of the table's own row type.
 */
export async function upsertRows(
  sql: ProjectionSql,
  table: string,
  key: readonly string[],
  columns: readonly string[],
  rows: readonly object[],
): Promise<void> {
  if (rows.length === 0) return;
  const list = columns.join(', ');
  const updates = columns.filter((c) => !key.includes(c)).map((c) => `${c} = excluded.${c}`);
  await sql.query(
    `INSERT INTO ${table} (${list})
     SELECT ${list} FROM jsonb_populate_recordset(null::${table}, $1::jsonb)
     ON CONFLICT (${key.join(', ')}) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`,
    [JSON.stringify(rows)],
  );
}

/** Replaces every row of the given owners (e.g. all interval rows of some organisations). */
export async function replaceRowsOf(
  sql: ProjectionSql,
  table: string,
  ownerColumn: string,
  owners: readonly string[],
  columns: readonly string[],
  rows: readonly object[],
  ownerType: 'uuid' | 'text' = 'uuid',
): Promise<void> {
  if (owners.length === 0) return;
  await sql.query(`DELETE FROM ${table} WHERE ${ownerColumn} = ANY($1::${ownerType}[])`, [owners]);
  if (rows.length === 0) return;
  const list = columns.join(', ');
  await sql.query(
    `INSERT INTO ${table} (${list}) SELECT ${list} FROM jsonb_populate_recordset(null::${table}, $1::jsonb)`,
    [JSON.stringify(rows)],
  );
}

/** `[from, to)` as PostgreSQL's text form of a daterange. */
export const dateRange = (from: string, to: string | null): string => `[${from},${to ?? ''})`;

export { inTransaction } from '@registry/postgres';
