import { parseStreamId, streamIdFor } from '@registry/contracts';

describe('stream names', () => {
  const memberId = '0190a6a2-7c1e-7a3b-9c2d-1e2f3a4b5c6d';

  it('puts the category before the first dash, so UUID dashes stay in the id', () => {
    expect(streamIdFor('member', memberId)).toBe(`member-${memberId}`);
    expect(parseStreamId(`member-${memberId}`)).toEqual({ category: 'member', aggregateId: memberId });
  });

  it('rejects unknown categories and empty ids', () => {
    expect(parseStreamId(`dues-${memberId}`)).toBeUndefined();
    expect(parseStreamId('member-')).toBeUndefined();
    expect(parseStreamId(memberId.replace(/-/g, ''))).toBeUndefined();
    expect(() => streamIdFor('unit', '')).toThrow('aggregate id is empty');
  });
});
