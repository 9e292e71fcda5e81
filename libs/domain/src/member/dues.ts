/** 中组发〔2008〕3号: who pays what share of the monthly base. A setting; these are the defaults. */
export type DuesCategory = 'employed' | 'retired' | 'student' | 'unemployed' | 'other';

export interface DuesBracket {
  /** The bracket applies to bases up to and including this (fen); null = no upper bound. */
  readonly upToFen: number | null;
  /** Rate in basis points (1% = 100), applied to the whole base. */
  readonly basisPoints: number;
}

export interface DuesRates {
  readonly employed: readonly DuesBracket[];
  readonly retired: readonly DuesBracket[];
  /** Students, the unemployed, relief recipients and others: a fixed amount a month. */
  readonly fixedMonthlyFen: number;
}

export const DEFAULT_DUES_RATES: DuesRates = {
  employed: [
    { upToFen: 300_000, basisPoints: 50 },
    { upToFen: 500_000, basisPoints: 100 },
    { upToFen: 1_000_000, basisPoints: 150 },
    { upToFen: null, basisPoints: 200 },
  ],
  retired: [
    { upToFen: 500_000, basisPoints: 50 },
    { upToFen: null, basisPoints: 100 },
  ],
  fixedMonthlyFen: 20,
};

/** Monthly dues in fen: the bracket's rate on the whole base, rounded half up to the fen. */
export function monthlyDuesFen(
  category: DuesCategory,
  monthlyIncomeFen: number | undefined,
  rates: DuesRates = DEFAULT_DUES_RATES,
): number {
  if (category !== 'employed' && category !== 'retired') return rates.fixedMonthlyFen;
  if (monthlyIncomeFen === undefined) throw new RangeError(`a ${category} member's dues need the monthly income`);
  const bracket = rates[category].find((b) => b.upToFen === null || monthlyIncomeFen <= b.upToFen);
  if (!bracket) throw new RangeError(`the ${category} dues rates have no bracket for ${monthlyIncomeFen} fen`);
  return Math.floor((monthlyIncomeFen * bracket.basisPoints + 5_000) / 10_000);
}
