// Valid identifiers for tests, built with the same public algorithms the registry checks.
const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECKS = '10X98765432';

/** A unified social credit code (GB 32100) for an enterprise (91) in `region`, numbered by `serial`. */
export function creditCode(serial: number, region = '310115'): string {
  const body = `91${region}${String(serial).padStart(9, '0').slice(-9)}`;
  const sum = CREDIT_WEIGHTS.reduce((total, weight, i) => total + CREDIT_ALPHABET.indexOf(body[i]!) * weight, 0);
  return body + CREDIT_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** A resident ID number (GB 11643) with this birth date and gender, numbered by `serial` (0–499). */
export function residentId(birthDate: string, gender: 'male' | 'female', serial: number, region = '310115'): string {
  const sequence = serial * 2 + (gender === 'male' ? 1 : 0);
  const body = `${region}${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  const sum = ID_WEIGHTS.reduce((total, weight, i) => total + Number(body[i]) * weight, 0);
  return body + ID_CHECKS[sum % 11]!;
}

/** Changes the check character: the number stays well-formed but fails its checksum. */
export function withWrongCheck(code: string): string {
  const last = code[code.length - 1]!;
  return code.slice(0, -1) + (last === '1' ? '2' : '1');
}
