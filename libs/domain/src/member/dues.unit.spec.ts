import { monthlyDuesFen } from '@registry/domain';

describe('monthly dues (中组发〔2008〕3号 rate table)', () => {
  it.each([
    ['employed', 1_150_000, 23_000], // 11,500 yuan → 230 yuan: 2% of the whole base (DOMAIN.md)
    ['employed', 300_000, 1_500], // 3,000 yuan is still in the 0.5% bracket
    ['employed', 300_001, 3_000], // just above: 1% of the whole base
    ['employed', 500_000, 5_000],
    ['employed', 1_000_000, 15_000],
    ['employed', 123_457, 617], // 0.5% of 1,234.57 yuan = 6.17285 → 6.17 yuan
    ['retired', 500_000, 2_500],
    ['retired', 600_000, 6_000],
  ] as const)('%s with a base of %i fen pays %i fen', (category, income, dues) => {
    expect(monthlyDuesFen(category, income)).toBe(dues);
  });

  it.each(['student', 'unemployed', 'other'] as const)('%s pays the fixed 0.2 yuan', (category) => {
    expect(monthlyDuesFen(category, undefined)).toBe(20);
  });

  it('needs an income for employed and retired members', () => {
    expect(() => monthlyDuesFen('employed', undefined)).toThrow('need the monthly income');
  });
});
