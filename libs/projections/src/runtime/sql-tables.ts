import { applyCounterDeltas, type CounterDelta, type CounterRow, mergeCounterDeltas } from '../model/timeline';
import { dateRange, parseDateRange, type ProjectionSql, replaceRowsOf, upsertRows } from './sql';
import type {
  AppendedRows,
  AppendedSpec,
  ColumnType,
  CounterRows,
  CounterSpec,
  KeyedRows,
  KeyedSpec,
  OwnedRows,
  OwnedSpec,
  ProjectionTables,
} from './tables';

const READ_AS_TEXT: ReadonlySet<ColumnType> = new Set(['bigint', 'date', 'daterange']);

/** The SELECT list that gives every column in the JavaScript form its type promises. */
export function selectList(columns: Readonly<Record<string, ColumnType>>, alias = ''): string {
  return Object.entries(columns)
    .map(([name, type]) => (READ_AS_TEXT.has(type) ? `${alias}${name}::text AS ${name}` : `${alias}${name}`))
    .join(', ');
}

/** The live path: every read and write is a statement in the batch's transaction. */
export function sqlTables(sql: ProjectionSql, schema: string): ProjectionTables {
  return {
    keyed: <R>(spec: KeyedSpec<R>): KeyedRows<R> => {
      const table = `${schema}.${spec.table}`;
      const list = selectList(spec.columns);
      const names = Object.keys(spec.columns);
      const keyType = spec.columns[spec.key];
      return {
        load: async (ids) => {
          if (ids.length === 0) return new Map();
          const rows = await sql.query<R>(`SELECT ${list} FROM ${table} WHERE ${spec.key} = ANY($1::${keyType}[])`, [
            ids,
          ]);
          return new Map(rows.map((row) => [row[spec.key] as string, row]));
        },
        upsert: (rows) => upsertRows(sql, table, [spec.key], names, rows as readonly object[]),
        all: () => sql.query<R>(`SELECT ${list} FROM ${table}`),
        max: async (column) => {
          const [row] = await sql.query<{ max: number }>(`SELECT coalesce(max(${column}), 0) AS max FROM ${table}`);
          return row?.max ?? 0;
        },
      };
    },

    owned: <R>(spec: OwnedSpec<R>): OwnedRows<R> => {
      const table = `${schema}.${spec.table}`;
      const list = selectList(spec.columns);
      return {
        rowsOf: (column, values) =>
          values.length === 0
            ? Promise.resolve([])
            : sql.query<R>(`SELECT ${list} FROM ${table} WHERE ${column} = ANY($1::uuid[])`, [values]),
        replace: (owners, rows) =>
          replaceRowsOf(sql, table, spec.owner, owners, Object.keys(spec.columns), rows as readonly object[]),
        replaceSince: async (since, rows) => {
          if (since.size === 0) return;
          await sql.query(
            `DELETE FROM ${table} t USING unnest($1::uuid[], $2::date[]) AS k(owner, since)
              WHERE t.${spec.owner} = k.owner AND lower(t.valid) >= k.since`,
            [[...since.keys()], [...since.values()]],
          );
          checkStartSince(spec.table, spec.owner, since, rows);
          if (rows.length === 0) return;
          const list = Object.keys(spec.columns).join(', ');
          await sql.query(
            `INSERT INTO ${table} (${list}) SELECT ${list} FROM jsonb_populate_recordset(null::${table}, $1::jsonb)`,
            [JSON.stringify(rows)],
          );
        },
      };
    },

    appended: <R>(spec: AppendedSpec<R>): AppendedRows<R> => ({
      insert: (rows) =>
        upsertRows(sql, `${schema}.${spec.table}`, spec.key, Object.keys(spec.columns), rows as readonly object[]),
    }),

    counters: (spec) => sqlCounters(sql, schema, spec),
  };
}

function sqlCounters(sql: ProjectionSql, schema: string, spec: CounterSpec): CounterRows {
  const table = `${schema}.${spec.table}`;
  const key = spec.key;
  const counts = spec.counters.map((c) => `t.${c}`).join(', ');
  const toRow = (row: Record<string, unknown> & { valid: string }): CounterRow => ({
    ...parseDateRange(row.valid),
    counts: spec.counters.map((c) => Number(row[c])),
  });
  return {
    async apply(deltas: readonly CounterDelta[]): Promise<void> {
      const merged = mergeCounterDeltas(deltas);
      if (merged.length === 0) return;
      const earliest = earliestChange(merged);
      const keys = [...earliest.keys()];
      const dates = [...earliest.values()];
      // From the row that holds the day before the earliest change (it ends on or after that change): it may merge with the new rows.
      const stored = await sql.query<Record<string, unknown> & { key: string; valid: string }>(
        `SELECT t.${key}::text AS key, t.valid::text AS valid, ${counts}
           FROM unnest($1::text[], $2::date[]) AS k(key, since)
           JOIN ${table} t ON t.${key} = k.key::${spec.keyType} AND coalesce(upper(t.valid), 'infinity'::date) >= k.since
          ORDER BY 1, lower(t.valid)`,
        [keys, dates],
      );
      const replacement = replacementRows(
        spec,
        groupBy(stored, (row) => row.key, toRow),
        merged,
      );
      await sql.query(
        `DELETE FROM ${table} t USING unnest($1::text[], $2::date[]) AS k(key, since)
          WHERE t.${key} = k.key::${spec.keyType} AND coalesce(upper(t.valid), 'infinity'::date) >= k.since`,
        [keys, dates],
      );
      if (replacement.length === 0) return;
      const list = [key, 'valid', ...spec.counters].join(', ');
      await sql.query(
        `INSERT INTO ${table} (${list}) SELECT ${list} FROM jsonb_populate_recordset(null::${table}, $1::jsonb)`,
        [JSON.stringify(replacement)],
      );
    },

    async rowsOf(keys: readonly string[]): Promise<Map<string, CounterRow[]>> {
      if (keys.length === 0) return new Map();
      const stored = await sql.query<Record<string, unknown> & { key: string; valid: string }>(
        `SELECT t.${key}::text AS key, t.valid::text AS valid, ${counts} FROM ${table} t
          WHERE t.${key} = ANY($1::${spec.keyType}[]) ORDER BY 1, lower(t.valid)`,
        [keys],
      );
      return groupBy(stored, (row) => row.key, toRow);
    },
  };
}

/** The earliest changed date of each key. */
export function earliestChange(merged: readonly CounterDelta[]): Map<string, string> {
  const earliest = new Map<string, string>();
  for (const d of merged) if ((earliest.get(d.key) ?? '9999-12-31') > d.on) earliest.set(d.key, d.on);
  return earliest;
}

/** Refuses rows of owners not being replaced, or that start before their owner's date. */
export function checkStartSince<R>(
  table: string,
  owner: keyof R & string,
  since: ReadonlyMap<string, string>,
  rows: readonly R[],
): void {
  for (const row of rows) {
    const date = since.get(row[owner] as string);
    const valid = (row as { valid?: unknown }).valid;
    if (date === undefined || typeof valid !== 'string' || parseDateRange(valid).from < date)
      throw new Error(`${table}: a row of ${String(row[owner])} outside what is being replaced`);
  }
}

/** Items grouped by a key, each mapped to what the group holds, in their order. */
export function groupBy<T, V = T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  valueOf: (item: T) => V = (item) => item as unknown as V,
): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(valueOf(item));
    else groups.set(key, [valueOf(item)]);
  }
  return groups;
}

/** The rows, as table records, that replace each key's stored suffix once its deltas are added. */
function replacementRows(
  spec: CounterSpec,
  suffixes: ReadonlyMap<string, readonly CounterRow[]>,
  merged: readonly CounterDelta[],
): Record<string, unknown>[] {
  const replacement: Record<string, unknown>[] = [];
  for (const [key, keyDeltas] of groupBy(merged, (d) => d.key)) {
    for (const row of applyCounterDeltas(suffixes.get(key) ?? [], keyDeltas, spec.counters.length)) {
      replacement.push(counterRecord(spec, key, row));
    }
  }
  return replacement;
}

function counterRecord(spec: CounterSpec, key: string, row: CounterRow): Record<string, unknown> {
  const record: Record<string, unknown> = { [spec.key]: key, valid: dateRange(row.from, row.to) };
  spec.counters.forEach((c, i) => (record[c] = row.counts[i]));
  return record;
}
