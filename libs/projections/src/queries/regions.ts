import { findRegion, type RegionLevel } from '@registry/domain';

export type { RegionLevel };

/** The GB/T 2260 name of a province, city or county; a code no longer (or never) in use reads as itself. */
export function regionLabel(code: string): string {
  return findRegion(code)?.label ?? code;
}

/**
 * Which level a region grouping answers at: below the given code (provinces when none), and the
 * prefix the member codes share. `310000` → cities of Shanghai; `310100` → its counties.
 */
export function regionRollup(regionCode: string | undefined): {
  level: RegionLevel;
  prefix: string;
  keyOf: (county: string) => string;
} {
  if (!regionCode) return { level: 'province', prefix: '', keyOf: (code) => `${code.slice(0, 2)}0000` };
  if (regionCode.endsWith('0000'))
    return { level: 'city', prefix: regionCode.slice(0, 2), keyOf: (code) => `${code.slice(0, 4)}00` };
  if (regionCode.endsWith('00')) return { level: 'county', prefix: regionCode.slice(0, 4), keyOf: (code) => code };
  return { level: 'county', prefix: regionCode, keyOf: (code) => code };
}
