import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { applyCounterDeltas, type CounterDelta, type CounterRow } from '../model/timeline';
import { checkStartSince, groupBy, sqlTables } from './sql-tables';
import { dateRange, parseDateRange, type ProjectionSql } from './sql';
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

/** One table held in memory: how many rows it holds, and how to write the changed ones. */
interface HeldTable {
  readonly table: string;
  readonly columns: readonly string[];
  readonly types: readonly ColumnType[];
  held(): number;
  /** Owners or keys whose stored rows the flush replaces (none when the table was empty). */
  replacedKeys(): { column: string; type: string; keys: string[] } | undefined;
  /** The changed rows as arrays of column values, in `columns` order. */
  changedRows(): Iterable<readonly unknown[]>;
  evict(): void;
}

/**
 * The bulk rebuild's tables: a projection's reads and writes go to maps in memory and the
 * changed rows are written with COPY when `flush` is called (at the end, or when more than the
 * budget of rows is held). Until the first flush the tables in PostgreSQL are empty, so a key not in
 * memory has no rows; after it, reads of keys not in memory go to PostgreSQL (read-through), which
 * keeps memory bounded on logs whose read models do not fit.
 */
export class MemoryTables implements ProjectionTables {
  private readonly tables = new Map<string, HeldTable & { handle: unknown }>();
  /**
   * @param spilled whether the tables in PostgreSQL may already hold rows (a resumed rebuild, or
   * after a write): keys not in memory are then read from there.
   */
  constructor(
    private readonly schema: string,
    private readonly sql: ProjectionSql,
    private spilled = false,
  ) {}

  /** Rows held in memory, over every table. */
  heldRows(): number {
    let rows = 0;
    for (const table of this.tables.values()) rows += table.held();
    return rows;
  }

  keyed<R>(spec: KeyedSpec<R>): KeyedRows<R> {
    return this.table(spec.table, () => this.keyedTable(spec)).handle;
  }

  owned<R>(spec: OwnedSpec<R>): OwnedRows<R> {
    return this.table(spec.table, () => this.ownedTable(spec)).handle;
  }

  appended<R>(spec: AppendedSpec<R>): AppendedRows<R> {
    return this.table(spec.table, () => this.appendedTable(spec)).handle;
  }

  counters(spec: CounterSpec): CounterRows {
    return this.table(spec.table, () => this.counterTable(spec)).handle;
  }

  /**
   * Writes every changed row with COPY (after deleting the stored rows it replaces, once anything
   * was written before) and empties memory. Runs in the caller's transaction.
   */
  async flush(client: PoolClient): Promise<number> {
    let written = 0;
    for (const table of this.tables.values()) {
      const target = `${this.schema}.${table.table}`;
      const replaced = table.replacedKeys();
      if (this.spilled && replaced && replaced.keys.length > 0) {
        await client.query(`DELETE FROM ${target} WHERE ${replaced.column} = ANY($1::${replaced.type}[])`, [
          replaced.keys,
        ]);
      }
      written += await copyRows(client, target, table.columns, table.types, table.changedRows());
      table.evict();
    }
    this.spilled = true;
    return written;
  }

  private table<T extends HeldTable & { handle: unknown }>(name: string, create: () => T): T {
    let table = this.tables.get(name);
    if (!table) {
      table = create();
      this.tables.set(name, table);
    }
    return table as T;
  }

  private keyedTable<R>(spec: KeyedSpec<R>): HeldTable & { handle: KeyedRows<R> } {
    const rows = new Map<string, R>();
    const dirty = new Set<string>();
    const columns = Object.keys(spec.columns) as (keyof R & string)[];
    const fallback = (): KeyedRows<R> => sqlTables(this.sql, this.schema).keyed(spec);
    const handle: KeyedRows<R> = {
      load: async (ids) => {
        const found = new Map<string, R>();
        const missing: string[] = [];
        for (const id of ids) {
          const row = rows.get(id);
          if (row) found.set(id, row);
          else missing.push(id);
        }
        if (this.spilled && missing.length > 0) {
          for (const [id, row] of await fallback().load(missing)) {
            rows.set(id, row);
            found.set(id, row);
          }
        }
        return found;
      },
      upsert: (changed) => {
        for (const row of changed) {
          const id = row[spec.key] as string;
          rows.set(id, row);
          dirty.add(id);
        }
        return Promise.resolve();
      },
      all: async () => {
        if (!this.spilled) return [...rows.values()];
        const stored = (await fallback().all()).filter((row) => !rows.has(row[spec.key] as string));
        return [...stored, ...rows.values()];
      },
      max: async (column) => {
        let max = this.spilled ? await fallback().max(column) : 0;
        for (const row of rows.values()) max = Math.max(max, Number(row[column]));
        return max;
      },
    };
    return {
      handle,
      table: spec.table,
      columns,
      types: columns.map((c) => spec.columns[c]),
      held: () => rows.size,
      replacedKeys: () => ({ column: spec.key, type: spec.columns[spec.key], keys: [...dirty] }),
      changedRows: function* () {
        for (const id of dirty) {
          const row = rows.get(id);
          if (row) yield columns.map((c) => row[c]);
        }
      },
      evict: () => {
        rows.clear();
        dirty.clear();
      },
    };
  }

  private ownedTable<R>(spec: OwnedSpec<R>): HeldTable & { handle: OwnedRows<R> } {
    // Present for an owner: every row it has (possibly none).
    const byOwner = new Map<string, R[]>();
    const dirty = new Set<string>();
    let held = 0;
    const columns = Object.keys(spec.columns) as (keyof R & string)[];
    const fallback = (): OwnedRows<R> => sqlTables(this.sql, this.schema).owned(spec);
    const set = (owner: string, rows: R[]): void => {
      held += rows.length - (byOwner.get(owner)?.length ?? 0);
      byOwner.set(owner, rows);
    };
    const handle: OwnedRows<R> = {
      rowsOf: async (column, values) => {
        if (column === spec.owner) {
          const missing = values.filter((owner) => !byOwner.has(owner));
          if (this.spilled && missing.length > 0) {
            const stored = groupBy(await fallback().rowsOf(column, missing), (row) => row[spec.owner] as string);
            for (const owner of missing) set(owner, stored.get(owner) ?? []);
          }
          return values.flatMap((owner) => byOwner.get(owner) ?? []);
        }
        const wanted = new Set(values);
        const result: R[] = [];
        for (const rows of byOwner.values())
          for (const row of rows) if (wanted.has(row[column] as string)) result.push(row);
        if (this.spilled) {
          for (const row of await fallback().rowsOf(column, values))
            if (!byOwner.has(row[spec.owner] as string)) result.push(row);
        }
        return result;
      },
      replaceSince: async (since, rows) => {
        checkStartSince(spec.table, spec.owner, since, rows);
        const owners = [...since.keys()];
        await handle.rowsOf(spec.owner, owners);
        const added = groupBy(rows, (row) => row[spec.owner] as string);
        for (const owner of owners) {
          const date = since.get(owner) ?? '';
          const kept = (byOwner.get(owner) ?? []).filter(
            (row) => parseDateRange((row as { valid: string }).valid).from < date,
          );
          set(owner, [...kept, ...(added.get(owner) ?? [])]);
          dirty.add(owner);
        }
      },
      replace: (owners, rows) => {
        const grouped = groupBy(rows, (row) => row[spec.owner] as string);
        for (const owner of owners) {
          set(owner, grouped.get(owner) ?? []);
          dirty.add(owner);
        }
        for (const owner of grouped.keys())
          if (!dirty.has(owner)) throw new Error(`${spec.table}: a row of ${owner}, which is not being replaced`);
        return Promise.resolve();
      },
    };
    return {
      handle,
      table: spec.table,
      columns,
      types: columns.map((c) => spec.columns[c]),
      held: () => held,
      replacedKeys: () => ({ column: spec.owner, type: 'uuid', keys: [...dirty] }),
      changedRows: function* () {
        for (const owner of dirty) for (const row of byOwner.get(owner) ?? []) yield columns.map((c) => row[c]);
      },
      evict: () => {
        byOwner.clear();
        dirty.clear();
        held = 0;
      },
    };
  }

  private appendedTable<R>(spec: AppendedSpec<R>): HeldTable & { handle: AppendedRows<R> } {
    // Keyed by the row's key, so a row inserted twice (a replayed event) is held once.
    const rows = new Map<string, R>();
    const columns = Object.keys(spec.columns) as (keyof R & string)[];
    const keyOf = (row: R): string => spec.key.map((c) => String(row[c])).join('\u0000');
    return {
      handle: {
        insert: (added) => {
          for (const row of added) rows.set(keyOf(row), row);
          return Promise.resolve();
        },
      },
      table: spec.table,
      columns,
      types: columns.map((c) => spec.columns[c]),
      held: () => rows.size,
      // Only new rows are held: after a write, a stored row comes back only through a replayed event, which the projection skips.
      replacedKeys: () => undefined,
      changedRows: function* () {
        for (const row of rows.values()) yield columns.map((c) => row[c]);
      },
      evict: () => rows.clear(),
    };
  }

  /**
   * Counters as deltas: `apply` only adds each change to its key's pending sums (cost proportional
   * to the changes, whatever the length of the key's timeline); a key's rows are recomputed when
   * read or written, once for all the changes since.
   */
  private counterTable(spec: CounterSpec): HeldTable & { handle: CounterRows } {
    // Present for a key: its rows, oldest first, as of the last materialisation.
    const byKey = new Map<string, CounterRow[]>();
    const pending = new Map<string, Map<string, number[]>>();
    const dirty = new Set<string>();
    let held = 0;
    const width = spec.counters.length;
    const fallback = (): CounterRows => sqlTables(this.sql, this.schema).counters(spec);
    const set = (key: string, rows: CounterRow[]): void => {
      held += rows.length - (byKey.get(key)?.length ?? 0);
      byKey.set(key, rows);
    };
    const ensure = async (keys: Iterable<string>): Promise<void> => {
      const missing = [...keys].filter((key) => !byKey.has(key));
      if (missing.length === 0) return;
      const stored = this.spilled ? await fallback().rowsOf(missing) : new Map<string, CounterRow[]>();
      for (const key of missing) set(key, stored.get(key) ?? []);
    };
    const rowsNow = (key: string): CounterRow[] => {
      const sums = pending.get(key);
      const rows = byKey.get(key) ?? [];
      if (!sums) return rows;
      pending.delete(key);
      held -= sums.size;
      const changes = [...sums].map(([on, delta]) => ({ on, delta }));
      const since = changes.reduce((min, change) => (change.on < min ? change.on : min), '9999-12-31');
      // Rows that end before the earliest change stay as they are (the same suffix the SQL path rewrites).
      let split = rows.length;
      while (split > 0 && endsOnOrAfter(rows[split - 1], since)) split -= 1;
      const next = [...rows.slice(0, split), ...applyCounterDeltas(rows.slice(split), changes, width)];
      set(key, next);
      return next;
    };
    const handle: CounterRows = {
      apply: async (deltas: readonly CounterDelta[]) => {
        if (deltas.length === 0) return;
        await ensure(new Set(deltas.map((d) => d.key)));
        for (const { key, on, delta } of deltas) {
          let sums = pending.get(key);
          if (!sums) {
            sums = new Map();
            pending.set(key, sums);
          }
          let sum = sums.get(on);
          if (!sum) {
            sum = new Array<number>(width).fill(0);
            sums.set(on, sum);
            held += 1;
          }
          for (let i = 0; i < width; i += 1) sum[i] = (sum[i] ?? 0) + (delta[i] ?? 0);
          dirty.add(key);
        }
      },
      rowsOf: async (keys) => {
        await ensure(keys);
        return new Map(keys.map((key) => [key, rowsNow(key)]));
      },
    };
    const columns = [spec.key, 'valid', ...spec.counters];
    return {
      handle,
      table: spec.table,
      columns,
      types: [spec.keyType, 'daterange', ...spec.counters.map((): ColumnType => 'integer')],
      held: () => held,
      replacedKeys: () => ({ column: spec.key, type: spec.keyType, keys: [...dirty] }),
      changedRows: function* () {
        for (const key of dirty) {
          for (const row of rowsNow(key)) yield [key, dateRange(row.from, row.to), ...row.counts];
        }
      },
      evict: () => {
        byKey.clear();
        pending.clear();
        dirty.clear();
        held = 0;
      },
    };
  }
}

const endsOnOrAfter = (row: CounterRow | undefined, date: string): boolean =>
  row !== undefined && (row.to === null || row.to >= date);

/** Types whose text never holds a backslash, tab or line break. */
const PLAIN: ReadonlySet<ColumnType> = new Set(['uuid', 'bigint', 'date', 'daterange', 'integer', 'timestamptz']);

/** A value in COPY's text format. */
export function copyText(value: unknown, type: ColumnType): string {
  if (value === null || value === undefined) return '\\N';
  let text: string;
  if (type === 'jsonb') text = JSON.stringify(value);
  else if (type === 'integer[]') text = `{${(value as number[]).join(',')}}`;
  else if (type === 'boolean') return value ? 't' : 'f';
  else if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'number' || typeof value === 'bigint') return value.toString();
  else if (PLAIN.has(type)) return value as string;
  else text = value as string;
  return text.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}

const COPY_CHUNK_BYTES = 1 << 20;

async function copyRows(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  types: readonly ColumnType[],
  rows: Iterable<readonly unknown[]>,
): Promise<number> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  let failure: Error | undefined;
  stream.on('error', (error) => (failure = error));
  const drained = (): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        stream.off('drain', done);
        stream.off('error', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('error', done);
    });
  let count = 0;
  let chunk = '';
  for (const row of rows) {
    chunk += row.map((value, i) => copyText(value, types[i] ?? 'text')).join('\t') + '\n';
    count += 1;
    if (chunk.length >= COPY_CHUNK_BYTES) {
      if (failure !== undefined) break;
      if (!stream.write(chunk)) await drained();
      chunk = '';
    }
  }
  if (failure === undefined) {
    await new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
      stream.end(chunk);
    });
  }
  if (failure !== undefined) throw failure;
  return count;
}
