import { DEFAULT_DEVELOPMENT_SETTINGS, type DevelopmentSettings } from './applicant/applicant';
import { DEFAULT_DUES_RATES, type DuesRates } from './member/dues';
import { DEFAULT_TRANSFER_SETTINGS, type TransferSettings } from './member/member';

/**
 * Local practice that DOMAIN.md makes settings, not constants: the registry's operator sets them
 * (README, configuration), and commands are decided under them. Events record what was decided
 * (a letter's validity, a member's monthly dues), so a changed setting never rewrites history.
 */
export interface RuleSettings {
  readonly transfers: TransferSettings;
  readonly duesRates: DuesRates;
  /** A joint branch generally covers at most this many units: above it, a warning, not a refusal. */
  readonly jointBranchAdvisedUnits: number;
  readonly development: DevelopmentSettings;
}

export const DEFAULT_RULE_SETTINGS: RuleSettings = {
  transfers: DEFAULT_TRANSFER_SETTINGS,
  duesRates: DEFAULT_DUES_RATES,
  jointBranchAdvisedUnits: 5,
  development: DEFAULT_DEVELOPMENT_SETTINGS,
};

/** Why a set of settings cannot be used, or null when it can. */
export function ruleSettingsProblem(settings: RuleSettings): string | null {
  const { withinProvinceDays, acrossProvincesDays, maximumDays } = settings.transfers;
  if (withinProvinceDays > maximumDays || acrossProvincesDays > maximumDays)
    return `a default letter validity (${withinProvinceDays}, ${acrossProvincesDays} days) exceeds the maximum (${maximumDays} days)`;
  for (const category of ['employed', 'retired'] as const) {
    const bounds = settings.duesRates[category].map((bracket) => bracket.upToFen);
    if (bounds.length === 0) return `the ${category} dues rates have no bracket`;
    if (bounds.at(-1) !== null) return `the last ${category} dues bracket must have no upper bound (upToFen: null)`;
    const rising = bounds.every((bound, i) => {
      const previous = i === 0 ? 0 : bounds[i - 1];
      return previous !== null && previous !== undefined && (bound === null || bound > previous);
    });
    if (!rising) return `the ${category} dues brackets must rise, each upToFen above the one before`;
  }
  return null;
}
