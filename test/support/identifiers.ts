// Valid identifiers for tests: the domain's example generators (public algorithms).
import { exampleCreditCode, exampleResidentId } from '@registry/domain';

export const creditCode = exampleCreditCode;
export const residentId = exampleResidentId;

/** Changes the check character: the number stays well-formed but fails its checksum. */
export function withWrongCheck(code: string): string {
  const last = code[code.length - 1]!;
  return code.slice(0, -1) + (last === '1' ? '2' : '1');
}
