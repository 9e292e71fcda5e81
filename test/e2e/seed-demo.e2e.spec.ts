import { LONGWEN, seedDemo, type DemoSummary } from '../../apps/cli/src/demo/seed-demo';
import { businessToday } from '../../apps/registry-api/src/http/validation';
import { randomUUID } from 'node:crypto';
import { type CloudEvent, HTTP, Kafka, type KafkaMessage } from 'cloudevents';
import { TOPICS } from '@registry/contracts';
import { consumeUntil } from '../support/kafka-consumer';
import { testKafka } from '../support/kafka-broker';
import { call, type RegistryServer, startRegistryServer } from '../support/registry-server';

// `npm run cli -- seed-demo` through the public HTTP API, then the figures of DOMAIN.md
// "Figures from the seeds" read back from the tree, coverage and report routes.

interface Node {
  id: string;
  name: string;
  level: string;
  form: string;
  counts: { members: number; full: number; probationary: number; flowingIn: number; flowingOut: number };
  ownCounts: { full: number };
  children: Node[];
}

let server: RegistryServer;
let summary: DemoSummary;
let admin: string;
const get = async (path: string) => {
  const reply = await call(
    server,
    'GET',
    `${path}${path.includes('?') ? '&' : '?'}minPosition=${summary.lastPosition}`,
    { token: admin },
  );
  expect({ path, status: reply.status }).toEqual({ path, status: 200 });
  return reply.body;
};
/** Every event of the log, from the HTTP feed, page by page. */
async function feedEvents(): Promise<Record<string, unknown>[]> {
  const events: Record<string, unknown>[] = [];
  for (let after = '0'; ;) {
    const page = await call(server, 'GET', `/v1/events?after=${after}&limit=1000`, { token: admin });
    expect(page.status).toBe(200);
    events.push(...(page.body.events as Record<string, unknown>[]));
    if (page.body.caughtUp) return events;
    after = page.body.next as string;
  }
}
const walk = (node: Node): Node[] => [node, ...node.children.flatMap(walk)];

// The demo is also relayed to Kafka when a broker is at hand, so that what integrators receive can be
// checked against the official CloudEvents SDK.
const kafka = testKafka();
const itWithKafka = 'brokers' in kafka ? it : it.skip;
const topicPrefix = `demo-${randomUUID().slice(0, 8)}.`;
const PUBLIC_BASE_URL = 'https://registry.example.gov.cn';

beforeAll(async () => {
  server = await startRegistryServer({
    PUBLIC_BASE_URL,
    ...('brokers' in kafka ? { KAFKA_BROKERS: kafka.brokers.join(','), RELAY_TOPIC_PREFIX: topicPrefix } : {}),
  });
  admin = server.token('admin');
  const api = {
    post: (path: string, body: unknown) => call(server, 'POST', path, { body, token: admin }),
    get: (path: string) => call(server, 'GET', path, { token: admin }),
  };
  summary = await seedDemo(api, businessToday());
}, 300_000);

afterAll(() => server?.close());

describe('the demo data set', () => {
  it('builds the CIIC pyramid: group → Shanghai company → five district and two enterprise general branches → branches', async () => {
    const group = (await get(`/v1/organizations/${summary.ids.group}/tree`)) as unknown as Node;
    expect(group.name).toBe('中智集团党委');
    const shanghai = group.children.find((c) => c.id === summary.ids.shanghai)!;
    expect(shanghai.name).toBe('中智上海公司党委');
    const generalBranches = shanghai.children.filter((c) => c.level === 'general-branch');
    expect(generalBranches).toHaveLength(7);
    const districts = generalBranches.filter((c) => Object.values(summary.ids.districts).includes(c.id));
    expect(districts.map((d) => d.name).sort()).toEqual(
      [
        '中智上海徐汇区党总支',
        '中智上海长宁区党总支',
        '中智上海浦东新区党总支',
        '中智上海黄浦区联合党总支',
        '中智上海静安区联合党总支',
      ].sort(),
    );
    expect(
      districts
        .filter((d) => d.form === 'joint')
        .map((d) => d.name)
        .sort(),
    ).toEqual(['中智上海静安区联合党总支', '中智上海黄浦区联合党总支'].sort());
    const enterprise = generalBranches.filter((c) =>
      Object.values(summary.ids.enterpriseGeneralBranches).includes(c.id),
    );
    expect(enterprise.map((e) => [e.name, e.children.length])).toEqual(
      expect.arrayContaining([
        ['思科（中国）研发中心党总支', 2],
        ['通用汽车（中国）党总支', 2],
      ]),
    );
    // Branches are formed in enterprises with 5+ full members (CIIC's own threshold).
    const enterpriseBranches = walk(shanghai).filter((n) => n.level === 'branch' && n.form === 'single');
    expect(enterpriseBranches.length).toBeGreaterThanOrEqual(12);
    for (const branch of enterpriseBranches)
      expect({ branch: branch.name, full: branch.ownCounts.full >= 5 }).toEqual({ branch: branch.name, full: true });
    // Subtree totals add up from the leaves.
    const sum = (node: Node): number =>
      node.children.reduce(
        (total, child) => total + child.counts.members,
        (node as unknown as { ownCounts: { members: number } }).ownCounts.members,
      );
    for (const node of walk(group)) expect(sum(node)).toBe(node.counts.members);
    // 12 enterprise branches × 6, 5 members of small firms in the joint general branches, 6 in the building branch, 3 in the firm without an organisation.
    expect(shanghai.counts).toMatchObject({ members: 86, probationary: 12 });
  });

  it('has the Xingang flowing-member committee: 6 branches, 112 flowing members, 19% / 71% / 10% by occupation', async () => {
    const xingang = (await get(`/v1/organizations/${summary.ids.xingang}/tree`)) as unknown as Node;
    expect(xingang.children).toHaveLength(6);
    expect(xingang.counts.flowingIn).toBe(112);
    const flowing = await get(`/v1/reports/flowing?hostOrgId=${summary.ids.xingang}`);
    expect(flowing.total).toBe(112);
    const shares = Object.fromEntries(
      (flowing.byOccupation as { occupation: string; share: number }[]).map((o) => [
        o.occupation,
        Math.round(o.share * 100),
      ]),
    );
    expect(shares).toEqual({ owner: 19, 'technical-worker': 71, 'mobile-talent': 10 });
    expect((flowing.byOriginRegion as unknown[]).length).toBe(4);
  });

  it('has Xingang’s 126 members transferred in: flowing members whose inflow ended in a transfer of the relation', async () => {
    const flowing = await get(`/v1/reports/flowing?hostOrgId=${summary.ids.xingang}`);
    expect({ inflowing: flowing.inflowing, converted: flowing.convertedInflows }).toEqual({
      inflowing: 112,
      converted: 126,
    });
    const xingang = (await get(`/v1/organizations/${summary.ids.xingang}/tree`)) as unknown as Node;
    expect(xingang.counts).toMatchObject({ members: 126, full: 126, flowingIn: 112 });
  });

  it('has Longwen’s 397 applications to join, and the pipeline behind them', async () => {
    const thisYear = Number(businessToday().slice(0, 4));
    const reports: Record<string, unknown>[] = [];
    for (let year = thisYear - 4; year < thisYear; year++)
      reports.push(await get(`/v1/reports/development?orgId=${summary.ids.longwen}&year=${year}`));
    const total = (key: string) => reports.reduce((sum, report) => sum + (report[key] as number), 0);
    // The demo's own rules, counted independently of the registry.
    const indexes = [...Array(LONGWEN.applications).keys()];
    const activists = indexes.filter((i) => LONGWEN.activistsOf(i % 4, Math.floor(i / 4)));
    const candidates = activists.filter((i) => LONGWEN.candidatesOf(i % 4, Math.floor(i / 4)));
    const approved = candidates.filter((i) => LONGWEN.approvedOf(i % 4, Math.floor(i / 4)));
    expect({
      applied: total('applied'),
      activists: total('activists'),
      candidates: total('candidates'),
      admitted: total('admitted'),
      approved: total('approved'),
      withdrawn: total('withdrawn'),
    }).toEqual({
      applied: 397,
      activists: activists.length,
      candidates: candidates.length,
      admitted: candidates.length,
      approved: approved.length,
      withdrawn: indexes.filter((i) => LONGWEN.withdrawnOf(i % 4, Math.floor(i / 4))).length,
    });
    expect(approved.length).toBeGreaterThan(0);
    expect(candidates.length).toBeGreaterThan(approved.length);
    const overdue = reports.at(-1)?.overdue as { step: string }[];
    expect(overdue.filter((o) => o.step === 'approval')).toHaveLength(candidates.length - approved.length);
    const ratings = await get(`/v1/reports/ratings?orgId=${summary.ids.longwen}&year=${thisYear - 1}`);
    expect({
      exemplary: (ratings.exemplary as unknown[]).length,
      standard: (ratings.standard as unknown[]).length,
      rectify: (ratings.rectify as unknown[]).length,
    }).toEqual({ exemplary: 2, standard: 1, rectify: 1 });
    const points = await get(`/v1/reports/points?orgId=${summary.ids.longwen}&year=${thisYear}`);
    const bands = (points.members as { band: string }[]).map((m) => m.band);
    expect(bands.filter((band) => band === 'honour').length).toBeGreaterThan(0);
    expect(bands.filter((band) => band === 'support')).toHaveLength(1);
    // Each approval made a probationary member of the branch.
    const longwen = (await get(`/v1/organizations/${summary.ids.longwen}/tree`)) as unknown as Node;
    expect(longwen.counts).toMatchObject({ full: 12, members: 12 + approved.length });
  });

  it('has a year of Longwen’s meetings (三会一课), one branch short of its quota and one member absent', async () => {
    const year = Number(businessToday().slice(0, 4)) - 1;
    const life = await get(
      `/v1/reports/organizational-life?orgId=${summary.ids.longwen}&from=${year}-01&to=${year}-12`,
    );
    type Life = {
      name: string;
      level: string;
      kinds: { kind: string; required: number; held: number; met: boolean }[];
      absentMembers: unknown[];
    };
    const branches = (life.organizations as Life[]).filter((o) => o.level === 'branch');
    expect(branches).toHaveLength(LONGWEN.branches.length);
    const short = branches.filter((o) => o.kinds.some((k) => !k.met));
    expect(short.map((o) => o.name)).toEqual([`龙文${LONGWEN.shortOfQuota}实业有限公司党支部`]);
    const held = (o: Life | undefined, kind: string) => o?.kinds.find((k) => k.kind === kind);
    expect(held(short[0], 'theme-day')).toMatchObject({ required: 12, held: 12 - LONGWEN.missedThemeDayMonths.length });
    expect(held(short[0], 'general-meeting')).toMatchObject({ required: 4, held: 3 });
    for (const other of branches.filter((o) => o !== short[0]))
      expect(other.kinds.map((k) => [k.kind, k.required, k.held])).toEqual([
        ['general-meeting', 4, 4],
        ['committee-meeting', 0, 0],
        ['group-meeting', 12, 12],
        ['party-lecture', 4, 4],
        ['theme-day', 12, 12],
        ['life-meeting', 1, 1],
      ]);
    expect(short[0]?.absentMembers).toEqual(
      expect.arrayContaining([expect.objectContaining({ lastAttendedOn: `${year}-06-20` })]),
    );
  });

  it('has Longwen’s six industry grids, each led by an organisation rated 4 or 5 stars', async () => {
    const coverage = await get('/v1/coverage?groupBy=grid');
    const rows = (coverage.rows as { key: string; label: string; units: number; singleCovered: number }[]).filter(
      (row) => row.label.startsWith('龙文区'),
    );
    expect(rows).toHaveLength(LONGWEN.grids.length);
    expect(rows.reduce((sum, row) => sum + row.units, 0)).toBe(LONGWEN.grids.length * 2 + 2);
    for (const row of rows) {
      const grid = await get(`/v1/grids/${row.key}`);
      expect((grid.lead as { latestRating: { stars: number } }).latestRating.stars).toBeGreaterThanOrEqual(4);
    }
    // The two leads' own firms have their own organisations (单独组建); the rest are not covered yet.
    expect(rows.reduce((sum, row) => sum + row.singleCovered, 0)).toBe(2);
  });

  it('serves every event of the demo on the feed as a CloudEvent the official SDK accepts (structured JSON)', async () => {
    const events = await feedEvents();
    expect(events.length).toBe(await server.eventCount());
    const invalid = events.flatMap((event) => {
      try {
        const parsed = HTTP.toEvent({
          headers: { 'content-type': 'application/cloudevents+json' },
          body: JSON.stringify(event),
        }) as CloudEvent<unknown>;
        return parsed.validate() && parsed.id === event.id ? [] : [String(event.id)];
      } catch (error) {
        return [`${String(event.id)}: ${(error as Error).message}`];
      }
    });
    expect(invalid).toEqual([]);
    expect(events[0]?.dataschema).toMatch(/^https:\/\/registry\.example\.gov\.cn\/v1\/schemas\/registry\./);
  });

  itWithKafka('relays every event of the demo as a CloudEvent the official SDK accepts (Kafka binding)', async () => {
    const expected = (await feedEvents()).length;
    const topics = Object.values(TOPICS).map((topic) => topicPrefix + topic);
    const brokers = 'brokers' in kafka ? kafka.brokers : [];
    const messages = await consumeUntil(brokers, topics, (consumed) => consumed.length >= expected, 120_000);
    expect(messages).toHaveLength(expected);
    const invalid = messages.flatMap((message) => {
      try {
        const kafkaMessage: KafkaMessage<string> = {
          key: message.key,
          value: message.value,
          headers: message.headers,
          body: message.value,
        };
        const event = Kafka.toEvent(kafkaMessage) as CloudEvent<unknown>;
        return event.validate() && event.subject === message.key ? [] : [message.key];
      } catch (error) {
        return [`${message.headers.ce_id}: ${(error as Error).message}`];
      }
    });
    expect(invalid).toEqual([]);
  });

  it('has committees for the CIIC enterprise branches: one term due within 6 months, one overdue', async () => {
    const due = await get(`/v1/reports/terms?orgId=${summary.ids.shanghai}&status=due&withinMonths=6`);
    const overdue = await get(`/v1/reports/terms?orgId=${summary.ids.shanghai}&status=overdue`);
    expect((due.organizations as unknown[]).length).toBe(1);
    expect((overdue.organizations as unknown[]).length).toBe(1);
    expect(
      (await get(`/v1/reports/terms?orgId=${summary.ids.shanghai}&status=due&withinMonths=23`)).organizations,
    ).toHaveLength(1);
    const [first] = overdue.organizations as { orgId: string }[];
    const committee = await get(`/v1/organizations/${first?.orgId}/committee`);
    expect(committee).toMatchObject({ termYears: 3, vacancies: [] });
    expect((committee.members as { role: string }[]).map((m) => m.role)).toEqual(['secretary', 'deputy-secretary']);
  });

  it('shows the joint branch of small firms in one building, work coverage and 应建未建 in the coverage reports', async () => {
    const building = await get('/v1/coverage?groupBy=building');
    expect(building.rows).toEqual([
      expect.objectContaining({ key: 'jingan-kerry-centre', units: 3, jointCovered: 3, orgCoverageRate: 1 }),
    ]);
    const shanghai = await get('/v1/coverage?groupBy=region&regionCode=310100');
    const rows = shanghai.rows as {
      key: string;
      units: number;
      workCoveredOnly: number;
      uncovered: number;
      shouldEstablish: number;
    }[];
    expect(rows.map((r) => r.key)).toEqual(['310101', '310104', '310105', '310106', '310115']);
    expect(rows.find((r) => r.key === '310105')).toMatchObject({ workCoveredOnly: 1 });
    expect(rows.find((r) => r.key === '310104')).toMatchObject({ uncovered: 1 });
    const should = await get('/v1/reports/should-establish?regionCode=310000');
    expect(should.units).toEqual([expect.objectContaining({ name: '浦东某物流有限公司', fullMembers: 3 })]);
  });

  it('has transfers in flight, three of them overdue, and six members six or more months in arrears', async () => {
    expect((await get('/v1/reports/transfers?status=pending')).transfers).toHaveLength(5);
    const overdue = (await get('/v1/reports/transfers?status=overdue')).transfers as { to: unknown }[];
    expect(overdue).toHaveLength(3);
    expect(overdue.every((t) => 'external' in (t.to as object))).toBe(true);
    const arrears = (await get('/v1/reports/dues-arrears?minMonths=6')).members as {
      consecutiveUnpaidMonths: number;
    }[];
    expect(arrears).toHaveLength(6);
    expect(arrears.every((a) => a.consecutiveUnpaidMonths === 9)).toBe(true);
  });

  it('finds the data of a first run and writes nothing the second time', async () => {
    const before = await server.eventCount();
    const again = await seedDemo(
      {
        post: (path, body) => call(server, 'POST', path, { body, token: admin }),
        get: (path) => call(server, 'GET', path, { token: admin }),
      },
      businessToday(),
    );
    expect(again.alreadySeeded).toBe(true);
    expect(await server.eventCount()).toBe(before);
  });
});
