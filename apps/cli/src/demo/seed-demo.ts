import { v5 as uuidv5 } from 'uuid';
import { addDays, addMonths as addMonthsToDay, addYears, exampleCreditCode, exampleResidentId } from '@registry/domain';
import { addMonths } from '@registry/projections';

/** How the seed talks to the registry: the public HTTP API, nothing else. */
export interface DemoApi {
  post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  get(path: string): Promise<{ status: number; body: Record<string, unknown> }>;
}

export class DemoRefused extends Error {
  override readonly name = 'DemoRefused';
}

const NAMESPACE = '6f1d8e2a-3c4b-5d6e-8f70-81a2b3c4d5e6';
/** Fixed ids, so a second run finds the first one's data instead of duplicating it. */
const idOf = (name: string): string => uuidv5(`liangxin-demo:${name}`, NAMESPACE);

function nth<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`the demo data set has no item ${index} of ${items.length}`);
  return item;
}

export const DEMO_IDS = {
  group: idOf('org:ciic-group'),
  shanghai: idOf('org:ciic-shanghai'),
  xingang: idOf('org:xingang-flowing-committee'),
  longwen: idOf('org:longwen-committee'),
} as const;

export interface DemoSummary {
  readonly alreadySeeded: boolean;
  readonly requests: number;
  readonly lastPosition: string;
  readonly ids: typeof DEMO_IDS & {
    readonly districts: Record<string, string>;
    readonly enterpriseGeneralBranches: Record<string, string>;
  };
}

interface District {
  readonly key: string;
  readonly name: string;
  readonly code: string;
  /** Huangpu and Jing'an are joint general branches over small firms. */
  readonly joint: boolean;
  readonly enterprises: readonly string[];
  readonly smallFirms: readonly string[];
}

const DISTRICTS: readonly District[] = [
  {
    key: 'xuhui',
    name: '徐汇区',
    code: '310104',
    joint: false,
    enterprises: ['汇智软件', '徐家汇数据科技', '漕河泾智能制造'],
    smallFirms: [],
  },
  {
    key: 'changning',
    name: '长宁区',
    code: '310105',
    joint: false,
    enterprises: ['虹桥航空服务', '长宁跨境电商'],
    smallFirms: [],
  },
  {
    key: 'pudong',
    name: '浦东新区',
    code: '310115',
    joint: false,
    enterprises: ['张江生物医药', '陆家嘴金融信息', '金桥新能源'],
    smallFirms: [],
  },
  {
    key: 'huangpu',
    name: '黄浦区',
    code: '310101',
    joint: true,
    enterprises: [],
    smallFirms: ['外滩设计工作室', '南京东路文创', '豫园茶艺'],
  },
  {
    key: 'jingan',
    name: '静安区',
    code: '310106',
    joint: true,
    enterprises: [],
    smallFirms: ['静安寺咨询', '愚园路设计'],
  },
];

/** One building in Jing'an whose small firms share a joint branch (联合党支部). */
const BUILDING = { id: 'jingan-kerry-centre', firms: ['嘉里中心律所', '嘉里中心猎头', '嘉里中心翻译'] };

const ENTERPRISE_GENERAL_BRANCHES = [
  {
    key: 'cisco',
    name: '思科（中国）研发中心党总支',
    unit: '思科（中国）研发中心',
    branches: ['思科研发第一党支部', '思科研发第二党支部'],
  },
  {
    key: 'gm',
    name: '通用汽车（中国）党总支',
    unit: '通用汽车（中国）投资',
    branches: ['通用汽车第一党支部', '通用汽车第二党支部'],
  },
];

/**
 * 岳阳城陵矶新港区: a flowing-member committee with 6 branches and 112 flowing members. The zone has no
 * GB/T 2260 code of its own: its 城陵矶街道 lies in 岳阳楼区.
 */
const XINGANG = {
  regionCode: '430602',
  branches: 6,
  homeOrganizations: [
    { name: '岳阳县两新组织党委', code: '430621' },
    { name: '华容县两新组织党委', code: '430623' },
    { name: '湘阴县两新组织党委', code: '430624' },
    { name: '监利市两新组织党委', code: '421088' },
  ],
  // owners 19%, technical workers 71%, mobile talent 10% of 112
  occupations: [
    { occupation: 'owner', count: 21 },
    { occupation: 'technical-worker', count: 80 },
    { occupation: 'mobile-talent', count: 11 },
  ],
};

/**
 * 漳州龙文区: 397 employees of non-public enterprises applied to join (入党申请). The demo spreads them
 * over the four years before this one and takes some through the whole pipeline (发展党员): interview,
 * activist, candidate after a year, training, admission by the branch, approval by the committee.
 */
export const LONGWEN = {
  regionCode: '350603',
  branches: ['朝阳', '蓝田', '步文', '郭坑'],
  /** Last year's star ratings of the four branches (星级创建). */
  stars: [5, 4, 3, 2],
  applications: 397,
  /** Last year's 三会一课: every branch holds all it owes but the last, which skips two theme days and a quarter's general meeting. */
  shortOfQuota: '郭坑',
  missedThemeDayMonths: [5, 9],
  missedGeneralMeetingQuarter: 4,
  /** In that branch, the third member attends nothing after June. */
  absentFromJuly: 2,
  /** 网格联建: six industry grids, each led by one of the branches rated 4 or 5 stars, of two firms each. */
  grids: [
    { name: '电子信息产业网格', industry: 'electronics' },
    { name: '食品加工产业网格', industry: 'food' },
    { name: '商贸物流产业网格', industry: 'logistics' },
    { name: '建材产业网格', industry: 'building-materials' },
    { name: '现代服务业网格', industry: 'services' },
    { name: '社会组织网格', industry: 'social-services' },
  ],
  /** Applicant `k` of a cohort (year −4 … −1, cohort 0 … 3): made an activist two months after applying. */
  activistsOf: (cohort: number, k: number) => cohort <= 1 && k % 2 === 0,
  /** Of the activists of the first two cohorts: candidates a year and more later, then trained and admitted. */
  candidatesOf: (cohort: number, k: number) => cohort <= 1 && k % 6 === 0,
  /** Of the admitted: those the committee approved (the rest wait, and show as overdue approvals). */
  approvedOf: (cohort: number, k: number) => cohort === 0 || k % 12 === 0,
  withdrawnOf: (cohort: number, k: number) => cohort === 2 && k % 20 === 1,
} as const;

/** 新港区: 吸收转化党员126名: flowing members who moved their relation to Xingang (ended inflows, converted). */
const XINGANG_TRANSFERRED_IN = 126;

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '朱', '马', '胡', '郭'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超'];

/**
 * The demo data set of DOMAIN.md "Figures from the seeds", written through the public API:
 * the CIIC group committee → Shanghai company committee → district general branches (Xuhui,
 * Changning, Pudong; Huangpu and Jing'an as joint general branches) and enterprise general branches
 * (Cisco R&D, General Motors) → enterprise branches of 5+ full members; a joint branch of small
 * firms in one building; the Xingang flowing-member committee with 6 branches and 112 flowing
 * members (19% / 71% / 10% by occupation); transfers, some overdue; dues with some arrears.
 * Dates are relative to `today` so that "overdue" and "arrears" hold whenever it runs.
 */
export async function seedDemo(
  api: DemoApi,
  today: string,
  progress: (requests: number) => void = () => undefined,
): Promise<DemoSummary> {
  const districts: Record<string, string> = {};
  const enterpriseGeneralBranches: Record<string, string> = {};
  for (const d of DISTRICTS) districts[d.key] = idOf(`org:district:${d.key}`);
  for (const e of ENTERPRISE_GENERAL_BRANCHES) enterpriseGeneralBranches[e.key] = idOf(`org:egb:${e.key}`);
  const ids = { ...DEMO_IDS, districts, enterpriseGeneralBranches };

  const existing = await api.get(`/v1/streams/organization-${DEMO_IDS.group}`);
  if (existing.status === 200) return { alreadySeeded: true, requests: 1, lastPosition: '0', ids };

  let requests = 0;
  let lastPosition = '0';
  let serial = 0;
  const send = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const reply = await api.post(path, body);
    requests += 1;
    if (requests % 25 === 0) progress(requests);
    if (reply.status >= 300)
      throw new DemoRefused(`POST ${path} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    if (typeof reply.body.position === 'string') lastPosition = reply.body.position;
    return reply.body;
  };
  const months12Ago = addMonths(today.slice(0, 7), -12);
  const longAgo = '2015-01-01';

  const unit = async (
    key: string,
    name: string,
    regionCode: string,
    extra: Record<string, unknown> = {},
  ): Promise<string> => {
    const id = idOf(`unit:${key}`);
    await send('/v1/units', {
      id,
      name,
      creditCode: exampleCreditCode(++serial, regionCode),
      kind: 'enterprise',
      regionCode,
      industry: 'services',
      registeredOn: '2012-01-01',
      ...extra,
    });
    return id;
  };
  const organization = async (key: string, body: Record<string, unknown>): Promise<string> => {
    const id = idOf(key);
    await send('/v1/organizations', { id, unitIds: [], establishedOn: longAgo, ...body });
    return id;
  };
  /** A made-up person: name, resident ID number (of the given area), gender and birth date. */
  const person = (n: number, region = '310104') => {
    const gender = n % 2 === 0 ? 'female' : 'male';
    const birthDate = addDays('1970-01-01', (n * 37) % 9000);
    return {
      name: `${SURNAMES[n % SURNAMES.length]}${GIVEN[(n * 7) % GIVEN.length]}`,
      idNumber: exampleResidentId(birthDate, gender, n, region),
      gender,
      birthDate,
    };
  };
  const member = async (
    orgId: string,
    options: { unitId?: string; status?: 'full' | 'probationary'; occupation?: string; region?: string } = {},
  ): Promise<string> => {
    const n = ++serial;
    const id = idOf(`member:${n}`);
    await send('/v1/members', {
      id,
      ...person(n, options.region),
      joinedOn: '2016-07-01',
      status: options.status ?? 'full',
      orgId,
      ...(options.unitId ? { unitId: options.unitId } : {}),
      occupation: options.occupation ?? 'technical-worker',
      effectiveOn: '2018-01-01',
    });
    return id;
  };

  // The pyramid: group → Shanghai company → district and enterprise general branches → branches.
  await organization('org:ciic-group', {
    name: '中智集团党委',
    level: 'committee',
    form: 'industry',
    regionCode: '110000',
  });
  await organization('org:ciic-shanghai', {
    name: '中智上海公司党委',
    level: 'committee',
    form: 'industry',
    parentId: DEMO_IDS.group,
    regionCode: '310000',
  });
  const shanghaiMembers: { id: string; orgId: string }[] = [];
  const enterpriseBranch = async (
    key: string,
    name: string,
    parentId: string,
    unitId: string,
    regionCode: string,
  ): Promise<string> => {
    const orgId = await organization(key, {
      name,
      level: 'branch',
      form: 'single',
      parentId,
      regionCode,
      unitIds: [unitId],
    });
    for (let i = 0; i < 6; i++)
      shanghaiMembers.push({ id: await member(orgId, { unitId, status: i < 5 ? 'full' : 'probationary' }), orgId });
    return orgId;
  };
  for (const d of DISTRICTS) {
    const firms = [];
    for (const firm of d.smallFirms) firms.push(await unit(`firm:${firm}`, firm, d.code, { employeeCount: 12 }));
    const districtId = await organization(`org:district:${d.key}`, {
      name: `中智上海${d.name}${d.joint ? '联合' : ''}党总支`,
      level: 'general-branch',
      form: d.joint ? 'joint' : 'regional',
      parentId: DEMO_IDS.shanghai,
      regionCode: d.code,
      unitIds: firms,
    });
    for (const firmId of firms)
      shanghaiMembers.push({ id: await member(districtId, { unitId: firmId }), orgId: districtId });
    for (const enterprise of d.enterprises) {
      const unitId = await unit(`enterprise:${enterprise}`, `${enterprise}有限公司`, d.code, { employeeCount: 300 });
      await enterpriseBranch(`org:branch:${enterprise}`, `中智${enterprise}党支部`, districtId, unitId, d.code);
    }
  }
  for (const e of ENTERPRISE_GENERAL_BRANCHES) {
    const unitId = await unit(`enterprise:${e.key}`, e.unit, '310115', {
      employeeCount: 3000,
      parkId: 'zhangjiang-park',
    });
    const generalBranchId = await organization(`org:egb:${e.key}`, {
      name: e.name,
      level: 'general-branch',
      form: 'single',
      parentId: DEMO_IDS.shanghai,
      regionCode: '310115',
      unitIds: [unitId],
    });
    for (const branch of e.branches)
      await enterpriseBranch(`org:branch:${branch}`, branch, generalBranchId, unitId, '310115');
  }
  // A joint branch of the small firms in one Jing'an building.
  const buildingFirms = [];
  for (const firm of BUILDING.firms)
    buildingFirms.push(await unit(`firm:${firm}`, firm, '310106', { buildingId: BUILDING.id, employeeCount: 8 }));
  const buildingBranch = await organization('org:building-joint-branch', {
    name: '静安嘉里中心联合党支部',
    level: 'branch',
    form: 'joint',
    parentId: districts.jingan,
    regionCode: '310106',
    unitIds: buildingFirms,
  });
  for (const firmId of buildingFirms)
    for (let i = 0; i < 2; i++)
      shanghaiMembers.push({ id: await member(buildingBranch, { unitId: firmId }), orgId: buildingBranch });
  // 应建未建: three full members in a Pudong firm with no organisation of its own; work coverage by an instructor elsewhere.
  const logistics = await unit('firm:pudong-logistics', '浦东某物流有限公司', '310115', { employeeCount: 80 });
  for (let i = 0; i < 3; i++) await member(idOf('org:district:pudong'), { unitId: logistics });
  const consulting = await unit('firm:changning-consulting', '长宁某咨询有限公司', '310105', { employeeCount: 20 });
  await send(`/v1/units/${consulting}/instructors`, { name: '党建指导员 陈静', assignedOn: addDays(today, -200) });
  await unit('firm:xuhui-startup', '徐汇某初创公司', '310104', { employeeCount: 6 });

  // Transfers: three letters past their validity and never accepted (口袋党员 risk), two pending, one accepted.
  const xuhuiBranch = idOf('org:branch:汇智软件');
  const xuhuiMembers = shanghaiMembers.filter((m) => m.orgId === xuhuiBranch);
  for (const m of xuhuiMembers.slice(0, 3)) {
    await send(`/v1/members/${m.id}/transfers`, {
      to: { external: { name: '北京市朝阳区某街道党工委', regionCode: '110105' } },
      effectiveOn: addDays(today, -120),
      validUntil: addDays(today, -30),
      letterNo: `沪智组转字〔${today.slice(0, 4)}〕${String(++serial).padStart(3, '0')}号`,
    });
  }
  const changningBranch = idOf('org:branch:虹桥航空服务');
  for (const m of xuhuiMembers.slice(3, 5))
    await send(`/v1/members/${m.id}/transfers`, { to: { orgId: changningBranch }, effectiveOn: addDays(today, -5) });
  // The probationary member moves, so the Pudong branch keeps its five full members.
  const pudongMember = nth(
    shanghaiMembers.filter((m) => m.orgId === idOf('org:branch:张江生物医药')),
    5,
  );
  const accepted = await send(`/v1/members/${pudongMember.id}/transfers`, {
    to: { orgId: xuhuiBranch },
    effectiveOn: addDays(today, -60),
  });
  await send(`/v1/members/${pudongMember.id}/transfers/${String(accepted.transferId)}/accept`, {
    effectiveOn: addDays(today, -50),
  });

  // Dues: every enterprise-branch member assessed a year ago; most paid up to last month, one branch only for three months.
  const arrearsBranch = idOf('org:branch:通用汽车第二党支部');
  const lastMonth = addMonths(today.slice(0, 7), -1);
  for (const m of shanghaiMembers.filter(
    (x) => x.orgId !== buildingBranch && !Object.values(districts).includes(x.orgId),
  )) {
    const assessment = await send(`/v1/members/${m.id}/dues/assessments`, {
      from: months12Ago,
      category: 'employed',
      monthlyIncomeFen: 1_150_000,
    });
    const monthly = Number(assessment.monthlyDuesFen);
    const paidThrough = m.orgId === arrearsBranch ? addMonths(months12Ago, 2) : lastMonth;
    const months: string[] = [];
    for (let month = months12Ago; month <= paidThrough; month = addMonths(month, 1)) months.push(month);
    await send(`/v1/members/${m.id}/dues/payments`, {
      months,
      amountFen: monthly * months.length,
      paidOn: addDays(today, -3),
      channel: 'bank-transfer',
    });
  }

  // Committees (换届) for the enterprise branches: a secretary and a deputy each, as branches under 7 full
  // members elect. Most were elected a year ago; one term ends within 6 months, one ended 2 months ago.
  const enterpriseBranchIds = [...new Set(shanghaiMembers.map((m) => m.orgId))].filter(
    (orgId) => orgId !== buildingBranch && !Object.values(districts).includes(orgId),
  );
  for (const [i, orgId] of enterpriseBranchIds.entries()) {
    const [secretary, deputy] = shanghaiMembers.filter((m) => m.orgId === orgId);
    if (!secretary || !deputy) continue;
    const threeYearsAgo = addYears(today, -3);
    const electedOn =
      i === 0 ? addMonthsToDay(threeYearsAgo, 3) : i === 1 ? addMonthsToDay(threeYearsAgo, -2) : addYears(today, -1);
    await send(`/v1/organizations/${orgId}/committee`, {
      electedOn,
      members: [
        { memberId: secretary.id, role: 'secretary' },
        { memberId: deputy.id, role: 'deputy-secretary' },
      ],
    });
  }

  // Xingang: the flowing-member committee, its six branches, and 112 members flowing in from four home
  // organisations outside the registry (流入党员: their relation stays at home).
  await organization('org:xingang-flowing-committee', {
    name: '城陵矶新港区流动党员党委',
    level: 'committee',
    form: 'flowing',
    regionCode: XINGANG.regionCode,
  });
  const hosts: string[] = [];
  for (let i = 1; i <= XINGANG.branches; i++) {
    hosts.push(
      await organization(`org:xingang-branch:${i}`, {
        name: `新港区流动党员第${'一二三四五六'[i - 1]}党支部`,
        level: 'branch',
        form: 'flowing',
        parentId: DEMO_IDS.xingang,
        regionCode: XINGANG.regionCode,
      }),
    );
  }
  let flowing = 0;
  for (const { occupation, count } of XINGANG.occupations) {
    for (let i = 0; i < count; i++, flowing++) {
      const home = nth(XINGANG.homeOrganizations, flowing % XINGANG.homeOrganizations.length);
      const n = ++serial;
      await send('/v1/inflowing-members', {
        id: idOf(`inflow:${n}`),
        ...person(n, home.code),
        home: { name: home.name, regionCode: home.code },
        hostOrgId: hosts[flowing % hosts.length],
        since: addDays(today, -(40 + flowing)),
        occupation,
        certificateNo: `流动证-${String(flowing + 1).padStart(4, '0')}`,
      });
    }
  }
  // 126 more came as flowing members and then transferred their relation in: converted inflows.
  for (let i = 0; i < XINGANG_TRANSFERRED_IN; i++) {
    const home = nth(XINGANG.homeOrganizations, i % XINGANG.homeOrganizations.length);
    const n = ++serial;
    const someone = person(n, home.code);
    await send('/v1/inflowing-members', {
      id: idOf(`inflow:${n}`),
      ...someone,
      home: { name: home.name, regionCode: home.code },
      hostOrgId: hosts[i % hosts.length],
      since: addDays(today, -(700 + i)),
      occupation: i % 5 === 0 ? 'owner' : 'technical-worker',
    });
    await send('/v1/members', {
      id: idOf(`member:${n}`),
      ...someone,
      joinedOn: '2012-07-01',
      status: 'full',
      orgId: hosts[i % hosts.length],
      occupation: i % 5 === 0 ? 'owner' : 'technical-worker',
      effectiveOn: addDays(today, -(300 + i)),
      origin: {
        external: { name: home.name, regionCode: home.code, letterNo: `湘组转〔${today.slice(0, 4)}〕${1000 + i}号` },
      },
    });
  }

  await seedLongwen(today, send, { unit, organization, member, person, next: () => ++serial });
  progress(requests);
  return { alreadySeeded: false, requests, lastPosition, ids };
}

interface SeedTools {
  unit(key: string, name: string, regionCode: string, extra?: Record<string, unknown>): Promise<string>;
  organization(key: string, body: Record<string, unknown>): Promise<string>;
  member(orgId: string, options?: { unitId?: string; region?: string }): Promise<string>;
  person(n: number, region?: string): { name: string; idNumber: string; gender: string; birthDate: string };
  next(): number;
}

/** Longwen's committee, four enterprise branches of three full members each, and 397 applicants in the pipeline. */
async function seedLongwen(
  today: string,
  send: (path: string, body: unknown) => Promise<Record<string, unknown>>,
  tools: SeedTools,
): Promise<void> {
  await tools.organization('org:longwen-committee', {
    name: '龙文区非公有制经济组织和社会组织党委',
    level: 'committee',
    form: 'regional',
    regionCode: LONGWEN.regionCode,
  });
  const branches: { orgId: string; unitId: string; fullMembers: string[] }[] = [];
  for (const town of LONGWEN.branches) {
    const unitId = await tools.unit(`enterprise:longwen:${town}`, `龙文${town}实业有限公司`, LONGWEN.regionCode, {
      employeeCount: 150,
    });
    const orgId = await tools.organization(`org:longwen-branch:${town}`, {
      name: `龙文${town}实业有限公司党支部`,
      level: 'branch',
      form: 'single',
      parentId: DEMO_IDS.longwen,
      regionCode: LONGWEN.regionCode,
      unitIds: [unitId],
    });
    const fullMembers = [];
    for (let i = 0; i < 3; i++) fullMembers.push(await tools.member(orgId, { unitId, region: LONGWEN.regionCode }));
    branches.push({ orgId, unitId, fullMembers });
  }
  // 星级创建 for last year: the four branches rated 5, 4, 3 and 2 stars (one exemplary pair, one to rectify).
  const lastYear = Number(today.slice(0, 4)) - 1;
  for (const [i, branch] of branches.entries())
    await send(`/v1/organizations/${branch.orgId}/ratings`, {
      year: lastYear,
      stars: nth(LONGWEN.stars, i),
      ratedOn: `${lastYear}-12-20`,
    });
  for (const [i, branch] of branches.entries())
    await seedMeetings(send, lastYear, branch, nth(LONGWEN.branches, i) === LONGWEN.shortOfQuota);
  const exemplary = branches.filter((_, i) => nth(LONGWEN.stars, i) >= 4);
  for (const [g, grid] of LONGWEN.grids.entries()) {
    const unitIds = [];
    for (let k = 0; k < 2; k++)
      unitIds.push(
        await tools.unit(
          `enterprise:longwen:grid:${g}:${k}`,
          `龙文${grid.name.slice(0, 2)}企业${k + 1}`,
          LONGWEN.regionCode,
          {
            industry: grid.industry,
            employeeCount: 30,
          },
        ),
      );
    await send('/v1/grids', {
      id: idOf(`grid:longwen:${g}`),
      name: `龙文区${grid.name}`,
      regionCode: LONGWEN.regionCode,
      leadOrgId: nth(exemplary, g % exemplary.length).orgId,
      // The lead's own firm is in its grid too.
      unitIds: g < exemplary.length ? [nth(exemplary, g).unitId, ...unitIds] : unitIds,
      establishedOn: `${lastYear}-12-28`,
    });
  }
  // 积分定等 this year for the first branch's members: one recommended for honours, one to be helped.
  const thisYear = lastYear + 1;
  const pointsOf = [
    { delta: 50, category: '志愿服务', reason: '社区志愿服务' },
    { delta: -150, category: '组织生活', reason: '缺席主题党日' },
    { delta: -600, category: '组织生活', reason: '连续缺席组织生活' },
  ];
  for (const [i, memberId] of nth(branches, 0).fullMembers.entries())
    await send(`/v1/members/${memberId}/points`, {
      year: thisYear,
      ...nth(pointsOf, i),
      recordedOn: today,
    });
  const firstYear = Number(today.slice(0, 4)) - 4;
  for (let index = 0; index < LONGWEN.applications; index++) {
    const [cohort, k] = [index % 4, Math.floor(index / 4)];
    const branch = nth(branches, k % branches.length);
    const [secretary = '', contact = '', introducer = ''] = branch.fullMembers;
    const applicantId = idOf(`applicant:${index}`);
    const step = (path: string, body: Record<string, unknown>) => send(`/v1/applicants/${applicantId}/${path}`, body);
    const appliedOn = addDays(`${firstYear + cohort}-01-05`, k * 3);
    await send('/v1/applicants', {
      id: applicantId,
      ...tools.person(tools.next(), LONGWEN.regionCode),
      orgId: branch.orgId,
      unitId: branch.unitId,
      occupation: index % 9 === 0 ? 'manager' : 'technical-worker',
      appliedOn,
    });
    await step('interview', { interviewedOn: addDays(appliedOn, 10 + (index % 10)), interviewerId: secretary });
    if (LONGWEN.withdrawnOf(cohort, k))
      await step('withdraw', { effectiveOn: addDays(appliedOn, 60), reason: '本人申请撤回' });
    if (!LONGWEN.activistsOf(cohort, k)) continue;
    const activistOn = addMonthsToDay(appliedOn, 2);
    await step('activist', { designatedOn: activistOn, contactIds: [contact] });
    await step('reviews', { reviewedOn: addMonthsToDay(activistOn, 6), summary: '学习认真，工作积极' });
    if (!LONGWEN.candidatesOf(cohort, k)) continue;
    const candidateOn = addMonthsToDay(activistOn, 13);
    await step('candidate', {
      designatedOn: candidateOn,
      introducerIds: [secretary, introducer],
      politicalReviewOn: addDays(candidateOn, -15),
    });
    await step('training', { completedOn: addMonthsToDay(candidateOn, 1), hours: 24 });
    const meetingOn = addMonthsToDay(candidateOn, 3);
    await step('admission', { meetingOn, eligibleVoters: 3, present: 3, inFavour: 3 });
    if (LONGWEN.approvedOf(cohort, k))
      await step('approve', { approvedOn: addMonthsToDay(meetingOn, 1), memberId: idOf(`member:admitted:${index}`) });
  }
}

/** A year of 三会一课 for a branch of full members, by DOMAIN.md's frequencies; a short branch misses some. */
async function seedMeetings(
  send: (path: string, body: unknown) => Promise<Record<string, unknown>>,
  year: number,
  branch: { orgId: string; fullMembers: string[] },
  short: boolean,
): Promise<void> {
  const meet = (kind: string, month: number, day: number, topic: string) => {
    const attendeeIds = branch.fullMembers.filter((_, i) => !(short && i === LONGWEN.absentFromJuly && month > 6));
    return send(`/v1/organizations/${branch.orgId}/meetings`, {
      kind,
      heldOn: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      topic,
      attendeeIds,
    });
  };
  for (let month = 1; month <= 12; month++) {
    if (!(short && (LONGWEN.missedThemeDayMonths as readonly number[]).includes(month)))
      await meet('theme-day', month, 1, `${month}月主题党日`);
    await meet('group-meeting', month, 10, `${month}月党小组学习`);
    if (month % 3 !== 0) continue;
    const quarter = month / 3;
    if (!(short && quarter === LONGWEN.missedGeneralMeetingQuarter))
      await meet('general-meeting', month, 15, `第${quarter}季度党员大会`);
    await meet('party-lecture', month, 20, `第${quarter}季度党课`);
  }
  await meet('life-meeting', 12, 25, '年度组织生活会');
}
