/** Names of GB/T 2260 areas the registry's reports meet most (provinces, and the seed areas). */
const REGION_NAMES: Readonly<Record<string, string>> = {
  '110000': '北京市',
  '120000': '天津市',
  '130000': '河北省',
  '140000': '山西省',
  '150000': '内蒙古自治区',
  '210000': '辽宁省',
  '220000': '吉林省',
  '230000': '黑龙江省',
  '310000': '上海市',
  '320000': '江苏省',
  '330000': '浙江省',
  '340000': '安徽省',
  '350000': '福建省',
  '360000': '江西省',
  '370000': '山东省',
  '410000': '河南省',
  '420000': '湖北省',
  '430000': '湖南省',
  '440000': '广东省',
  '450000': '广西壮族自治区',
  '460000': '海南省',
  '500000': '重庆市',
  '510000': '四川省',
  '520000': '贵州省',
  '530000': '云南省',
  '540000': '西藏自治区',
  '610000': '陕西省',
  '620000': '甘肃省',
  '630000': '青海省',
  '640000': '宁夏回族自治区',
  '650000': '新疆维吾尔自治区',
  '710000': '台湾省',
  '810000': '香港特别行政区',
  '820000': '澳门特别行政区',
  '310100': '上海市市辖区',
  '310101': '黄浦区',
  '310104': '徐汇区',
  '310105': '长宁区',
  '310106': '静安区',
  '310107': '普陀区',
  '310115': '浦东新区',
  '330100': '杭州市',
  '350600': '漳州市',
  '350603': '龙文区',
  '430600': '岳阳市',
  '430602': '岳阳楼区',
  '430611': '城陵矶新港区',
};

export function regionLabel(code: string): string {
  return REGION_NAMES[code] ?? code;
}

export type RegionLevel = 'province' | 'city' | 'county';

/**
 * Which level a region grouping answers at: below the given code (provinces when none), and the
 * prefix the member codes share. `310000` → cities of Shanghai; `310100` → its counties.
 */
export function regionRollup(regionCode: string | undefined): {
  level: RegionLevel;
  prefix: string;
  keyOf: (county: string) => string;
} {
  if (!regionCode) return { level: 'province', prefix: '', keyOf: (code) => `${code.slice(0, 2)}0000` };
  if (regionCode.endsWith('0000'))
    return { level: 'city', prefix: regionCode.slice(0, 2), keyOf: (code) => `${code.slice(0, 4)}00` };
  if (regionCode.endsWith('00')) return { level: 'county', prefix: regionCode.slice(0, 4), keyOf: (code) => code };
  return { level: 'county', prefix: regionCode, keyOf: (code) => code };
}
