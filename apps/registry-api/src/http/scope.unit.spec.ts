import { regionWithin } from './scope';

describe('regionWithin', () => {
  it.each([
    ['310104', '310104', true],
    ['310105', '310104', false],
    ['310105', '310100', true],
    ['320105', '310100', false],
    ['310105', '310000', true],
    ['430602', '310000', false],
    ['3101', '310000', false],
  ])('region %s inside an organisation of region %s: %s', (region, organizationRegion, inside) => {
    expect(regionWithin(region, organizationRegion)).toBe(inside);
  });
});
