import { regionLabel, regionRollup } from '@registry/projections';

describe('region labels and groupings', () => {
  it.each([
    ['310000', '上海市'],
    ['310100', '上海市市辖区'],
    ['310104', '徐汇区'],
    ['430602', '岳阳楼区'],
    ['430611', '君山区'],
  ])('labels %s as %s', (code, label) => expect(regionLabel(code)).toBe(label));

  it.each(['310108', '310199', 'unknown'])('reads a code not in use, %s, as itself', (code) =>
    expect(regionLabel(code)).toBe(code),
  );

  it('groups counties under a municipality by its 市辖区, whose label says whose it is', () => {
    const cities = regionRollup('310000');
    expect(cities).toMatchObject({ level: 'city', prefix: '31' });
    expect(regionLabel(cities.keyOf('310104'))).toBe('上海市市辖区');
    expect(regionRollup('310100')).toMatchObject({ level: 'county', prefix: '3101' });
    expect(regionLabel(regionRollup(undefined).keyOf('430602'))).toBe('湖南省');
  });
});
