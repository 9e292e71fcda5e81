/** Business dates are YYYY-MM-DD strings, months YYYY-MM; these helpers keep the arithmetic in UTC. */
function toDate(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

const iso = (date: Date): string => date.toISOString().slice(0, 10);

const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

/** The business date of an instant: the registry records Chinese organisations, so the date in Beijing (UTC+8, no DST). */
export function businessDateOf(instant: Date): string {
  return iso(new Date(instant.getTime() + BEIJING_OFFSET_MS));
}

export function addDays(day: string, days: number): string {
  const date = toDate(day);
  date.setUTCDate(date.getUTCDate() + days);
  return iso(date);
}

/** Same day of month a year later; 29 February becomes 1 March. */
export function addYears(day: string, years: number): string {
  const date = toDate(day);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return iso(date);
}

/** A YYYY-MM-DD string naming a day that exists (no 30 February). */
export function isRealDate(iso: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The same day `months` months later, or the month's last day where it has no such day (31 August + 6 → 28/29 February). */
export function addMonths(day: string, months: number): string {
  const date = toDate(day);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return iso(target);
}

/** Whole months from `from` to `to` (0 when `to` is earlier): the largest n with addMonths(from, n) ≤ to. */
export function wholeMonthsBetween(from: string, to: string): number {
  if (to < from) return 0;
  const [fy, fm] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const [ty, tm] = [Number(to.slice(0, 4)), Number(to.slice(5, 7))];
  let months = (ty - fy) * 12 + (tm - fm);
  if (addMonths(from, months) > to) months -= 1;
  return months;
}

/** The last day of a YYYY-MM month. */
export function lastDayOfMonth(month: string): string {
  return addDays(addMonths(`${month}-01`, 1), -1);
}
