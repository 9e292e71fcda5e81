import { isRealDate } from '../calendar';
import { checkRegionCode, OK, refuse, type IdentifierCheck } from './region-code';

export const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
export const RESIDENT_ID_CHECKS = '10X98765432';

export interface ResidentIdFacts {
  /** YYYY-MM-DD as registered; must be the date in the number. */
  readonly birthDate?: string;
  readonly gender?: 'male' | 'female';
  /** Today's date (YYYY-MM-DD): a birth date after it is refused. Passed in to keep this pure. */
  readonly today: string;
}

/**
 * Resident identity number, GB 11643-1999: area, real birth date, sequence (odd male, even female)
 * and mod 11 check character; birth date and gender must agree with what is registered.
 * Reasons never repeat the number itself: it is personal data.
 */
export function checkResidentId(id: string, facts: ResidentIdFacts): IdentifierCheck {
  if (!/^\d{17}[\dXx]$/.test(id)) return refuse('must be 17 digits and a digit or X');
  const area = checkRegionCode(id.slice(0, 6));
  if (!area.ok) return refuse(`area code ${area.reason}`);
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isRealDate(birth)) return refuse('birth date in the number is not a real date');
  if (birth > facts.today) return refuse('birth date in the number is after today');
  const sum = RESIDENT_ID_WEIGHTS.reduce((total, weight, i) => total + Number(id[i]) * weight, 0);
  if (id.charAt(17).toUpperCase() !== RESIDENT_ID_CHECKS.charAt(sum % 11))
    return refuse('check character does not match');
  if (facts.birthDate !== undefined && facts.birthDate !== birth) {
    return refuse('birth date does not agree with the number');
  }
  const gender = Number(id[16]) % 2 === 1 ? 'male' : 'female';
  if (facts.gender !== undefined && facts.gender !== gender) return refuse('gender does not agree with the number');
  return OK;
}
