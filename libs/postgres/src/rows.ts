/**
 * The row of a statement that always returns one (an aggregate, a `RETURNING` of the row just
 * written). No row means the database broke that promise: say which statement, not `undefined`.
 */
export function firstRow<Row>(rows: readonly Row[], statement: string): Row {
  const row = rows[0];
  if (row === undefined) throw new Error(`${statement} returned no row`);
  return row;
}
