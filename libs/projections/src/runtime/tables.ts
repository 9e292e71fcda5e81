import type { CounterDelta, CounterRow } from '../model/timeline';
import { unique } from './stream-events';

/** How a column travels: the JavaScript form a projection reads and writes is fixed per type. */
export type ColumnType =
  | 'uuid' // string
  | 'text' // string
  | 'integer' // number
  | 'bigint' // string (positions and money sums: beyond 2^53 a number would lose digits)
  | 'date' // 'YYYY-MM-DD'
  | 'daterange' // '[from,to)' or '[from,)'
  | 'jsonb' // parsed JSON
  | 'boolean'
  | 'timestamptz' // an ISO string when written, a Date when read
  | 'integer[]'; // number[]

export type Columns<R> = { readonly [K in keyof R & string]: ColumnType };

/** A table whose rows are one entity each, found by a uuid key. */
export interface KeyedSpec<R> {
  readonly kind: 'keyed';
  readonly table: string;
  readonly key: keyof R & string;
  readonly columns: Columns<R>;
}

/** A table of interval rows, each set of rows owned by one entity and replaced as a whole. */
export interface OwnedSpec<R> {
  readonly kind: 'owned';
  readonly table: string;
  readonly owner: keyof R & string;
  readonly columns: Columns<R>;
}

/** A table of rows that are only ever added (one event's rows), unique by `key`. */
export interface AppendedSpec<R> {
  readonly kind: 'appended';
  readonly table: string;
  readonly key: readonly (keyof R & string)[];
  readonly columns: Columns<R>;
}

/** Counts per key over business time as canonical, non-overlapping `(key, valid, counts…)` rows. */
export interface CounterSpec {
  readonly kind: 'counters';
  readonly table: string;
  readonly key: string;
  readonly keyType: 'uuid' | 'text';
  readonly counters: readonly string[];
}

export type TableSpec = KeyedSpec<never> | OwnedSpec<never> | AppendedSpec<never> | CounterSpec;

export const keyedTable = <R>(table: string, key: keyof R & string, columns: Columns<R>): KeyedSpec<R> => ({
  kind: 'keyed',
  table,
  key,
  columns,
});

export const ownedTable = <R>(table: string, owner: keyof R & string, columns: Columns<R>): OwnedSpec<R> => ({
  kind: 'owned',
  table,
  owner,
  columns,
});

export const appendedTable = <R>(
  table: string,
  key: readonly (keyof R & string)[],
  columns: Columns<R>,
): AppendedSpec<R> => ({ kind: 'appended', table, key, columns });

export const counterTable = (
  table: string,
  key: string,
  keyType: 'uuid' | 'text',
  counters: readonly string[],
): CounterSpec => ({ kind: 'counters', table, key, keyType, counters });

/**
 * `CREATE TABLE` of a counter timeline. Rows never overlap by construction (applyCounterDeltas),
 * not by an exclusion constraint: with rows rewritten on every late entry, a GiST exclusion check
 * wading through dead index entries made inserts the whole cost of a rebuild (docs/BENCHMARKS.md).
 */
export function counterTableDdl(schema: string, spec: CounterSpec): string {
  return `CREATE TABLE ${schema}.${spec.table} (
      ${spec.key} ${spec.keyType} NOT NULL,
      valid daterange NOT NULL,
      ${spec.counters.map((c) => `${c} integer NOT NULL`).join(',\n      ')}
    );`;
}

/**
 * A key's timeline by (key, end); every key's row on a date by the range index. `coveringDateIndex`
 * includes the key and counters in the range index, so that a question for every key on one date
 * reads the index alone: one key's rows are written together, so the rows holding on a date lie one
 * per page in the table (ADR 0020).
 */
export function counterIndexesDdl(
  schema: string,
  spec: CounterSpec,
  options: { coveringDateIndex?: boolean } = {},
): string {
  const included = options.coveringDateIndex ? ` INCLUDE (${[spec.key, ...spec.counters].join(', ')})` : '';
  return `CREATE INDEX ON ${schema}.${spec.table} (${spec.key}, (coalesce(upper(valid), 'infinity'::date)));
    CREATE INDEX ON ${schema}.${spec.table} USING gist (valid)${included};`;
}

export interface KeyedRows<R> {
  /** The stored rows of these keys. A returned row may be the stored row itself: change it only to write it back. */
  load(ids: readonly string[]): Promise<Map<string, R>>;
  upsert(rows: readonly R[]): Promise<void>;
  all(): Promise<R[]>;
  /** The largest value of an integer column, 0 when the table is empty. */
  max(column: keyof R & string): Promise<number>;
}

export interface OwnedRows<R> {
  /** Rows whose `column` (a uuid column) is one of `values`, in no particular order. */
  rowsOf(column: keyof R & string, values: readonly string[]): Promise<R[]>;
  /** Replaces every row of these owners with `rows` (rows of other owners are refused). */
  replace(owners: readonly string[], rows: readonly R[]): Promise<void>;
  /**
   * For rows with a `valid` daterange: replaces each owner's rows that start on or after its date
   * with `rows` (which must start on or after it too), leaving the earlier ones as they are.
   */
  replaceSince(since: ReadonlyMap<string, string>, rows: readonly R[]): Promise<void>;
}

export interface AppendedRows<R> {
  /** Adds rows; a row whose key is stored already replaces it. */
  insert(rows: readonly R[]): Promise<void>;
}

export interface CounterRows {
  /** Adds the deltas, rewriting each key's rows from the one that holds the day before its earliest change. */
  apply(deltas: readonly CounterDelta[]): Promise<void>;
  /** Every row of these keys, oldest first. */
  rowsOf(keys: readonly string[]): Promise<Map<string, CounterRow[]>>;
}

/**
 * What a projection reads and writes, whether it runs against its tables in PostgreSQL (the live
 * path, one transaction per batch) or in memory (the bulk rebuild, written once with COPY).
 */
export interface ProjectionTables {
  keyed<R>(spec: KeyedSpec<R>): KeyedRows<R>;
  owned<R>(spec: OwnedSpec<R>): OwnedRows<R>;
  appended<R>(spec: AppendedSpec<R>): AppendedRows<R>;
  counters(spec: CounterSpec): CounterRows;
}

/** The deciders allow one row per key, so a row already there is this same event applied again. */
export async function insertOnce<R extends object>(
  table: Pick<KeyedRows<R>, 'load' | 'upsert'>,
  rows: readonly R[],
  keyOfRow: (row: R) => string,
): Promise<void> {
  if (rows.length === 0) return;
  const existing = await table.load(unique(rows.map(keyOfRow)));
  await table.upsert(rows.filter((row) => !existing.has(keyOfRow(row))));
}
