import { checkRegionCode, OK, refuse, type IdentifierCheck } from './region-code';

export const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Unified social credit code, GB 32100-2015: 18 characters, check character by mod 31. */
export function checkCreditCode(code: string): IdentifierCheck {
  if (code.length !== 18) return refuse('must have 18 characters');
  const values = [...code].map((char) => CREDIT_ALPHABET.indexOf(char));
  const bad = values.findIndex((value) => value < 0);
  if (bad >= 0) return refuse(`character ${bad + 1} (${code[bad]}) is not in the code alphabet`);
  const region = checkRegionCode(code.slice(2, 8));
  if (!region.ok) return refuse(`region code in positions 3–8 ${region.reason}`);
  const sum = CREDIT_WEIGHTS.reduce((total, weight, i) => total + (values[i] ?? 0) * weight, 0);
  const check = CREDIT_ALPHABET[(31 - (sum % 31)) % 31];
  return code[17] === check ? OK : refuse(`check character should be ${check}`);
}
