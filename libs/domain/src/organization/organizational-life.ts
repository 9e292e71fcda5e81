import { addDays, addMonths, lastDayOfMonth } from '../calendar';
import { MEETING_KINDS, type MeetingKind } from './organization';

/**
 * How often each kind of meeting is due, in months (支部工作条例 art. 11–13, all settings): 0 means
 * the registry does not require it.
 */
export type MeetingFrequencies = Readonly<Record<MeetingKind, number>>;

export const DEFAULT_MEETING_FREQUENCIES: MeetingFrequencies = {
  'general-meeting': 3,
  'committee-meeting': 1,
  'group-meeting': 1,
  'party-lecture': 3,
  'theme-day': 1,
  'life-meeting': 12,
};

/** A calendar window in which one meeting of a kind is due: `[from, to]` as YYYY-MM-DD. */
export interface MeetingSlot {
  readonly from: string;
  readonly to: string;
}

/**
 * The windows of `everyMonths` months that fit wholly in the period `fromMonth`–`toMonth`
 * (YYYY-MM, inclusive), counted from its first month; a trailing part-window is not yet due.
 */
export function meetingSlots(fromMonth: string, toMonth: string, everyMonths: number): MeetingSlot[] {
  if (everyMonths <= 0) return [];
  const slots: MeetingSlot[] = [];
  const end = lastDayOfMonth(toMonth);
  for (let from = `${fromMonth}-01`; ; from = addMonths(from, everyMonths)) {
    const to = addDays(addMonths(from, everyMonths), -1);
    if (to > end) break;
    slots.push({ from, to });
  }
  return slots;
}

/** Parses `MEETING_FREQUENCIES` (`kind:months,…`); kinds left out keep their default. */
export function parseMeetingFrequencies(text: string | undefined): MeetingFrequencies {
  const frequencies: Record<MeetingKind, number> = { ...DEFAULT_MEETING_FREQUENCIES };
  for (const entry of (text ?? '').split(',').filter((part) => part.trim() !== '')) {
    const [kind, months] = entry.split(':').map((part) => part.trim());
    if (!MEETING_KINDS.includes(kind as MeetingKind))
      throw new Error(`MEETING_FREQUENCIES: ${kind} is not a kind of meeting (${MEETING_KINDS.join(', ')})`);
    if (!/^(0|[1-9]\d?)$/.test(months ?? '') || Number(months) > 24)
      throw new Error(`MEETING_FREQUENCIES: ${kind} needs a number of months from 0 (not required) to 24`);
    frequencies[kind as MeetingKind] = Number(months);
  }
  return frequencies;
}
