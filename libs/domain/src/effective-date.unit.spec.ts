import { effectiveOnOf } from './effective-date';

describe('effectiveOnOf', () => {
  it('takes the date the event states, by precedence', () => {
    expect(effectiveOnOf({ data: { effectiveOn: '2024-03-01', since: '2024-01-01' } })).toBe('2024-03-01');
    expect(effectiveOnOf({ data: { paidOn: '2024-05-10' } })).toBe('2024-05-10');
    expect(effectiveOnOf({ data: { establishedOn: '2010-01-01' }, recordedAt: new Date('2026-01-01T00:00:00Z') })).toBe(
      '2010-01-01',
    );
  });

  it('gives null for an unrecorded event that states no date', () => {
    expect(effectiveOnOf({ data: { reason: 'letter lost' } })).toBeNull();
  });

  it('dates a recorded event that states none by its Beijing recording day, not the UTC day', () => {
    // 2026-03-01T23:30Z is 07:30 on 2 March in Beijing.
    expect(effectiveOnOf({ data: { reason: 'x' }, recordedAt: new Date('2026-03-01T23:30:00Z') })).toBe('2026-03-02');
  });
});
