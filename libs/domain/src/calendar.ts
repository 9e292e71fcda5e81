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
