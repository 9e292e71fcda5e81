import { applyCounterDeltas, type CounterDelta, type CounterRow, mergeCounterDeltas } from '../model/timeline';
import { dateRange, parseDateRange, type ProjectionSql } from './sql';

/**
 * A table of counts per key that change over business time, stored as canonical rows
 * `(key, valid daterange, counts…)` that never overlap (an exclusion constraint holds them to it).
 * "How many as of D" is one row per key; a late entry with an earlier date rewrites the key's rows
 * from that date on.
 */
export class CounterTimeline {
  constructor(
    private readonly table: string,
    private readonly keyColumn: string,
    private readonly keyType: 'uuid' | 'text',
    private readonly columns: readonly string[],
  ) {}

  /**
   * `CREATE TABLE` for the timeline. Rows never overlap by construction (applyCounterDeltas), not
   * by an exclusion constraint: with rows rewritten on every late entry, a GiST exclusion check
   * wading through dead index entries made inserts the whole cost of a rebuild (docs/BENCHMARKS.md).
   */
  ddl(): string {
    return `CREATE TABLE ${this.table} (
      ${this.keyColumn} ${this.keyType} NOT NULL,
      valid daterange NOT NULL,
      ${this.columns.map((c) => `${c} integer NOT NULL`).join(',\n      ')}
    );
    CREATE INDEX ON ${this.table} (${this.keyColumn}, (coalesce(upper(valid), 'infinity'::date)));
    CREATE INDEX ON ${this.table} USING gist (valid);`;
  }

  async apply(sql: ProjectionSql, deltas: readonly CounterDelta[]): Promise<void> {
    const merged = mergeCounterDeltas(deltas);
    if (merged.length === 0) return;
    const earliest = new Map<string, string>();
    for (const d of merged) if ((earliest.get(d.key) ?? '9999-12-31') > d.on) earliest.set(d.key, d.on);
    const keys = [...earliest.keys()];
    const dates = [...earliest.values()];
    // From the row that holds the day before the earliest change (it ends on or after that change): it may merge with the new rows.
    const stored = await sql.query<Record<string, unknown> & { key: string; valid: string }>(
      `SELECT t.${this.keyColumn}::text AS key, t.valid::text AS valid, ${this.columns.map((c) => `t.${c}`).join(', ')}
         FROM unnest($1::text[], $2::date[]) AS k(key, since)
         JOIN ${this.table} t ON t.${this.keyColumn} = k.key::${this.keyType} AND coalesce(upper(t.valid), 'infinity'::date) >= k.since
        ORDER BY 1, lower(t.valid)`,
      [keys, dates],
    );
    const rowsByKey = new Map<string, CounterRow[]>();
    for (const row of stored) {
      const { from, to } = parseDateRange(row.valid);
      const rows = rowsByKey.get(row.key) ?? [];
      rows.push({ from, to, counts: this.columns.map((c) => Number(row[c])) });
      rowsByKey.set(row.key, rows);
    }
    const deltasByKey = new Map<string, CounterDelta[]>();
    for (const d of merged) deltasByKey.set(d.key, [...(deltasByKey.get(d.key) ?? []), d]);
    const replacement: Record<string, unknown>[] = [];
    for (const [key, keyDeltas] of deltasByKey) {
      for (const row of applyCounterDeltas(rowsByKey.get(key) ?? [], keyDeltas, this.columns.length)) {
        replacement.push({
          [this.keyColumn]: key,
          valid: dateRange(row.from, row.to),
          ...Object.fromEntries(this.columns.map((c, i) => [c, row.counts[i]])),
        });
      }
    }
    await sql.query(
      `DELETE FROM ${this.table} t USING unnest($1::text[], $2::date[]) AS k(key, since)
        WHERE t.${this.keyColumn} = k.key::${this.keyType} AND coalesce(upper(t.valid), 'infinity'::date) >= k.since`,
      [keys, dates],
    );
    if (replacement.length === 0) return;
    const list = [this.keyColumn, 'valid', ...this.columns].join(', ');
    await sql.query(
      `INSERT INTO ${this.table} (${list}) SELECT ${list} FROM jsonb_populate_recordset(null::${this.table}, $1::jsonb)`,
      [JSON.stringify(replacement)],
    );
  }
}
