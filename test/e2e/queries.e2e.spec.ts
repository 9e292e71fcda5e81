import { addDays } from '@registry/domain';
import { creditCode, residentId } from '../support/identifiers';
import { call, type Reply, type RegistryServer, startRegistryServer } from '../support/registry-server';

// The query routes of API.md against the real application, its in-process projector and PostgreSQL.

let server: RegistryServer;
let serial = 500;
const ids = {} as Record<'unit' | 'root' | 'a' | 'b' | 'c' | 'member' | 'other', string>;
let lastPosition = '0';

function created(reply: Reply): string {
  expect({ status: reply.status, body: reply.body }).toMatchObject({ status: 201 });
  lastPosition = reply.body.position as string;
  return reply.body.id as string;
}

const organization = (
  name: string,
  level: string,
  parentId: string | undefined,
  regionCode: string,
  unitIds: string[] = [],
  form = 'regional',
) => ({
  name,
  level,
  form,
  ...(parentId ? { parentId } : {}),
  regionCode,
  unitIds,
  establishedOn: '2020-01-01',
});

const member = (orgId: string, overrides: Record<string, unknown> = {}) => {
  const birthDate = addDays('1985-01-01', ++serial);
  return {
    name: '刘洋',
    idNumber: residentId(birthDate, 'male', serial % 400),
    gender: 'male',
    birthDate,
    joinedOn: '2020-03-01',
    status: 'full',
    orgId,
    effectiveOn: '2020-03-01',
    ...overrides,
  };
};

const get = (path: string, token?: string) => call(server, 'GET', path, token === undefined ? {} : { token });

beforeAll(async () => {
  server = await startRegistryServer({ READ_YOUR_WRITES_TIMEOUT_MS: '400' });
  ids.unit = created(
    await call(server, 'POST', '/v1/units', {
      body: {
        name: '徐汇某科技公司',
        creditCode: creditCode(++serial, '310104'),
        kind: 'enterprise',
        regionCode: '310104',
        industry: 'software',
        registeredOn: '2019-01-01',
      },
    }),
  );
  ids.root = created(
    await call(server, 'POST', '/v1/organizations', {
      body: organization('上海公司党委', 'committee', undefined, '310000'),
    }),
  );
  ids.a = created(
    await call(server, 'POST', '/v1/organizations', {
      body: organization('徐汇区党总支', 'general-branch', ids.root, '310104'),
    }),
  );
  ids.b = created(
    await call(server, 'POST', '/v1/organizations', {
      body: organization('某科技公司党支部', 'branch', ids.a, '310104', [ids.unit], 'single'),
    }),
  );
  ids.c = created(
    await call(server, 'POST', '/v1/organizations', {
      body: organization('长宁区党总支', 'general-branch', ids.root, '310105'),
    }),
  );
  ids.member = created(await call(server, 'POST', '/v1/members', { body: member(ids.b, { unitId: ids.unit }) }));
  ids.other = created(await call(server, 'POST', '/v1/members', { body: member(ids.c) }));
}, 120_000);

afterAll(() => server?.close());

describe('read-your-writes', () => {
  it('answers with the write included when asked for its position', async () => {
    const reply = await get(`/v1/organizations/${ids.root}/tree?minPosition=${lastPosition}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: ids.root, counts: { members: 2, full: 2 } });
  });

  it('answers 503 with Retry-After when the read model cannot reach the position in time', async () => {
    const reply = await get(`/v1/coverage?groupBy=region&minPosition=${(BigInt(lastPosition) * 1000n).toString()}`);
    expect(reply.status).toBe(503);
    expect(reply.headers.get('retry-after')).toBe('1');
    expect(reply.body).toMatchObject({ type: expect.stringMatching(/read-model-behind$/), status: 503 });
  });
});

describe('time travel after a retroactive change', () => {
  it('moves the branch for every date after the re-parenting, and for none before', async () => {
    const moved = await call(server, 'POST', `/v1/organizations/${ids.b}/reparent`, {
      body: { parentId: ids.c, effectiveOn: '2022-01-01' },
    });
    expect(moved.status).toBe(200);
    const position = moved.body.position as string;
    const names = (node: { name: string; children: unknown[] }): unknown => ({
      [node.name]: node.children.map((c) => names(c as never)),
    });
    const before = await get(`/v1/organizations/${ids.root}/tree?asOf=2021-06-01&minPosition=${position}`);
    expect(names(before.body as never)).toEqual({
      上海公司党委: [{ 徐汇区党总支: [{ 某科技公司党支部: [] }] }, { 长宁区党总支: [] }],
    });
    const after = await get(`/v1/organizations/${ids.root}/tree?asOf=2022-06-01`);
    expect(names(after.body as never)).toEqual({
      上海公司党委: [{ 徐汇区党总支: [] }, { 长宁区党总支: [{ 某科技公司党支部: [] }] }],
    });
    expect(after.body).toMatchObject({ counts: { members: 2 } });
    const a = await get(`/v1/organizations/${ids.a}?asOf=2022-06-01`);
    expect(a.body).toMatchObject({ name: '徐汇区党总支', counts: { members: 0 }, childCount: 0 });
    const b = await get(`/v1/organizations/${ids.b}?asOf=2021-06-01`);
    expect(b.body).toMatchObject({ parentId: ids.a, unitIds: [ids.unit], counts: { members: 1 } });
  });

  it('answers 404 for a date before the organisation existed, and 400 for a bad date', async () => {
    expect((await get(`/v1/organizations/${ids.b}?asOf=2019-06-01`)).status).toBe(404);
    const bad = await get(`/v1/organizations/${ids.b}/tree?asOf=2021-02-30&depth=-1&colour=red`);
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['asOf', 'colour', 'depth']);
  });
});

describe('reports', () => {
  it('reports coverage by region with numerators and denominators', async () => {
    const reply = await get(`/v1/coverage?groupBy=region&regionCode=310100&minPosition=${lastPosition}`);
    expect(reply.status).toBe(200);
    expect(reply.body.rows).toEqual([
      expect.objectContaining({
        key: '310104',
        label: '徐汇区',
        units: 1,
        singleCovered: 1,
        orgCoverageRate: 1,
        members: 1,
      }),
    ]);
    const bad = await get('/v1/coverage?groupBy=colour');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'groupBy' })]);
  });

  it('reports pending transfers, dues, flowing members and units that should establish', async () => {
    const transfer = await call(server, 'POST', `/v1/members/${ids.other}/transfers`, {
      body: { to: { orgId: ids.a }, effectiveOn: '2024-01-02' },
    });
    expect(transfer.status).toBe(201);
    const position = transfer.body.position as string;
    const pending = await get(`/v1/reports/transfers?status=pending&minPosition=${position}`);
    expect(pending.body.transfers).toEqual([
      expect.objectContaining({ transferId: transfer.body.transferId, memberId: ids.other, overdue: true }),
    ]);
    expect((await get('/v1/reports/transfers?status=overdue')).body.transfers).toHaveLength(1);

    const dues = await call(server, 'POST', `/v1/members/${ids.member}/dues/assessments`, {
      body: { from: '2024-01', category: 'student' },
    });
    expect(dues.status).toBe(200);
    const report = await get(
      `/v1/reports/dues?orgId=${ids.root}&month=2024-03&minPosition=${dues.body.position as string}`,
    );
    expect(report.body).toMatchObject({
      members: 1,
      expectedFen: 20,
      collectedFen: 0,
      membersInArrears: 1,
      collectionRate: 0,
    });
    const arrears = await get('/v1/reports/dues-arrears?minMonths=6&throughMonth=2024-12');
    expect(arrears.body.members).toEqual([
      expect.objectContaining({ memberId: ids.member, consecutiveUnpaidMonths: 12 }),
    ]);

    const flow = await call(server, 'POST', `/v1/members/${ids.member}/flow-out`, {
      body: { since: '2024-02-01', destinationRegionCode: '430602', hostOrgId: ids.c },
    });
    expect(flow.status).toBe(200);
    const flowing = await get(`/v1/reports/flowing?hostOrgId=${ids.root}&minPosition=${flow.body.position as string}`);
    expect(flowing.body).toMatchObject({ total: 1, byOriginRegion: [{ regionCode: '310104', members: 1 }] });

    expect((await get('/v1/reports/should-establish')).body).toMatchObject({ units: [] });
  });
});

describe('organisation-subtree authorisation', () => {
  const scoped = () => server.token('registrar', 'xuhui-registrar', ids.a);

  it('reads inside the subtree and nothing outside it', async () => {
    expect((await get(`/v1/organizations/${ids.a}/tree`, scoped())).status).toBe(200);
    const outside = await get(`/v1/organizations/${ids.root}/tree`, scoped());
    expect(outside.status).toBe(403);
    expect(outside.body).toMatchObject({ type: expect.stringMatching(/outside-scope$/) });
    expect((await get('/v1/coverage?groupBy=region', scoped())).status).toBe(403);
    expect((await get(`/v1/members/${ids.other}`, scoped())).status).toBe(403);
  });

  it('commands inside the subtree; outside it answers 403 and writes nothing', async () => {
    const before = await server.eventCount();
    const outside = await call(server, 'POST', '/v1/organizations', {
      body: organization('长宁某支部', 'branch', ids.c, '310105'),
      token: scoped(),
    });
    expect(outside.status).toBe(403);
    expect(
      (
        await call(server, 'POST', `/v1/members/${ids.other}/confirm`, {
          body: { effectiveOn: '2024-01-01' },
          token: scoped(),
        })
      ).status,
    ).toBe(403);
    expect((await call(server, 'POST', '/v1/members', { body: member(ids.c), token: scoped() })).status).toBe(403);
    expect(await server.eventCount()).toBe(before);
    const inside = await call(server, 'POST', '/v1/organizations', {
      body: organization('徐汇某支部', 'branch', ids.a, '310104'),
      token: scoped(),
    });
    expect(inside.status).toBe(201);
    // The receiving organisation's registrar may accept a transfer into its subtree.
    const pending = (await get('/v1/reports/transfers', scoped())).body.transfers as {
      transferId: string;
      memberId: string;
    }[];
    expect(pending).toHaveLength(1);
    const accepted = await call(
      server,
      'POST',
      `/v1/members/${pending[0]!.memberId}/transfers/${pending[0]!.transferId}/accept`,
      { body: { effectiveOn: '2024-02-01' }, token: scoped() },
    );
    expect(accepted.status).toBe(200);
  });

  it('confines meetings, grids and the organisational-life report to the subtree (a grid to its lead’s)', async () => {
    const rated = await call(server, 'POST', `/v1/organizations/${ids.c}/ratings`, {
      body: { year: 2022, stars: 4, ratedOn: '2023-01-10' },
    });
    expect(rated.status).toBe(200);
    const grid = {
      name: '长宁商贸网格',
      regionCode: '310105',
      leadOrgId: ids.c,
      unitIds: [],
      establishedOn: '2023-02-01',
    };
    const outsideGrid = created(await call(server, 'POST', '/v1/grids', { body: grid }));
    const before = await server.eventCount();
    const refused = [
      await call(server, 'POST', '/v1/grids', { body: grid, token: scoped() }),
      await call(server, 'POST', `/v1/grids/${outsideGrid}/units`, {
        body: { unitId: ids.unit, effectiveOn: '2023-03-01' },
        token: scoped(),
      }),
      await call(server, 'POST', `/v1/organizations/${ids.c}/meetings`, {
        body: { kind: 'theme-day', heldOn: '2024-05-01', topic: '学习', attendeeIds: [ids.other] },
        token: scoped(),
      }),
      await get(`/v1/grids/${outsideGrid}`, scoped()),
      await get(`/v1/reports/organizational-life?orgId=${ids.root}&from=2024-01&to=2024-06`, scoped()),
    ];
    expect(refused.map((reply) => [reply.status, reply.body.type])).toEqual(
      refused.map((): unknown[] => [403, expect.stringMatching(/outside-scope$/)]),
    );
    expect(await server.eventCount()).toBe(before);
    const inside = await get(`/v1/reports/organizational-life?orgId=${ids.a}&from=2024-01&to=2024-06`, scoped());
    expect(inside.status).toBe(200);
  });

  it('lets only the receiving side accept or reject a transfer; the sender may still cancel', async () => {
    const sent = await call(server, 'POST', `/v1/members/${ids.other}/transfers`, {
      body: { to: { orgId: ids.c }, effectiveOn: '2024-03-01' },
      token: scoped(),
    });
    expect(sent.status).toBe(201);
    const transfer = `/v1/members/${ids.other}/transfers/${sent.body.transferId as string}`;
    const before = await server.eventCount();
    const accepted = await call(server, 'POST', `${transfer}/accept`, {
      body: { effectiveOn: '2024-03-02' },
      token: scoped(),
    });
    expect(accepted.status).toBe(403);
    expect(accepted.body).toMatchObject({ type: expect.stringMatching(/outside-scope$/) });
    const rejected = await call(server, 'POST', `${transfer}/reject`, { body: { reason: '不接收' }, token: scoped() });
    expect(rejected.status).toBe(403);
    expect(rejected.body).toMatchObject({ type: expect.stringMatching(/outside-scope$/) });
    expect(await server.eventCount()).toBe(before);
    const cancelled = await call(server, 'POST', `${transfer}/cancel`, { body: { reason: '撤回' }, token: scoped() });
    expect(cancelled.status).toBe(200);
    // A transfer out of the registry has no receiving organisation: the sending side answers for it.
    const external = await call(server, 'POST', `/v1/members/${ids.other}/transfers`, {
      body: { to: { external: { name: '岳阳市某党支部', regionCode: '430602' } }, effectiveOn: '2024-03-03' },
      token: scoped(),
    });
    expect(external.status).toBe(201);
    const declined = await call(
      server,
      'POST',
      `/v1/members/${ids.other}/transfers/${external.body.transferId as string}/reject`,
      { body: { reason: '对方未回执' }, token: scoped() },
    );
    expect(declined.status).toBe(200);
  });

  it('writes a unit no organisation covers only when the unit lies in the scope organisation’s region', async () => {
    const unit = async (regionCode: string) =>
      created(
        await call(server, 'POST', '/v1/units', {
          body: {
            name: '某商贸公司',
            creditCode: creditCode(++serial, regionCode),
            kind: 'enterprise',
            regionCode,
            industry: 'retail',
            registeredOn: '2020-01-01',
          },
        }),
      );
    const changning = await unit('310105');
    const xuhui = await unit('310104');
    const instructor = { name: '王芳', assignedOn: '2024-01-01' };
    const before = await server.eventCount();
    const closed = await call(server, 'POST', `/v1/units/${changning}/close`, {
      body: { effectiveOn: '2024-06-01' },
      token: scoped(),
    });
    expect(closed.status).toBe(403);
    expect(closed.body).toMatchObject({ type: expect.stringMatching(/outside-scope$/) });
    const assigned = await call(server, 'POST', `/v1/units/${changning}/instructors`, {
      body: instructor,
      token: scoped(),
    });
    expect(assigned.status).toBe(403);
    expect(await server.eventCount()).toBe(before);

    const own = { token: scoped() };
    expect((await call(server, 'POST', `/v1/units/${xuhui}/instructors`, { body: instructor, ...own })).status).toBe(
      200,
    );
    expect(
      (await call(server, 'POST', `/v1/units/${xuhui}/close`, { body: { effectiveOn: '2024-06-01' }, ...own })).status,
    ).toBe(200);
    // The root organisation’s region is province-level (310000): it holds every district of Shanghai.
    const city = server.token('registrar', 'shanghai-registrar', ids.root);
    expect(
      (await call(server, 'POST', `/v1/units/${changning}/instructors`, { body: instructor, token: city })).status,
    ).toBe(200);
  });
});

describe('audit', () => {
  it('shows a stream up to a version or business date with the state folded from it', async () => {
    const auditor = server.token('auditor');
    const all = await get(`/v1/streams/organization-${ids.b}`, auditor);
    expect(all.status).toBe(200);
    expect((all.body.events as { type: string }[]).map((e) => e.type)).toEqual([
      'OrganizationEstablished',
      'OrganizationReparented',
    ]);
    expect(all.body.state).toMatchObject({ status: 'active', parentId: ids.c });
    expect((await get(`/v1/streams/organization-${ids.b}?toVersion=1`, auditor)).body.state).toMatchObject({
      parentId: ids.a,
    });
    expect((await get(`/v1/streams/organization-${ids.b}?asOf=2021-12-31`, auditor)).body.state).toMatchObject({
      parentId: ids.a,
    });
    expect((await get(`/v1/streams/organization-${ids.b}`)).status).toBe(403);
    expect((await get('/v1/streams/organization-00000000-0000-4000-8000-000000000000', auditor)).status).toBe(404);
  });

  it('exports projection positions and lag as Prometheus text', async () => {
    const response = await fetch(`${server.url}/metrics`);
    const text = await response.text();
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const versions = {
      hierarchy: 3,
      coverage: 3,
      members: 2,
      transfers: 2,
      dues: 1,
      flowing: 2,
      development: 1,
      leadership: 1,
      appraisal: 1,
      meetings: 1,
      grids: 1,
    };
    for (const [name, version] of Object.entries(versions)) {
      expect(text).toMatch(
        new RegExp(`registry_projection_lag_events\\{projection="${name}",version="${version}"\\} \\d+`),
      );
    }
    expect(text).toMatch(/registry_log_head_position \d+/);
  });
});
