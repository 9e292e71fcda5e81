import { hostOrgOn } from './hosted-on';

describe('the host of an inflowing member on a date', () => {
  const recordedAt = new Date('2025-01-01T00:00:00Z');
  const registered = {
    type: 'InflowingMemberRegistered',
    data: { inflowingMemberId: 'i1', hostOrgId: 'host', since: '2023-03-01' },
    recordedAt,
  };
  const departed = {
    type: 'InflowingMemberDeparted',
    data: { inflowingMemberId: 'i1', effectiveOn: '2024-06-01' },
    recordedAt,
  };

  it('is the host from arrival until, not including, the day the inflow ended', () => {
    expect(hostOrgOn([registered, departed], '2023-02-28')).toBeNull();
    expect(hostOrgOn([registered, departed], '2023-03-01')).toBe('host');
    expect(hostOrgOn([registered, departed], '2024-05-31')).toBe('host');
    expect(hostOrgOn([registered, departed], '2024-06-01')).toBeNull();
    expect(hostOrgOn([], '2024-01-01')).toBeNull();
  });
});
