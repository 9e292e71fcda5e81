/** Business dates are YYYY-MM-DD strings, months YYYY-MM; these helpers keep the arithmetic in UTC. */
function toDate(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

const iso = (date: Date): string => date.toISOString().slice(0, 10);

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

export const monthOf = (day: string): string => day.slice(0, 7);
