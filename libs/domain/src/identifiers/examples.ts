// Valid identifiers built with the same public algorithms the registry checks: for demo data,
// tests and benchmarks (never for real people).
import { CREDIT_ALPHABET, CREDIT_WEIGHTS } from './credit-code';
import { RESIDENT_ID_CHECKS, RESIDENT_ID_WEIGHTS } from './resident-id';

/** A unified social credit code (GB 32100) for an enterprise (91) in `region`, numbered by `serial`. */
export function exampleCreditCode(serial: number, region = '310115'): string {
  const body = `91${region}${String(serial).padStart(9, '0').slice(-9)}`;
  const sum = CREDIT_WEIGHTS.reduce((total, weight, i) => total + CREDIT_ALPHABET.indexOf(body.charAt(i)) * weight, 0);
  return body + CREDIT_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/** A resident ID number (GB 11643) with this birth date and gender, numbered by `serial` (0–499). */
export function exampleResidentId(
  birthDate: string,
  gender: 'male' | 'female',
  serial: number,
  region = '310115',
): string {
  const sequence = (serial % 500) * 2 + (gender === 'male' ? 1 : 0);
  const body = `${region}${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  const sum = RESIDENT_ID_WEIGHTS.reduce((total, weight, i) => total + Number(body[i]) * weight, 0);
  return body + RESIDENT_ID_CHECKS.charAt(sum % 11);
}
