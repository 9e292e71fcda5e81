import { DEFAULT_MEETING_FREQUENCIES, meetingSlots, parseMeetingFrequencies } from './organizational-life';

describe('meeting windows (三会一课)', () => {
  it('cuts a year into the windows of each frequency', () => {
    expect(meetingSlots('2024-01', '2024-12', 3)).toEqual([
      { from: '2024-01-01', to: '2024-03-31' },
      { from: '2024-04-01', to: '2024-06-30' },
      { from: '2024-07-01', to: '2024-09-30' },
      { from: '2024-10-01', to: '2024-12-31' },
    ]);
    expect(meetingSlots('2024-01', '2024-12', 1)).toHaveLength(12);
    expect(meetingSlots('2024-02', '2024-02', 1)).toEqual([{ from: '2024-02-01', to: '2024-02-29' }]);
  });

  it('leaves out a trailing part-window and a kind not required', () => {
    expect(meetingSlots('2024-01', '2024-05', 3)).toEqual([{ from: '2024-01-01', to: '2024-03-31' }]);
    expect(meetingSlots('2024-01', '2024-11', 12)).toEqual([]);
    expect(meetingSlots('2024-01', '2024-12', 0)).toEqual([]);
  });

  it('reads frequencies from a setting, keeping the defaults for kinds left out', () => {
    expect(parseMeetingFrequencies(undefined)).toEqual(DEFAULT_MEETING_FREQUENCIES);
    expect(parseMeetingFrequencies('party-lecture:1, group-meeting:0')).toEqual({
      ...DEFAULT_MEETING_FREQUENCIES,
      'party-lecture': 1,
      'group-meeting': 0,
    });
    expect(() => parseMeetingFrequencies('tea-party:1')).toThrow(/tea-party is not a kind of meeting/);
    expect(() => parseMeetingFrequencies('theme-day:-1')).toThrow(/theme-day needs a number of months/);
    expect(() => parseMeetingFrequencies('theme-day')).toThrow(/theme-day needs a number of months/);
  });
});
