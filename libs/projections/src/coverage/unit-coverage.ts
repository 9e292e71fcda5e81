import type { CounterRow, Segment } from '../model/timeline';

/** 单独组建 / covered by a joint (or building, regional, industry) organisation / 工作覆盖 only / none. */
export type CoverageState = 'single' | 'joint' | 'work-only' | 'uncovered';

export interface UnitCoverage {
  readonly state: CoverageState;
  /** 应建未建: enough full members employed there and no organisation of its own. */
  readonly shouldEstablish: boolean;
  readonly members: number;
  readonly fullMembers: number;
}

export interface UnitFacts {
  readonly registeredOn: string;
  readonly closedOn: string | null;
  /** When party-building instructors worked with the unit (工作覆盖): from an assignment to a withdrawal. */
  readonly instructorPeriods: readonly { readonly from: string; readonly to: string | null }[];
}

export type InstructorFact = { readonly kind: 'assigned' | 'withdrawn'; readonly on: string };

/**
 * The periods instructors worked with the unit, from its assignments and withdrawals in business
 * order: an assignment opens a period unless one is open; a withdrawal closes the open one.
 */
export function instructorPeriods(facts: readonly InstructorFact[]): { from: string; to: string | null }[] {
  const ordered = [...facts].sort((a, b) =>
    a.on !== b.on ? (a.on < b.on ? -1 : 1) : a.kind === b.kind ? 0 : a.kind === 'assigned' ? -1 : 1,
  );
  const periods: { from: string; to: string | null }[] = [];
  for (const fact of ordered) {
    const open = periods.at(-1)?.to === null ? periods.at(-1) : undefined;
    if (fact.kind === 'assigned' && !open) periods.push({ from: fact.on, to: null });
    if (fact.kind === 'withdrawn' && open && fact.on > open.from) open.to = fact.on;
  }
  return periods;
}

export interface UnitLink {
  readonly form: string;
  readonly from: string;
  readonly to: string | null;
}

const covers = (link: { from: string; to: string | null }, date: string): boolean =>
  link.from <= date && (link.to === null || date < link.to);

const stillHolds = (row: CounterRow | undefined, date: string): boolean =>
  row !== undefined && (row.to === null || date < row.to);

const sameCoverage = (a: UnitCoverage, b: UnitCoverage): boolean =>
  a.state === b.state &&
  a.shouldEstablish === b.shouldEstablish &&
  a.members === b.members &&
  a.fullMembers === b.fullMembers;

/**
 * The unit's coverage over business time, only while it operates. `memberCounts` are the unit's
 * (members, full members) employed there. Flowing-member organisations look after people, not
 * units, so they give no coverage.
 */
export function unitCoverage(
  unit: UnitFacts,
  links: readonly UnitLink[],
  memberCounts: readonly CounterRow[],
  shouldEstablishAt: number,
): Segment<UnitCoverage>[] {
  const dates = new Set<string>([unit.registeredOn]);
  if (unit.closedOn) dates.add(unit.closedOn);
  for (const period of unit.instructorPeriods) {
    dates.add(period.from);
    if (period.to) dates.add(period.to);
  }
  for (const link of links) {
    dates.add(link.from);
    if (link.to) dates.add(link.to);
  }
  for (const row of memberCounts) {
    dates.add(row.from);
    if (row.to) dates.add(row.to);
  }
  const breakpoints = [...dates].sort();
  const segments: { from: string; to: string | null; value: UnitCoverage }[] = [];
  // `memberCounts` is sorted and never overlaps: one pass finds the row under each breakpoint.
  let row = 0;
  breakpoints.forEach((from, index) => {
    if (from < unit.registeredOn || (unit.closedOn !== null && from >= unit.closedOn)) return;
    const to = breakpoints[index + 1] ?? null;
    const active = links.filter((link) => link.form !== 'flowing' && covers(link, from));
    const single = active.some((link) => link.form === 'single');
    const joint = !single && active.length > 0;
    const work = !single && !joint && unit.instructorPeriods.some((period) => covers(period, from));
    while (row < memberCounts.length && !stillHolds(memberCounts[row], from)) row += 1;
    const under = memberCounts[row];
    const counts = under && covers(under, from) ? under.counts : [0, 0];
    const value: UnitCoverage = {
      state: single ? 'single' : joint ? 'joint' : work ? 'work-only' : 'uncovered',
      shouldEstablish: !single && (counts[1] ?? 0) >= shouldEstablishAt,
      members: counts[0] ?? 0,
      fullMembers: counts[1] ?? 0,
    };
    const last = segments.at(-1);
    if (last && last.to === from && sameCoverage(last.value, value)) last.to = to;
    else segments.push({ from, to, value });
  });
  return segments;
}

export const COVERAGE_COUNTERS = [
  'units',
  'single_covered',
  'joint_covered',
  'work_covered_only',
  'uncovered',
  'should_establish',
  'members',
] as const;

export interface UnitGroups {
  readonly regionCode: string;
  readonly industry: string;
  readonly buildingId: string | null;
  readonly parkId: string | null;
}

/** Group keys a unit counts under: `region:<code>`, `industry:<name>`, `building:<id>`, `park:<id>`. */
export function groupKeys(unit: UnitGroups): string[] {
  const keys = [`region:${unit.regionCode}`, `industry:${unit.industry}`];
  if (unit.buildingId) keys.push(`building:${unit.buildingId}`);
  if (unit.parkId) keys.push(`park:${unit.parkId}`);
  return keys;
}

export function coverageContribution(keys: readonly string[]): (value: UnitCoverage) => [string, number[]][] {
  return (value) => {
    const vector = [
      1,
      value.state === 'single' ? 1 : 0,
      value.state === 'joint' ? 1 : 0,
      value.state === 'work-only' ? 1 : 0,
      value.state === 'uncovered' ? 1 : 0,
      value.shouldEstablish ? 1 : 0,
      value.members,
    ];
    return keys.map((key) => [key, vector]);
  };
}
