/**
 * Values that hold over business-date intervals. Dates are `YYYY-MM-DD` strings (they order as
 * text); `to` is exclusive and `null` means "still holds". Everything here is pure.
 */
export interface Segment<V> {
  readonly from: string;
  readonly to: string | null;
  readonly value: V;
}

export interface Dated {
  /** The business (effective) date of the fact. */
  readonly on: string;
}

/**
 * Equal as JSON values, whatever the order of object keys: a value read back from a `jsonb` column
 * has its keys in PostgreSQL's order, not in the order they were written.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, index) => sameJson(item, b[index]));
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter((key) => left[key] !== undefined);
  return (
    keys.length === Object.keys(right).filter((key) => right[key] !== undefined).length &&
    keys.every((key) => sameJson(left[key], right[key]))
  );
}

/**
 * Folds facts in effective-date order (facts of one date in the order they were recorded) and
 * returns the value after each date as maximal segments. `view` returns null where nothing holds.
 * A fact recorded late with an earlier date lands in its place, which is what corrects "as of"
 * answers after a retroactive entry.
 */
export function timeline<F extends Dated, S, V>(
  facts: readonly F[],
  initial: S,
  step: (state: S, fact: F) => S,
  view: (state: S) => V | null,
  equal: (a: V, b: V) => boolean = sameJson,
): Segment<V>[] {
  const ordered = facts
    .map((fact, index) => ({ fact, index }))
    .sort((a, b) => (a.fact.on < b.fact.on ? -1 : a.fact.on > b.fact.on ? 1 : a.index - b.index))
    .map(({ fact }) => fact);
  const segments: { from: string; to: string | null; value: V }[] = [];
  let state = initial;
  for (const [index, fact] of ordered.entries()) {
    state = step(state, fact);
    // The value on a date is the one after all of that date's facts.
    if (ordered[index + 1]?.on === fact.on) continue;
    const value = view(state);
    const open = segments.at(-1);
    if (open && open.to === null) {
      if (value !== null && equal(open.value, value)) continue;
      open.to = fact.on;
    }
    if (value !== null) segments.push({ from: fact.on, to: null, value });
  }
  return segments;
}

/** A change of a counter vector under `key` from `on` onwards. */
export interface CounterDelta {
  readonly key: string;
  readonly on: string;
  readonly delta: readonly number[];
}

/** What one segment's value adds to which counters (key → vector) while it holds. */
export type Contribution<V> = (value: V) => readonly (readonly [string, readonly number[]])[];

/**
 * The counter changes that turn the contributions of `before` into those of `after`: each segment
 * adds its vector at `from` and takes it away at `to`. Zero changes are dropped, so an event that
 * changes nothing countable writes nothing.
 */
export function counterDeltas<V>(
  before: readonly Segment<V>[],
  after: readonly Segment<V>[],
  contribute: Contribution<V>,
): CounterDelta[] {
  // Nested maps rather than one map keyed by `key + date`: no string is built per change.
  const byKey = new Map<string, Map<string, number[]>>();
  const add = (key: string, on: string, vector: readonly number[], sign: number): void => {
    let dates = byKey.get(key);
    if (!dates) {
      dates = new Map();
      byKey.set(key, dates);
    }
    let delta = dates.get(on);
    if (!delta) {
      delta = new Array<number>(vector.length).fill(0);
      dates.set(on, delta);
    }
    for (let index = 0; index < vector.length; index += 1)
      delta[index] = (delta[index] ?? 0) + sign * (vector[index] ?? 0);
  };
  // Segments both sides share from the start cancel exactly: only what follows the first change counts.
  const shared = sharedPrefix(before, after);
  for (const [segments, sign] of [
    [before, -1],
    [after, 1],
  ] as const) {
    for (let index = shared; index < segments.length; index += 1) {
      const segment = segments[index];
      if (!segment) continue;
      for (const [key, vector] of contribute(segment.value)) {
        add(key, segment.from, vector, sign);
        if (segment.to !== null) add(key, segment.to, vector, -sign);
      }
    }
  }
  const changes: CounterDelta[] = [];
  for (const [key, dates] of byKey)
    for (const [on, delta] of dates) if (delta.some((count) => count !== 0)) changes.push({ key, on, delta });
  return changes;
}

/** How many segments from the start the two timelines have in common. */
export function sharedPrefix<V>(before: readonly Segment<V>[], after: readonly Segment<V>[]): number {
  let shared = 0;
  while (shared < before.length && shared < after.length && sameSegment(before[shared], after[shared])) shared += 1;
  return shared;
}

const sameSegment = <V>(a: Segment<V> | undefined, b: Segment<V> | undefined): boolean =>
  a !== undefined && b !== undefined && a.from === b.from && a.to === b.to && sameJson(a.value, b.value);

/** Counter deltas of many entities, summed per key and date. */
export function mergeCounterDeltas(deltas: readonly CounterDelta[]): CounterDelta[] {
  return counterDeltas<CounterDelta>(
    [],
    deltas.map((d) => ({ from: d.on, to: null, value: d })),
    (d) => [[d.key, d.delta]],
  );
}

/** One stored row of a counter timeline: the counts that hold over [from, to). */
export interface CounterRow {
  readonly from: string;
  readonly to: string | null;
  readonly counts: readonly number[];
}

/**
 * Applies deltas to the stored rows of one key from just before the earliest delta onwards and
 * returns the rows that replace them. The result is canonical (no all-zero rows, no two adjacent
 * rows with equal counts), so the same events give the same rows whatever the batch boundaries.
 */
export function applyCounterDeltas(
  stored: readonly CounterRow[],
  deltas: readonly { readonly on: string; readonly delta: readonly number[] }[],
  width: number,
): CounterRow[] {
  const deltaOn = new Map<string, number[]>();
  for (const d of deltas) {
    const sum = deltaOn.get(d.on) ?? new Array<number>(width).fill(0);
    d.delta.forEach((count, i) => (sum[i] = (sum[i] ?? 0) + count));
    deltaOn.set(d.on, sum);
  }
  const breakpoints = [
    ...new Set([...stored.flatMap((r) => (r.to === null ? [r.from] : [r.from, r.to])), ...deltaOn.keys()]),
  ].sort();
  const zero = new Array<number>(width).fill(0);
  const cumulative = new Array<number>(width).fill(0);
  const result: { from: string; to: string | null; counts: number[] }[] = [];
  // `stored` is sorted and never overlaps, so one pass finds the stored row under each breakpoint.
  let row = 0;
  breakpoints.forEach((from, index) => {
    while (endsBy(stored[row], from)) row += 1;
    const under = stored[row];
    const base = under && under.from <= from ? under.counts : zero;
    deltaOn.get(from)?.forEach((count, i) => (cumulative[i] = (cumulative[i] ?? 0) + count));
    const counts = base.map((count, i) => count + (cumulative[i] ?? 0));
    if (counts.every((count) => count === 0)) return;
    const to = breakpoints[index + 1] ?? null;
    const last = result.at(-1);
    if (last && last.to === from && last.counts.every((count, i) => count === counts[i])) last.to = to;
    else result.push({ from, to, counts });
  });
  return result;
}

const endsBy = (row: CounterRow | undefined, date: string): boolean =>
  row !== undefined && row.to !== null && row.to <= date;

/** Month arithmetic on `YYYY-MM`. */
export function addMonths(month: string, count: number): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const total = year * 12 + (m - 1) + count;
  return `${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}`;
}
