import { addMonths, wholeMonthsBetween } from './calendar';

describe('addMonths', () => {
  it('keeps the day of the month', () => expect(addMonths('2023-09-15', 6)).toBe('2024-03-15'));
  it('falls back to the last day of a shorter month', () => {
    expect(addMonths('2023-08-31', 6)).toBe('2024-02-29');
    expect(addMonths('2023-08-31', 18)).toBe('2025-02-28');
  });
  it('crosses years both ways', () => {
    expect(addMonths('2024-11-30', 3)).toBe('2025-02-28');
    expect(addMonths('2024-01-15', -2)).toBe('2023-11-15');
  });
});

describe('wholeMonthsBetween', () => {
  it('counts a month only once its day is reached', () => {
    expect(wholeMonthsBetween('2023-09-30', '2024-03-29')).toBe(5);
    expect(wholeMonthsBetween('2023-09-30', '2024-03-30')).toBe(6);
  });
  it('counts from a month-end to the end of a shorter month', () =>
    expect(wholeMonthsBetween('2023-08-31', '2024-02-29')).toBe(6));
  it('is 0 for an earlier end', () => expect(wholeMonthsBetween('2024-03-01', '2024-02-01')).toBe(0));
});
