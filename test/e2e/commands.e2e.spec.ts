import { addDays, monthlyDuesFen } from '@registry/domain';
import { waitForProjections } from '@registry/projections';
import { creditCode, residentId, withWrongCheck } from '../support/identifiers';
import { call, type Reply, type RegistryServer, startRegistryServer } from '../support/registry-server';

// Every command route of API.md against the real HTTP application and PostgreSQL.
// Dates lie in the past of any day these tests run on.

let server: RegistryServer;
const ids = {} as Record<
  'unitA' | 'unitB' | 'unitC' | 'root' | 'generalBranch' | 'joint' | 'single' | 'member' | 'probationer' | 'grid',
  string
>;
let serial = 0;
const nextSerial = () => ++serial;

function expectCreated(reply: Reply, status = 201): string {
  expect({ status: reply.status, body: reply.body }).toMatchObject({ status });
  expect(reply.body).toEqual(
    expect.objectContaining({
      id: expect.any(String),
      streamVersion: expect.any(Number),
      position: expect.stringMatching(/^\d+$/),
    }),
  );
  expect(reply.headers.get('etag')).toBe(`"${String(reply.body.streamVersion)}"`);
  return reply.body.id as string;
}

const unitBody = (overrides: Record<string, unknown> = {}) => ({
  name: `Unit ${serial}`,
  creditCode: creditCode(nextSerial()),
  kind: 'enterprise',
  regionCode: '310115',
  industry: 'software',
  buildingId: 'zhangjiang-hi-tech-tower-1',
  employeeCount: 120,
  registeredOn: '2015-03-01',
  ...overrides,
});

/** A different birth date per member keeps every resident ID number unique. */
const memberBody = (orgId: string, overrides: Record<string, unknown> = {}) => {
  const gender = (overrides.gender as 'male' | 'female' | undefined) ?? 'female';
  const birthDate = addDays('1980-01-01', nextSerial());
  return {
    name: '王芳',
    idNumber: residentId(birthDate, gender, serial % 400),
    gender,
    birthDate,
    phone: '+86 138 0000 0000',
    joinedOn: '2023-03-01',
    status: 'probationary',
    orgId,
    occupation: 'technical-worker',
    effectiveOn: '2023-03-01',
    ...overrides,
  };
};

beforeAll(async () => {
  server = await startRegistryServer();
  ids.unitA = expectCreated(await call(server, 'POST', '/v1/units', { body: unitBody() }));
  ids.unitB = expectCreated(await call(server, 'POST', '/v1/units', { body: unitBody() }));
  ids.unitC = expectCreated(await call(server, 'POST', '/v1/units', { body: unitBody() }));
  ids.root = expectCreated(
    await call(server, 'POST', '/v1/organizations', {
      body: {
        name: '浦东新区两新组织党委',
        level: 'committee',
        form: 'regional',
        regionCode: '310115',
        unitIds: [],
        establishedOn: '2010-01-01',
      },
    }),
  );
  ids.generalBranch = expectCreated(
    await call(server, 'POST', '/v1/organizations', {
      body: {
        name: '张江大厦党总支',
        level: 'general-branch',
        form: 'building',
        parentId: ids.root,
        regionCode: '310115',
        unitIds: [],
        establishedOn: '2012-01-01',
      },
    }),
  );
  const joint = await call(server, 'POST', '/v1/organizations', {
    body: {
      name: '张江联合党支部',
      level: 'branch',
      form: 'joint',
      parentId: ids.generalBranch,
      regionCode: '310115',
      unitIds: [ids.unitA, ids.unitB],
      establishedOn: '2016-01-01',
    },
  });
  ids.joint = expectCreated(joint);
  expect(joint.body.warnings).toEqual([]);
  ids.single = expectCreated(
    await call(server, 'POST', '/v1/organizations', {
      body: {
        name: 'C 公司党支部',
        level: 'branch',
        form: 'single',
        parentId: ids.root,
        regionCode: '310115',
        unitIds: [ids.unitC],
        establishedOn: '2016-01-01',
      },
    }),
  );
  ids.member = expectCreated(
    await call(server, 'POST', '/v1/members', { body: memberBody(ids.joint, { status: 'full' }) }),
  );
  ids.probationer = expectCreated(await call(server, 'POST', '/v1/members', { body: memberBody(ids.joint) }));
}, 120_000);

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

afterAll(async () => {
  await server?.close();
});

describe('units', () => {
  it('registers a unit, assigns an instructor and closes it', async () => {
    const unit = expectCreated(await call(server, 'POST', '/v1/units', { body: unitBody() }));
    const assigned = await call(server, 'POST', `/v1/units/${unit}/instructors`, {
      body: { name: '李明', assignedOn: '2020-06-01' },
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body.streamVersion).toBe(2);
    const closed = await call(server, 'POST', `/v1/units/${unit}/close`, { body: { effectiveOn: '2024-01-31' } });
    expect(closed.status).toBe(200);
    expect(closed.body.streamVersion).toBe(3);
  });

  it('withdraws an instructor: work coverage ends from that date', async () => {
    const unit = expectCreated(
      await call(server, 'POST', '/v1/units', { body: unitBody({ regionCode: '310112', buildingId: undefined }) }),
    );
    expect(
      (
        await call(server, 'POST', `/v1/units/${unit}/instructors`, {
          body: { name: '李明', assignedOn: '2020-06-01' },
        })
      ).status,
    ).toBe(200);
    const withdrawn = await call(server, 'POST', `/v1/units/${unit}/instructors/withdraw`, {
      body: { effectiveOn: '2023-01-01' },
    });
    expect(withdrawn.status).toBe(200);
    const workOnly = async (asOf: string) =>
      (
        await call(
          server,
          'GET',
          `/v1/coverage?groupBy=region&regionCode=310100&asOf=${asOf}&minPosition=${String(withdrawn.body.position)}`,
        )
      ).body.rows as { key: string; workCoveredOnly: number }[];
    expect((await workOnly('2022-06-01')).find((r) => r.key === '310112')?.workCoveredOnly).toBe(1);
    expect((await workOnly('2023-06-01')).find((r) => r.key === '310112')?.workCoveredOnly).toBe(0);
    const again = await call(server, 'POST', `/v1/units/${unit}/instructors/withdraw`, {
      body: { effectiveOn: '2023-02-01' },
    });
    expect({ status: again.status, type: again.body.type }).toEqual({
      status: 409,
      type: expect.stringMatching(/rules\/no-instructor$/),
    });
  });
});

describe('organisations', () => {
  it('moves units in and out of a joint branch, warns above five units', async () => {
    const joined = await call(server, 'POST', `/v1/organizations/${ids.joint}/units`, {
      body: { unitId: ids.unitC, effectiveOn: '2020-01-01' },
    });
    expect(joined.status).toBe(200);
    expect(joined.body.warnings).toEqual([]);
    const left = await call(server, 'POST', `/v1/organizations/${ids.joint}/units/${ids.unitC}/leave`, {
      body: { effectiveOn: '2021-01-01' },
    });
    expect(left.status).toBe(200);
    expect(left.body.streamVersion).toBe(Number(joined.body.streamVersion) + 1);

    const six: string[] = [];
    for (let i = 0; i < 6; i++) six.push(expectCreated(await call(server, 'POST', '/v1/units', { body: unitBody() })));
    const large = await call(server, 'POST', '/v1/organizations', {
      body: {
        name: '大联合支部',
        level: 'branch',
        form: 'joint',
        parentId: ids.root,
        regionCode: '310115',
        unitIds: six,
        establishedOn: '2018-01-01',
      },
    });
    expectCreated(large);
    expect(large.body.warnings).toEqual([expect.stringContaining('at most 5 units')]);
  });

  it('re-parents, renames, appoints a secretary and dissolves an empty organisation', async () => {
    const branch = expectCreated(
      await call(server, 'POST', '/v1/organizations', {
        body: {
          name: '临时支部',
          level: 'branch',
          form: 'industry',
          parentId: ids.root,
          regionCode: '310115',
          unitIds: [],
          establishedOn: '2019-01-01',
        },
      }),
    );
    const reparented = await call(server, 'POST', `/v1/organizations/${branch}/reparent`, {
      body: { parentId: ids.generalBranch, effectiveOn: '2020-01-01' },
    });
    expect(reparented.status).toBe(200);
    const renamed = await call(server, 'POST', `/v1/organizations/${branch}/rename`, {
      body: { name: '软件行业支部', effectiveOn: '2020-02-01' },
    });
    expect(renamed.status).toBe(200);
    const secretary = await call(server, 'POST', `/v1/organizations/${ids.joint}/secretary`, {
      body: { memberId: ids.member, effectiveOn: '2024-01-01' },
    });
    expect(secretary.status).toBe(200);

    // Read back: each change took effect on its date, and not before.
    const read = (path: string) => call(server, 'GET', `${path}&minPosition=${String(secretary.body.position)}`);
    const before = await read(`/v1/organizations/${branch}?asOf=2019-12-31`);
    expect(before.body).toMatchObject({ parentId: ids.root, name: '临时支部' });
    const moved = await read(`/v1/organizations/${branch}?asOf=2020-01-15`);
    expect(moved.body).toMatchObject({ parentId: ids.generalBranch, name: '临时支部' });
    const after = await read(`/v1/organizations/${branch}?asOf=2020-03-01`);
    expect(after.body).toMatchObject({ parentId: ids.generalBranch, name: '软件行业支部' });
    const tree = await read(`/v1/organizations/${ids.generalBranch}/tree?asOf=2020-03-01&depth=1`);
    expect((tree.body.children as { id: string; name: string }[]).map(({ id, name }) => ({ id, name }))).toEqual(
      expect.arrayContaining([{ id: branch, name: '软件行业支部' }]),
    );
    const rootTree = await read(`/v1/organizations/${ids.root}/tree?asOf=2020-03-01&depth=1`);
    expect((rootTree.body.children as { id: string }[]).map(({ id }) => id)).not.toContain(branch);
    const joint = await read(`/v1/organizations/${ids.joint}?asOf=2024-01-01`);
    expect(joint.body.secretaryId).toBe(ids.member);
    const jointBefore = await read(`/v1/organizations/${ids.joint}?asOf=2023-12-31`);
    expect(jointBefore.body.secretaryId).toBeNull();

    const dissolved = await call(server, 'POST', `/v1/organizations/${branch}/dissolve`, {
      body: { effectiveOn: '2024-06-30', reason: 'merged' },
    });
    expect(dissolved.status).toBe(200);
    expect(dissolved.body.streamVersion).toBe(4);
  });
});

describe('members', () => {
  it('confirms, records employment, dues, flowing and lost contact', async () => {
    const member = expectCreated(await call(server, 'POST', '/v1/members', { body: memberBody(ids.joint) }));
    const steps: [string, unknown][] = [
      ['confirm', { effectiveOn: '2024-03-01' }],
      ['employment', { unitId: ids.unitA, effectiveOn: '2023-03-01' }],
      [
        'flow-out',
        { since: '2024-04-01', destinationRegionCode: '440305', hostOrgId: ids.single, certificateNo: 'LD-2024-88' },
      ],
      ['flow-return', { effectiveOn: '2024-05-01' }],
      ['lost-contact', { since: '2024-06-01' }],
      ['contact-restored', { effectiveOn: '2024-07-01' }],
      ['employment', { unitId: null, effectiveOn: '2024-08-01' }],
    ];
    let version = 1;
    for (const [route, body] of steps) {
      const reply = await call(server, 'POST', `/v1/members/${member}/${route}`, { body });
      expect({ route, status: reply.status }).toEqual({ route, status: 200 });
      expect(reply.body.streamVersion).toBe(++version);
    }
    const assessed = await call(server, 'POST', `/v1/members/${member}/dues/assessments`, {
      body: { from: '2024-01', category: 'employed', monthlyIncomeFen: 500_000 },
    });
    expect(assessed.status).toBe(200);
    const dues = monthlyDuesFen('employed', 500_000);
    expect(assessed.body.monthlyDuesFen).toBe(dues);
    const paid = await call(server, 'POST', `/v1/members/${member}/dues/payments`, {
      body: { months: ['2024-01', '2024-02'], amountFen: 2 * dues, paidOn: '2024-02-10', channel: 'wechat' },
    });
    expect(paid.status).toBe(200);
    const view = await call(server, 'GET', `/v1/members/${member}`);
    expect(view.body).toMatchObject({
      standing: 'full',
      unitId: null,
      flowing: null,
      lostContactSince: null,
      dues: { paidMonths: ['2024-01', '2024-02'] },
    });
  });

  it('extends a probation and confirms at its end; annuls another; standing counts from the end', async () => {
    const member = expectCreated(await call(server, 'POST', '/v1/members', { body: memberBody(ids.joint) }));
    const extended = await call(server, 'POST', `/v1/members/${member}/probation/extend`, {
      body: { months: 6, decidedOn: '2024-02-20', reason: '需继续考察' },
    });
    expect(extended.status).toBe(200);
    const early = await call(server, 'POST', `/v1/members/${member}/confirm`, { body: { effectiveOn: '2024-08-31' } });
    expect({ status: early.status, type: early.body.type }).toEqual({
      status: 409,
      type: expect.stringMatching(/rules\/probation-not-ended$/),
    });
    expect((await call(server, 'GET', `/v1/members/${member}`)).body).toMatchObject({
      standing: 'probationary',
      probationEndsOn: '2024-09-01',
      probationExtension: { months: 6, decidedOn: '2024-02-20' },
      fullSince: null,
    });
    const confirmed = await call(server, 'POST', `/v1/members/${member}/confirm`, {
      body: { effectiveOn: '2024-09-20' },
    });
    expect(confirmed.status).toBe(200);
    expect((await call(server, 'GET', `/v1/members/${member}`)).body).toMatchObject({
      standing: 'full',
      confirmedOn: '2024-09-20',
      fullSince: '2024-09-01',
      probationEndsOn: null,
    });

    const other = expectCreated(await call(server, 'POST', '/v1/members', { body: memberBody(ids.joint) }));
    const annulled = await call(server, 'POST', `/v1/members/${other}/probation/annul`, {
      body: { decidedOn: '2024-03-05', reason: '不具备党员条件' },
    });
    expect(annulled.status).toBe(200);
    const view = await call(server, 'GET', `/v1/members/${other}?minPosition=${String(annulled.body.position)}`);
    expect(view.body).toMatchObject({
      status: 'left',
      left: { reason: 'probation-annulled', effectiveOn: '2024-03-05' },
    });
    const again = await call(server, 'POST', `/v1/members/${other}/probation/annul`, {
      body: { decidedOn: '2024-03-05', reason: '不具备党员条件' },
    });
    expect({ status: again.status, streamVersion: again.body.streamVersion }).toEqual({
      status: 200,
      streamVersion: annulled.body.streamVersion,
    });
  });

  it('suspends a member out of contact for six months, reports the flags, and reinstates', async () => {
    const member = expectCreated(
      await call(server, 'POST', '/v1/members', { body: memberBody(ids.single, { status: 'full' }) }),
    );
    const lost = await call(server, 'POST', `/v1/members/${member}/lost-contact`, { body: { since: '2023-06-10' } });
    expect(lost.status).toBe(200);
    const report = async (position: unknown) =>
      (await call(server, 'GET', `/v1/reports/lost-contact?orgId=${ids.root}&minPosition=${String(position)}`)).body;
    expect((await report(lost.body.position)).members).toEqual([
      expect.objectContaining({ memberId: member, orgId: ids.single, since: '2023-06-10', flag: 'suspension-due' }),
    ]);
    const early = await call(server, 'POST', `/v1/members/${member}/suspend`, { body: { decidedOn: '2023-12-09' } });
    expect({ status: early.status, type: early.body.type }).toEqual({
      status: 409,
      type: expect.stringMatching(/rules\/lost-contact-too-short$/),
    });
    const suspended = await call(server, 'POST', `/v1/members/${member}/suspend`, {
      body: { decidedOn: '2023-12-10' },
    });
    expect(suspended.status).toBe(200);
    expect((await report(suspended.body.position)).members).toEqual([
      expect.objectContaining({
        memberId: member,
        suspendedOn: '2023-12-10',
        flag: today() >= '2025-12-10' ? 'removal-due' : null,
      }),
    ]);
    expect((await call(server, 'GET', `/v1/members/${member}`)).body).toMatchObject({ suspendedOn: '2023-12-10' });
    const reinstated = await call(server, 'POST', `/v1/members/${member}/reinstate`, {
      body: { decidedOn: '2024-02-01' },
    });
    expect(reinstated.status).toBe(200);
    expect((await report(reinstated.body.position)).members).toEqual([]);
    expect((await call(server, 'GET', `/v1/members/${member}`)).body).toMatchObject({
      suspendedOn: null,
      lostContactSince: null,
    });
  });

  it('transfers the relation: rejected, cancelled, then accepted by the receiving organisation', async () => {
    const member = expectCreated(await call(server, 'POST', '/v1/members', { body: memberBody(ids.joint) }));
    const first = await call(server, 'POST', `/v1/members/${member}/transfers`, {
      body: { to: { orgId: ids.single }, effectiveOn: '2024-03-01', letterNo: `SH-${member}-1` },
    });
    expect(first.status).toBe(201);
    expect(first.body.transferId).toEqual(expect.any(String));
    expect(
      (
        await call(server, 'POST', `/v1/members/${member}/transfers/${String(first.body.transferId)}/reject`, {
          body: { reason: 'wrong branch' },
        })
      ).status,
    ).toBe(200);
    const second = await call(server, 'POST', `/v1/members/${member}/transfers`, {
      body: { to: { external: { name: '深圳市南山区委组织部', regionCode: '440305' } }, effectiveOn: '2024-04-01' },
    });
    expect(second.status).toBe(201);
    expect(
      (
        await call(server, 'POST', `/v1/members/${member}/transfers/${String(second.body.transferId)}/cancel`, {
          body: { reason: 'stays' },
        })
      ).status,
    ).toBe(200);
    const third = await call(server, 'POST', `/v1/members/${member}/transfers`, {
      body: {
        to: { orgId: ids.single },
        effectiveOn: '2024-05-01',
        letterNo: `SH-${member}-3`,
        validUntil: '2024-06-01',
      },
    });
    const accepted = await call(
      server,
      'POST',
      `/v1/members/${member}/transfers/${String(third.body.transferId)}/accept`,
      { body: { effectiveOn: '2024-05-10' } },
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body.warnings).toEqual([]);
    const view = await call(server, 'GET', `/v1/members/${member}`);
    expect(view.body).toMatchObject({ orgId: ids.single, pendingTransfer: null });
  });

  it('accepts a letter past its validity with the warning letter-expired', async () => {
    const member = expectCreated(await call(server, 'POST', '/v1/members', { body: memberBody(ids.joint) }));
    const letter = await call(server, 'POST', `/v1/members/${member}/transfers`, {
      body: { to: { orgId: ids.single }, effectiveOn: '2024-05-01', validUntil: '2024-05-31' },
    });
    expect(letter.status).toBe(201);
    expect((await call(server, 'GET', `/v1/members/${member}`)).body.pendingTransfer).toMatchObject({
      validUntil: '2024-05-31',
    });
    const accepted = await call(
      server,
      'POST',
      `/v1/members/${member}/transfers/${String(letter.body.transferId)}/accept`,
      { body: { effectiveOn: '2024-06-15' } },
    );
    expect({ status: accepted.status, warnings: accepted.body.warnings }).toEqual({
      status: 200,
      warnings: ['letter-expired'],
    });
  });

  it('registers a member transferred in from outside the registry, and records leaving', async () => {
    const member = expectCreated(
      await call(server, 'POST', '/v1/members', {
        body: memberBody(ids.single, {
          status: 'full',
          joinedOn: '2001-07-01',
          effectiveOn: '2024-02-01',
          origin: { external: { name: '杭州市西湖区某支部', regionCode: '330106', letterNo: 'ZJ-2024-0007' } },
        }),
      }),
    );
    const left = await call(server, 'POST', `/v1/members/${member}/leave`, {
      body: { reason: 'deceased', effectiveOn: '2024-09-01' },
    });
    expect(left.status).toBe(200);
    expect((await call(server, 'GET', `/v1/members/${member}`)).body.status).toBe('left');
  });

  it('hosts inflowing members from outside: counted at the host, ended by departure or by a transfer in', async () => {
    const person = memberBody(ids.single, { gender: 'male' });
    const inflowBody = (overrides: Record<string, unknown> = {}) => ({
      name: person.name,
      idNumber: person.idNumber,
      gender: person.gender,
      birthDate: person.birthDate,
      home: { name: '湖南省汨罗市委组织部', regionCode: '430681' },
      hostOrgId: ids.single,
      since: '2023-03-01',
      occupation: 'owner',
      certificateNo: 'LD-430681-0007',
      ...overrides,
    });
    const hosted = await call(server, 'POST', '/v1/inflowing-members', { body: inflowBody() });
    const inflowId = expectCreated(hosted);
    const again = await call(server, 'POST', '/v1/inflowing-members', { body: inflowBody() });
    expect({ status: again.status, type: again.body.type }).toEqual({
      status: 409,
      type: expect.stringMatching(/rules\/inflow-already-open$/),
    });
    const report = async (position: unknown) =>
      (await call(server, 'GET', `/v1/reports/flowing?hostOrgId=${ids.single}&minPosition=${String(position)}`))
        .body as { inflowing: number; convertedInflows: number };
    const before = await report(hosted.body.position);
    expect(before.inflowing).toBeGreaterThanOrEqual(1);
    const tree = await call(
      server,
      'GET',
      `/v1/organizations/${ids.single}/tree?asOf=2023-06-01&minPosition=${String(hosted.body.position)}`,
    );
    expect((tree.body.counts as { flowingIn: number }).flowingIn).toBeGreaterThanOrEqual(1);

    // The same person transfers the relation in: the inflow ends, counted as converted.
    const transferredIn = await call(server, 'POST', '/v1/members', {
      body: {
        ...person,
        status: 'full',
        joinedOn: '2010-07-01',
        effectiveOn: '2024-04-01',
        origin: { external: { name: '湖南省汨罗市委组织部', regionCode: '430681', letterNo: `HN-${inflowId}` } },
      },
    });
    expectCreated(transferredIn);
    const after = await report(transferredIn.body.position);
    expect({ inflowing: after.inflowing, converted: after.convertedInflows }).toEqual({
      inflowing: before.inflowing - 1,
      converted: before.convertedInflows + 1,
    });
    const depart = await call(server, 'POST', `/v1/inflowing-members/${inflowId}/depart`, {
      body: { effectiveOn: '2024-05-01' },
    });
    expect({ status: depart.status, type: depart.body.type }).toEqual({
      status: 409,
      type: expect.stringMatching(/rules\/inflow-ended$/),
    });

    const other = expectCreated(
      await call(server, 'POST', '/v1/inflowing-members', {
        body: (() => {
          const { idNumber, birthDate, gender } = memberBody(ids.single);
          return inflowBody({ idNumber, birthDate, gender, home: { name: '江西省某支部', regionCode: '360102' } });
        })(),
      }),
    );
    const departed = await call(server, 'POST', `/v1/inflowing-members/${other}/depart`, {
      body: { effectiveOn: '2024-05-01' },
    });
    expect(departed.status).toBe(200);
    const registeredHere = memberBody(ids.single);
    expectCreated(await call(server, 'POST', '/v1/members', { body: registeredHere }));
    const { idNumber, birthDate, gender } = registeredHere;
    const member = await call(server, 'POST', '/v1/inflowing-members', {
      body: inflowBody({ idNumber, birthDate, gender }),
    });
    expect({ status: member.status, type: member.body.type }).toEqual({
      status: 409,
      type: expect.stringMatching(/rules\/already-a-member$/),
    });
  });

  it('shows personal fields only to registrar, auditor and admin; history has actor and effective dates', async () => {
    const body = memberBody(ids.joint);
    const member = expectCreated(
      await call(server, 'POST', '/v1/members', { body, token: server.token('registrar', 'zhang.registrar') }),
    );
    for (const role of ['registrar', 'auditor', 'admin'] as const) {
      const view = await call(server, 'GET', `/v1/members/${member}`, { token: server.token(role) });
      expect(view.body.personal).toEqual({
        name: body.name,
        idNumber: body.idNumber,
        phone: body.phone,
        birthDate: body.birthDate,
      });
    }
    for (const role of ['reporter', 'integrator'] as const) {
      const view = await call(server, 'GET', `/v1/members/${member}`, { token: server.token(role) });
      expect(view.status).toBe(200);
      expect(view.body).not.toHaveProperty('personal');
      expect(JSON.stringify(view.body)).not.toContain(body.idNumber);
    }
    const history = await call(server, 'GET', `/v1/members/${member}/history`, { token: server.token('auditor') });
    expect(history.body.events).toEqual([
      expect.objectContaining({
        streamVersion: 1,
        type: 'MemberRegistered',
        actor: 'zhang.registrar',
        effectiveOn: '2023-03-01',
        recordedAt: expect.any(String),
      }),
    ]);
    expect(JSON.stringify(history.body)).not.toContain(body.idNumber);
  });

  it('forgets the person: the key is destroyed, history and counts remain, the fields read as erased', async () => {
    const body = memberBody(ids.joint);
    const member = expectCreated(await call(server, 'POST', '/v1/members', { body }));
    const raw = await server.database.pool.query<{ data: unknown }>(
      `SELECT data FROM event_store.events WHERE stream_id = $1`,
      [`member-${member}`],
    );
    expect(JSON.stringify(raw.rows)).not.toContain(body.idNumber);
    expect(JSON.stringify(raw.rows)).not.toContain(body.name);
    const before = await server.eventCount();

    const forgotten = await call(server, 'DELETE', `/v1/members/${member}/personal-data`, {
      token: server.token('admin'),
    });
    expect(forgotten.status).toBe(200);
    expect(await server.eventCount()).toBe(before + 1);
    const view = await call(server, 'GET', `/v1/members/${member}`, { token: server.token('admin') });
    expect(view.body).toMatchObject({ status: 'member', orgId: ids.joint, personal: { erased: true } });
    const history = await call(server, 'GET', `/v1/members/${member}/history`);
    expect((history.body.events as { type: string }[]).map((e) => e.type)).toEqual([
      'MemberRegistered',
      'PersonalDataForgotten',
    ]);
    // Forgetting again changes nothing.
    expect(
      (await call(server, 'DELETE', `/v1/members/${member}/personal-data`, { token: server.token('admin') })).body
        .streamVersion,
    ).toBe(2);
    expect(await server.eventCount()).toBe(before + 1);
  });
});

describe('committees and terms (换届)', () => {
  it('elects a small branch’s secretary and deputy, opens a vacancy when one leaves, and reports the term', async () => {
    const branch = expectCreated(
      await call(server, 'POST', '/v1/organizations', {
        body: {
          name: '张江软件园行业党支部',
          level: 'branch',
          form: 'industry',
          parentId: ids.root,
          regionCode: '310115',
          unitIds: [],
          establishedOn: '2014-01-01',
        },
      }),
    );
    const full = { status: 'full', joinedOn: '2010-07-01', effectiveOn: '2015-01-01' };
    const secretary = expectCreated(await call(server, 'POST', '/v1/members', { body: memberBody(branch, full) }));
    const deputy = expectCreated(await call(server, 'POST', '/v1/members', { body: memberBody(branch, full) }));
    const elect = (members: unknown[], electedOn = '2020-01-01') =>
      call(server, 'POST', `/v1/organizations/${branch}/committee`, { body: { electedOn, members } });
    const withAMember = await elect([
      { memberId: secretary, role: 'secretary' },
      { memberId: deputy, role: 'member' },
    ]);
    expect({ status: withAMember.status, type: withAMember.body.type }).toEqual({
      status: 409,
      type: expect.stringMatching(/rules\/committee-size$/),
    });
    const elected = await elect([
      { memberId: secretary, role: 'secretary' },
      { memberId: deputy, role: 'deputy-secretary' },
    ]);
    expect(elected.status).toBe(200);
    const committee = async (asOf: string) =>
      (await call(server, 'GET', `/v1/organizations/${branch}/committee?asOf=${asOf}`)).body;
    expect(await committee('2021-01-01')).toMatchObject({
      electedOn: '2020-01-01',
      termYears: 3,
      termEndsOn: '2023-01-01',
      postponedUntil: null,
      vacancies: [],
    });
    expect((await committee('2019-06-01')).electedOn).toBeNull();

    const left = await call(server, 'POST', `/v1/members/${deputy}/leave`, {
      body: { reason: 'withdrew', effectiveOn: '2022-01-01' },
    });
    expect(left.status).toBe(200);
    expect((await committee('2021-12-31')).vacancies).toEqual([]);
    expect((await committee('2022-06-01')).vacancies).toEqual([{ memberId: deputy, role: 'deputy-secretary' }]);

    const tooLong = await call(server, 'POST', `/v1/organizations/${branch}/election-postponed`, {
      body: { until: '2024-01-02', approvedOn: '2022-12-01', reason: '企业搬迁' },
    });
    expect({ status: tooLong.status, type: tooLong.body.type }).toEqual({
      status: 409,
      type: expect.stringMatching(/rules\/postponement-too-long$/),
    });
    const postponed = await call(server, 'POST', `/v1/organizations/${branch}/election-postponed`, {
      body: { until: '2023-06-01', approvedOn: '2022-12-01', reason: '企业搬迁' },
    });
    expect(postponed.status).toBe(200);
    expect((await committee('2023-01-01')).postponedUntil).toBe('2023-06-01');

    const overdue = await call(
      server,
      'GET',
      `/v1/reports/terms?orgId=${ids.root}&status=overdue&minPosition=${String(postponed.body.position)}`,
    );
    expect(overdue.status).toBe(200);
    expect(overdue.body.organizations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          orgId: branch,
          termEndsOn: '2023-01-01',
          postponedUntil: '2023-06-01',
          dueOn: '2023-06-01',
        }),
      ]),
    );
    const due = await call(server, 'GET', `/v1/reports/terms?orgId=${branch}&status=due&withinMonths=6`);
    expect(due.body.organizations).toEqual([]);
  });
});

describe('appraisals and star ratings (民主评议, 星级创建)', () => {
  it('records one grade per member and year and one rating per organisation and year, and reports them', async () => {
    const appraised = await call(server, 'POST', `/v1/members/${ids.member}/appraisals`, {
      body: { year: 2023, grade: 'excellent', decidedOn: '2024-01-10' },
    });
    expect(appraised.status).toBe(200);
    const regraded = await call(server, 'POST', `/v1/members/${ids.member}/appraisals`, {
      body: { year: 2023, grade: 'qualified', decidedOn: '2024-01-12' },
    });
    expect({ status: regraded.status, type: regraded.body.type }).toEqual({
      status: 409,
      type: expect.stringMatching(/rules\/appraisal-already-recorded$/),
    });
    const rated = await call(server, 'POST', `/v1/organizations/${ids.joint}/ratings`, {
      body: { year: 2023, stars: 4, ratedOn: '2024-01-15' },
    });
    expect(rated.status).toBe(200);
    const position = String(rated.body.position);
    const ratings = await call(
      server,
      'GET',
      `/v1/reports/ratings?orgId=${ids.root}&year=2023&minPosition=${position}`,
    );
    expect(ratings.status).toBe(200);
    expect(ratings.body.exemplary).toEqual([expect.objectContaining({ orgId: ids.joint, stars: 4 })]);
    expect((ratings.body.byStars as { stars: number; organizations: number }[])[3]).toEqual({
      stars: 4,
      organizations: 1,
    });
    const appraisals = await call(server, 'GET', `/v1/reports/appraisals?orgId=${ids.joint}&year=2023`);
    expect(appraisals.status).toBe(200);
    expect((appraisals.body.byGrade as { grade: string; members: number }[])[0]).toEqual({
      grade: 'excellent',
      members: 1,
    });
    const history = await call(server, 'GET', `/v1/members/${ids.member}/history`);
    expect((history.body.events as { type: string }[]).map((e) => e.type)).toContain('MemberAppraised');

    const entry = { year: 2024, delta: -120, category: '组织生活', reason: '缺席主题党日', recordedOn: '2024-05-10' };
    const scored = await call(server, 'POST', `/v1/members/${ids.member}/points`, { body: entry });
    expect(scored.status).toBe(200);
    expect((await call(server, 'POST', `/v1/members/${ids.member}/points`, { body: entry })).body.streamVersion).toBe(
      scored.body.streamVersion,
    );
    const points = await call(
      server,
      'GET',
      `/v1/reports/points?orgId=${ids.joint}&year=2024&minPosition=${String(scored.body.position)}`,
    );
    expect(points.status).toBe(200);
    expect(points.body.settings).toEqual({ base: 1000, honourAt: 900, supportBelow: 500 });
    expect(points.body.members).toEqual(
      expect.arrayContaining([{ memberId: ids.member, orgId: ids.joint, score: 880, band: 'normal' }]),
    );
  });
});

describe('organisational life (三会一课)', () => {
  it('records a meeting with its members and the flowing members it hosts, and reports what was due and held', async () => {
    const branch = expectCreated(
      await call(server, 'POST', '/v1/organizations', {
        body: {
          name: 'D 公司党支部',
          level: 'branch',
          form: 'single',
          parentId: ids.root,
          regionCode: '310115',
          unitIds: [],
          establishedOn: '2023-01-01',
        },
      }),
    );
    const [present, away] = [
      expectCreated(await call(server, 'POST', '/v1/members', { body: memberBody(branch, { status: 'full' }) })),
      expectCreated(await call(server, 'POST', '/v1/members', { body: memberBody(branch, { status: 'full' }) })),
    ];
    const visitor = expectCreated(await call(server, 'POST', '/v1/members', { body: memberBody(ids.joint) }));
    const flowedOut = await call(server, 'POST', `/v1/members/${visitor}/flow-out`, {
      body: { since: '2024-02-01', destinationRegionCode: '310115', hostOrgId: branch, certificateNo: 'LD-2024-90' },
    });
    expect(flowedOut.status).toBe(200);
    const { name, idNumber, gender, birthDate } = memberBody(branch);
    const inflow = expectCreated(
      await call(server, 'POST', '/v1/inflowing-members', {
        body: {
          name,
          idNumber,
          gender,
          birthDate,
          home: { name: '湖南省汨罗市委组织部', regionCode: '430681' },
          hostOrgId: branch,
          since: '2023-06-01',
        },
      }),
    );
    const meeting = {
      kind: 'theme-day',
      heldOn: '2024-07-01',
      topic: '学习党章',
      attendeeIds: [present, visitor, inflow],
      absences: [{ memberId: away, reason: '出差' }],
    };
    const held = await call(server, 'POST', `/v1/organizations/${branch}/meetings`, { body: meeting });
    expect(held.status).toBe(200);
    const retried = await call(server, 'POST', `/v1/organizations/${branch}/meetings`, { body: meeting });
    expect(retried.body.streamVersion).toBe(held.body.streamVersion);
    const other = await call(server, 'POST', `/v1/organizations/${branch}/meetings`, {
      body: { ...meeting, attendeeIds: [present] },
    });
    expect({ status: other.status, type: other.body.type }).toEqual({
      status: 409,
      type: expect.stringMatching(/rules\/meeting-already-recorded$/),
    });
    // Before she flowed out to the branch, the visitor did not belong to it.
    const early = await call(server, 'POST', `/v1/organizations/${branch}/meetings`, {
      body: { ...meeting, heldOn: '2024-01-15', absences: [] },
    });
    expect({
      status: early.status,
      type: early.body.type,
      field: (early.body.errors as { field: string }[] | undefined)?.[0]?.field,
    }).toEqual({
      status: 409,
      type: expect.stringMatching(/rules\/attendee-not-in-organization$/),
      field: 'attendeeIds[1]',
    });

    const report = await call(
      server,
      'GET',
      `/v1/reports/organizational-life?orgId=${branch}&from=2024-01&to=2024-12&minPosition=${String(held.body.position)}`,
    );
    expect(report.status).toBe(200);
    const [life] = report.body.organizations as {
      orgId: string;
      kinds: { kind: string; required: number; held: number; met: boolean }[];
      absentMembers: { memberId: string; lastAttendedOn: string | null }[];
    }[];
    expect(life?.orgId).toBe(branch);
    expect(life?.kinds.find((k) => k.kind === 'theme-day')).toMatchObject({ required: 12, held: 1, met: false });
    expect(life?.kinds.find((k) => k.kind === 'committee-meeting')).toMatchObject({ required: 0, met: true });
    expect(life?.absentMembers).toEqual([{ memberId: away, lastAttendedOn: null }]);
  });
});

describe('grids (网格联建)', () => {
  it('joins units under a lead rated four stars or more, and answers the grid and its coverage as of a date', async () => {
    const rated = await call(server, 'POST', `/v1/organizations/${ids.single}/ratings`, {
      body: { year: 2022, stars: 5, ratedOn: '2023-01-10' },
    });
    expect(rated.status).toBe(200);
    const grid = {
      name: '浦东软件产业网格',
      regionCode: '310115',
      leadOrgId: ids.single,
      unitIds: [ids.unitC],
      establishedOn: '2023-02-01',
    };
    const established = await call(server, 'POST', '/v1/grids', { body: grid });
    ids.grid = expectCreated(established);
    const retried = await call(server, 'POST', '/v1/grids', { body: { ...grid, id: ids.grid } });
    expect(retried.status).toBe(201);
    expect(retried.body.streamVersion).toBe(established.body.streamVersion);
    const joined = await call(server, 'POST', `/v1/grids/${ids.grid}/units`, {
      body: { unitId: ids.unitA, effectiveOn: '2023-03-01' },
    });
    expect(joined.status).toBe(200);
    const left = await call(server, 'POST', `/v1/grids/${ids.grid}/units/${ids.unitC}/leave`, {
      body: { effectiveOn: '2023-09-01' },
    });
    expect(left.status).toBe(200);
    const position = String(left.body.position);
    const asOf = async (date: string) =>
      (await call(server, 'GET', `/v1/grids/${ids.grid}?asOf=${date}&minPosition=${position}`)).body as {
        lead: { orgId: string; latestRating: { year: number; stars: number } | null };
        units: { unitId: string }[];
        counts: { units: number };
      };
    const summer = await asOf('2023-06-01');
    expect(summer.lead).toMatchObject({ orgId: ids.single, latestRating: { year: 2022, stars: 5 } });
    expect(summer.units.map((u) => u.unitId).sort()).toEqual([ids.unitA, ids.unitC].sort());
    expect((await asOf('2023-12-01')).units.map((u) => u.unitId)).toEqual([ids.unitA]);
    const coverage = await call(server, 'GET', `/v1/coverage?groupBy=grid&asOf=2023-06-01&minPosition=${position}`);
    expect(coverage.status).toBe(200);
    expect(coverage.body.rows).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: ids.grid, label: '浦东软件产业网格', units: 2 })]),
    );
  });
});

/** An applicant's body: a person not yet registered, 18 or older on `appliedOn`. */
const applicationBody = (orgId: string, overrides: Record<string, unknown> = {}) => {
  const { name, idNumber, gender, birthDate, phone } = memberBody(orgId);
  return {
    name,
    idNumber,
    gender,
    birthDate,
    phone,
    orgId,
    occupation: 'technical-worker',
    appliedOn: '2022-03-01',
    ...overrides,
  };
};

describe('applicants (发展党员)', () => {
  it('takes an applicant from application to probationary member, with the warnings of late steps', async () => {
    const secondFull = expectCreated(
      await call(server, 'POST', '/v1/members', {
        body: memberBody(ids.joint, { status: 'full', joinedOn: '2012-07-01', effectiveOn: '2012-07-01' }),
      }),
    );
    const body = applicationBody(ids.joint);
    const applicant = expectCreated(await call(server, 'POST', '/v1/applicants', { body }));
    const second = await call(server, 'POST', '/v1/applicants', { body });
    expect({ status: second.status, type: second.body.type }).toEqual({
      status: 409,
      type: expect.stringMatching(/rules\/application-already-open$/),
    });
    const step = (path: string, stepBody: Record<string, unknown>) =>
      call(server, 'POST', `/v1/applicants/${applicant}/${path}`, { body: stepBody });

    const interview = await step('interview', { interviewedOn: '2022-04-10', interviewerId: ids.member });
    expect({ status: interview.status, warnings: interview.body.warnings }).toEqual({
      status: 200,
      warnings: ['interview-late'],
    });
    expect((await step('activist', { designatedOn: '2022-06-01', contactIds: [ids.member] })).status).toBe(200);
    expect((await step('reviews', { reviewedOn: '2022-12-01', summary: '学习认真，表现良好' })).status).toBe(200);
    const candidate = {
      designatedOn: '2023-06-10',
      introducerIds: [ids.member, secondFull],
      politicalReviewOn: '2023-06-01',
    };
    expect((await step('candidate', candidate)).status).toBe(200);
    expect((await step('candidate', candidate)).body.streamVersion).toBe(5); // a retry writes nothing
    expect((await step('training', { completedOn: '2023-09-01', hours: 16 })).status).toBe(200);
    expect((await step('training', { completedOn: '2023-10-01', hours: 8 })).status).toBe(200);
    const admitted = await step('admission', { meetingOn: '2024-01-15', eligibleVoters: 9, present: 8, inFavour: 7 });
    expect(admitted.status).toBe(200);
    const approved = await step('approve', { approvedOn: '2024-05-01' });
    expect({ status: approved.status, warnings: approved.body.warnings }).toEqual({
      status: 200,
      warnings: ['approval-late'],
    });
    const memberId = approved.body.memberId as string;
    expect(memberId).toEqual(expect.any(String));
    expect((await step('approve', { approvedOn: '2024-05-01' })).body).toMatchObject({ memberId, streamVersion: 9 });

    const member = await call(server, 'GET', `/v1/members/${memberId}`);
    expect(member.body).toMatchObject({
      status: 'member',
      standing: 'probationary',
      joinedOn: '2024-01-15',
      orgId: ids.joint,
      probationEndsOn: '2025-01-15',
      personal: { name: body.name, idNumber: body.idNumber },
    });
    const view = await call(server, 'GET', `/v1/applicants/${applicant}`);
    expect(view.body).toMatchObject({
      stage: 'approved',
      appliedOn: '2022-03-01',
      interview: { interviewedOn: '2022-04-10', interviewerId: ids.member },
      activist: { designatedOn: '2022-06-01' },
      candidate: { designatedOn: '2023-06-10' },
      training: { hours: 24 },
      admission: { meetingOn: '2024-01-15' },
      approval: { approvedOn: '2024-05-01', memberId },
      withdrawal: null,
      personal: { name: body.name },
    });
    expect(view.headers.get('etag')).toBe('"9"');
    // One registration per ID number: the new member cannot apply again, nor be registered twice.
    const reapply = await call(server, 'POST', '/v1/applicants', { body: { ...body, appliedOn: '2024-06-01' } });
    expect({ status: reapply.status, type: reapply.body.type }).toEqual({
      status: 409,
      type: expect.stringMatching(/rules\/already-a-member$/),
    });

    const report = await call(
      server,
      'GET',
      `/v1/reports/development?orgId=${ids.root}&year=2022&minPosition=${String(approved.body.position)}`,
    );
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ orgId: ids.root, year: 2022 });
    expect(report.body.applied).toBeGreaterThanOrEqual(1);
    expect(report.body.activists).toBeGreaterThanOrEqual(1);
    const in2024 = await call(server, 'GET', `/v1/reports/development?orgId=${ids.joint}&year=2024`);
    expect(in2024.body.approved).toBeGreaterThanOrEqual(1);

    // Forgetting the applicant forgets the member they became.
    const forgotten = await call(server, 'DELETE', `/v1/applicants/${applicant}/personal-data`, {
      token: server.token('admin'),
    });
    expect(forgotten.status).toBe(200);
    expect((await call(server, 'GET', `/v1/applicants/${applicant}`)).body.personal).toEqual({ erased: true });
    expect((await call(server, 'GET', `/v1/members/${memberId}`)).body.personal).toEqual({ erased: true });
  });

  it('ends an application on withdrawal; the person may apply again', async () => {
    const body = applicationBody(ids.single);
    const applicant = expectCreated(await call(server, 'POST', '/v1/applicants', { body }));
    const withdrawn = await call(server, 'POST', `/v1/applicants/${applicant}/withdraw`, {
      body: { effectiveOn: '2022-05-01', reason: '本人申请撤回' },
    });
    expect(withdrawn.status).toBe(200);
    expect((await call(server, 'GET', `/v1/applicants/${applicant}`)).body).toMatchObject({
      stage: 'withdrawn',
      withdrawal: { effectiveOn: '2022-05-01', reason: '本人申请撤回' },
    });
    const interview = await call(server, 'POST', `/v1/applicants/${applicant}/interview`, {
      body: { interviewedOn: '2022-05-10', interviewerId: ids.member },
    });
    expect({ status: interview.status, type: interview.body.type }).toEqual({
      status: 409,
      type: expect.stringMatching(/rules\/application-ended$/),
    });
    expectCreated(await call(server, 'POST', '/v1/applicants', { body: { ...body, appliedOn: '2023-03-01' } }));
  });

  it('keeps an applicant outside a registrar\u2019s subtree out of reach', async () => {
    const applicant = expectCreated(
      await call(server, 'POST', '/v1/applicants', { body: applicationBody(ids.single) }),
    );
    const scoped = server.token('registrar', 'joint.registrar', ids.joint);
    expect((await call(server, 'GET', `/v1/applicants/${applicant}`, { token: scoped })).status).toBe(403);
    const interview = await call(server, 'POST', `/v1/applicants/${applicant}/interview`, {
      token: scoped,
      body: { interviewedOn: '2022-03-10', interviewerId: ids.member },
    });
    expect(interview.status).toBe(403);
    const report = await call(server, 'GET', `/v1/reports/development?orgId=${ids.single}`, { token: scoped });
    expect(report.status).toBe(403);
  });
});

describe('idempotency and concurrency headers', () => {
  it('answers a repeated Idempotency-Key with the first response and writes nothing; another body is 422', async () => {
    const body = unitBody();
    const headers = { 'idempotency-key': `unit-${body.creditCode}` };
    const first = await call(server, 'POST', '/v1/units', { body, headers });
    expect(first.status).toBe(201);
    const count = await server.eventCount();
    const again = await call(server, 'POST', '/v1/units', { body, headers });
    expect({ status: again.status, body: again.body }).toEqual({ status: 201, body: first.body });
    expect(await server.eventCount()).toBe(count);
    const other = await call(server, 'POST', '/v1/units', { body: { ...body, name: 'another name' }, headers });
    expect(other.status).toBe(422);
    expect(other.body.type).toMatch(/idempotency-key-reused$/);
    expect(await server.eventCount()).toBe(count);
  });

  it('applies a command whose If-Match still matches and refuses one that does not', async () => {
    const unit = expectCreated(await call(server, 'POST', '/v1/units', { body: unitBody() }));
    const ok = await call(server, 'POST', `/v1/units/${unit}/instructors`, {
      body: { name: '甲', assignedOn: '2020-01-01' },
      headers: { 'if-match': '"1"' },
    });
    expect(ok.status).toBe(200);
    const count = await server.eventCount();
    const stale = await call(server, 'POST', `/v1/units/${unit}/instructors`, {
      body: { name: '乙', assignedOn: '2020-01-01' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"2"');
    expect(await server.eventCount()).toBe(count);
  });

  it('lets exactly one of 50 parallel transfers of one member through', async () => {
    const member = expectCreated(await call(server, 'POST', '/v1/members', { body: memberBody(ids.joint) }));
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(server, 'POST', `/v1/members/${member}/transfers`, {
          body: { to: { orgId: ids.single }, effectiveOn: '2024-03-01', letterNo: `PAR-${member}-${i}` },
        }),
      ),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    const refused = replies.filter((r) => r.status !== 201);
    expect(new Set(refused.map((r) => `${r.status} ${String(r.body.type)}`))).toEqual(
      new Set(['409 https://liangxin-registry.example/problems/rules/transfer-already-pending']),
    );
    const events = await server.database.eventStore.readStream(`member-${member}`);
    expect(events.filter((e) => e.type === 'TransferInitiated')).toHaveLength(1);
    const reserved = await server.database.pool.query(
      `SELECT count(*)::int AS n FROM command_side.reservations WHERE kind = 'letter-no' AND value LIKE $1`,
      [`PAR-${member}-%`],
    );
    expect(reserved.rows[0]).toEqual({ n: 1 });
  });

  it('registers one of two concurrent registrations of the same resident ID number', async () => {
    const body = memberBody(ids.joint);
    const replies = await Promise.all(Array.from({ length: 6 }, () => call(server, 'POST', '/v1/members', { body })));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409).map((r) => r.body.type)).toEqual(
      Array.from(
        { length: 5 },
        () => 'https://liangxin-registry.example/problems/rules/resident-id-already-registered',
      ),
    );
  });
});

describe('text and amounts within bounds are accepted, and every read model applies them', () => {
  it('takes Chinese, tabs and newlines in text and the largest income a read model stores', async () => {
    expectCreated(
      await call(server, 'POST', '/v1/units', {
        body: unitBody({ name: '张江\t软件园 A 座', industry: 'software\nservices' }),
      }),
    );
    const member = expectCreated(
      await call(server, 'POST', '/v1/members', {
        body: memberBody(ids.joint, {
          name: '欧阳娜娜',
          origin: { external: { name: '杭州市西湖区\n某党委', regionCode: '330106', letterNo: 'ZJ-2023-0042' } },
        }),
      }),
    );
    const assessed = await call(server, 'POST', `/v1/members/${member}/dues/assessments`, {
      body: { from: '2024-01', category: 'employed', monthlyIncomeFen: 2_147_483_647 },
    });
    expect(assessed.status).toBe(200);
    expect(assessed.body.monthlyDuesFen).toBe(monthlyDuesFen('employed', 2_147_483_647));
    await waitForProjections(
      server.database.pool,
      ['members', 'dues'],
      BigInt(assessed.body.position as string),
      10_000,
    );
    const { rows } = await server.database.pool.query<{ name: string }>(
      `SELECT name FROM projections.generations WHERE state = 'live' AND status <> 'running'`,
    );
    expect(rows).toEqual([]);
    expect((await call(server, 'GET', `/v1/members/${member}`)).body).toMatchObject({
      personal: { name: '欧阳娜娜' },
      origin: { external: { name: '杭州市西湖区\n某党委' } },
    });
  });
});

describe('bad input changes nothing', () => {
  type Case = {
    name: string;
    method?: string;
    path: () => string;
    body?: () => unknown;
    token?: () => string | null;
    headers?: Record<string, string>;
    status: number;
    type: RegExp;
    field?: string;
  };
  const unknownId = '0190a6a2-0000-7000-8000-00000000dead';
  const KNOWN_ID_NUMBER = residentId('1975-01-01', 'female', 7);
  const inflowingBody = (overrides: Record<string, unknown> = {}) => {
    const { name, idNumber, gender, birthDate } = memberBody(ids.single);
    return {
      name,
      idNumber,
      gender,
      birthDate,
      home: { name: '湖南省汨罗市委组织部', regionCode: '430681' },
      hostOrgId: ids.single,
      since: '2023-03-01',
      ...overrides,
    };
  };
  const cases: Case[] = [
    {
      name: 'malformed JSON',
      path: () => '/v1/units',
      body: () => '{"name": "x",',
      status: 400,
      type: /malformed-json$/,
      field: '(body)',
    },
    {
      name: 'a JSON array instead of an object',
      path: () => '/v1/units',
      body: () => [1, 2],
      status: 400,
      type: /invalid-request$/,
      field: '(body)',
    },
    {
      name: 'a wrong type',
      path: () => '/v1/units',
      body: () => unitBody({ name: 5 }),
      status: 400,
      type: /invalid-request$/,
      field: 'name',
    },
    {
      name: 'a missing field',
      path: () => '/v1/units',
      body: () => ({ ...unitBody(), industry: undefined }),
      status: 400,
      type: /invalid-request$/,
      field: 'industry',
    },
    {
      name: 'an unknown field',
      path: () => '/v1/units',
      body: () => unitBody({ nickname: 'x' }),
      status: 400,
      type: /invalid-request$/,
      field: 'nickname',
    },
    {
      name: 'a credit code with a bad check character',
      path: () => '/v1/units',
      body: () => unitBody({ creditCode: withWrongCheck(creditCode(nextSerial())) }),
      status: 400,
      type: /invalid-request$/,
      field: 'creditCode',
    },
    {
      name: 'an unknown province in a region code',
      path: () => '/v1/units',
      body: () => unitBody({ regionCode: '990101' }),
      status: 400,
      type: /invalid-request$/,
      field: 'regionCode',
    },
    {
      name: 'a unit region code that is well formed but names no area',
      path: () => '/v1/units',
      body: () => unitBody({ regionCode: '310199' }),
      status: 400,
      type: /invalid-request$/,
      field: 'regionCode',
    },
    {
      name: 'an impossible date',
      path: () => '/v1/units',
      body: () => unitBody({ registeredOn: '2024-02-30' }),
      status: 400,
      type: /invalid-request$/,
      field: 'registeredOn',
    },
    {
      name: 'a negative employee count',
      path: () => '/v1/units',
      body: () => unitBody({ employeeCount: -1 }),
      status: 400,
      type: /invalid-request$/,
      field: 'employeeCount',
    },
    {
      name: 'a name over 200 characters',
      path: () => '/v1/units',
      body: () => unitBody({ name: 'x'.repeat(201) }),
      status: 400,
      type: /invalid-request$/,
      field: 'name',
    },
    {
      name: 'a date in the future',
      path: () => '/v1/units',
      body: () => unitBody({ registeredOn: '2999-01-01' }),
      status: 409,
      type: /rules\/date-in-future$/,
      field: 'registeredOn',
    },
    {
      name: 'a credit code already registered',
      path: () => '/v1/units',
      body: () => unitBody({ creditCode: creditCode(1) }),
      status: 409,
      type: /rules\/credit-code-already-registered$/,
      field: 'creditCode',
    },
    {
      name: 'no token',
      path: () => '/v1/units',
      body: () => unitBody(),
      token: () => null,
      status: 401,
      type: /unauthenticated$/,
    },
    {
      name: 'a forged token',
      path: () => '/v1/units',
      body: () => unitBody(),
      token: () => `${server.token('admin').slice(0, -4)}AAAA`,
      status: 401,
      type: /unauthenticated$/,
    },
    {
      name: 'a reporter issuing a command',
      path: () => '/v1/units',
      body: () => unitBody(),
      token: () => server.token('reporter'),
      status: 403,
      type: /forbidden$/,
    },
    {
      name: 'a body over 1 MiB',
      path: () => '/v1/units',
      body: () => unitBody({ industry: 'x'.repeat(1_100_000) }),
      status: 413,
      type: /body-too-large$/,
    },
    {
      name: 'an instructor for an unknown unit',
      path: () => `/v1/units/${unknownId}/instructors`,
      body: () => ({ name: '李明', assignedOn: '2020-01-01' }),
      status: 404,
      type: /rules\/unit-not-found$/,
    },
    {
      name: 'a path id that is not a UUID',
      path: () => '/v1/units/42/close',
      body: () => ({ effectiveOn: '2020-01-01' }),
      status: 400,
      type: /invalid-request$/,
      field: 'id',
    },
    {
      name: 'closing a unit before it was registered',
      path: () => `/v1/units/${ids.unitA}/close`,
      body: () => ({ effectiveOn: '2000-01-01' }),
      status: 409,
      type: /rules\/date-before-registration$/,
      field: 'effectiveOn',
    },
    {
      name: 'a joint branch of one unit',
      path: () => '/v1/organizations',
      body: () => ({
        name: 'x',
        level: 'branch',
        form: 'joint',
        parentId: ids.root,
        regionCode: '310115',
        unitIds: [ids.unitA],
        establishedOn: '2020-01-01',
      }),
      status: 409,
      type: /rules\/joint-needs-two-units$/,
      field: 'unitIds',
    },
    {
      name: 'an unknown parent',
      path: () => '/v1/organizations',
      body: () => ({
        name: 'x',
        level: 'branch',
        form: 'industry',
        parentId: unknownId,
        regionCode: '310115',
        unitIds: [],
        establishedOn: '2020-01-01',
      }),
      status: 409,
      type: /rules\/parent-not-found$/,
      field: 'parentId',
    },
    {
      name: 'an unknown unit',
      path: () => '/v1/organizations',
      body: () => ({
        name: 'x',
        level: 'branch',
        form: 'joint',
        parentId: ids.root,
        regionCode: '310115',
        unitIds: [ids.unitA, unknownId],
        establishedOn: '2020-01-01',
      }),
      status: 409,
      type: /rules\/unit-not-found$/,
      field: 'unitIds',
    },
    {
      name: 'an unknown level',
      path: () => '/v1/organizations',
      body: () => ({
        name: 'x',
        level: 'cell',
        form: 'single',
        regionCode: '310115',
        unitIds: [],
        establishedOn: '2020-01-01',
      }),
      status: 400,
      type: /invalid-request$/,
      field: 'level',
    },
    {
      name: 'an organisation region code retired since 2015 (闸北区)',
      path: () => '/v1/organizations',
      body: () => ({
        name: 'x',
        level: 'branch',
        form: 'industry',
        parentId: ids.root,
        regionCode: '310108',
        unitIds: [],
        establishedOn: '2020-01-01',
      }),
      status: 400,
      type: /invalid-request$/,
      field: 'regionCode',
    },
    {
      name: 're-parenting into its own subtree',
      path: () => `/v1/organizations/${ids.generalBranch}/reparent`,
      body: () => ({ parentId: ids.joint, effectiveOn: '2020-01-01' }),
      status: 409,
      type: /rules\/reparent-cycle$/,
      field: 'parentId',
    },
    {
      name: 'dissolving an organisation with children',
      path: () => `/v1/organizations/${ids.generalBranch}/dissolve`,
      body: () => ({ effectiveOn: '2024-01-01', reason: 'x' }),
      status: 409,
      type: /rules\/organization-not-empty$/,
    },
    {
      name: 'dissolving an organisation with members',
      path: () => `/v1/organizations/${ids.joint}/dissolve`,
      body: () => ({ effectiveOn: '2024-01-01', reason: 'x' }),
      status: 409,
      type: /rules\/organization-not-empty$/,
    },
    {
      name: 'an inflowing member with a bad resident ID check character',
      path: () => '/v1/inflowing-members',
      body: () => inflowingBody({ idNumber: withWrongCheck(memberBody(ids.single).idNumber) }),
      status: 400,
      type: /invalid-request$/,
      field: 'idNumber',
    },
    {
      name: 'an inflowing member whose home region is no region code',
      path: () => '/v1/inflowing-members',
      body: () => inflowingBody({ home: { name: '某支部', regionCode: '99x' } }),
      status: 400,
      type: /invalid-request$/,
      field: 'home.regionCode',
    },
    {
      name: 'an inflowing member without a home',
      path: () => '/v1/inflowing-members',
      body: () => ({ ...inflowingBody(), home: undefined }),
      status: 400,
      type: /invalid-request$/,
      field: 'home',
    },
    {
      name: 'an inflowing member with an unknown field',
      path: () => '/v1/inflowing-members',
      body: () => inflowingBody({ orgId: ids.single }),
      status: 400,
      type: /invalid-request$/,
      field: 'orgId',
    },
    {
      name: 'an inflowing member arriving on no real date',
      path: () => '/v1/inflowing-members',
      body: () => inflowingBody({ since: '2023-02-29' }),
      status: 400,
      type: /invalid-request$/,
      field: 'since',
    },
    {
      name: 'an inflowing member arriving in the future',
      path: () => '/v1/inflowing-members',
      body: () => inflowingBody({ since: addDays(today(), 30) }),
      status: 409,
      type: /rules\/date-in-future$/,
      field: 'since',
    },
    {
      name: 'an inflowing member hosted by an unknown organisation',
      path: () => '/v1/inflowing-members',
      body: () => inflowingBody({ hostOrgId: unknownId }),
      status: 409,
      type: /rules\/organization-not-found$/,
      field: 'hostOrgId',
    },
    {
      name: 'an inflowing member with an occupation not in the list',
      path: () => '/v1/inflowing-members',
      body: () => inflowingBody({ occupation: 'astronaut' }),
      status: 400,
      type: /invalid-request$/,
      field: 'occupation',
    },
    {
      name: 'the departure of an unknown inflowing member',
      path: () => `/v1/inflowing-members/${unknownId}/depart`,
      body: () => ({ effectiveOn: '2024-01-01' }),
      status: 404,
      type: /rules\/inflowing-member-not-found$/,
    },
    {
      name: 'a departure on no date',
      path: () => `/v1/inflowing-members/${unknownId}/depart`,
      body: () => ({ effectiveOn: 'soon' }),
      status: 400,
      type: /invalid-request$/,
      field: 'effectiveOn',
    },
    {
      name: 'an applicant under 18 on the day of applying',
      path: () => '/v1/applicants',
      body: () => {
        const birthDate = addDays('2005-01-01', nextSerial());
        return applicationBody(ids.joint, { birthDate, idNumber: residentId(birthDate, 'female', serial % 400) });
      },
      status: 409,
      type: /rules\/applicant-under-18$/,
      field: 'birthDate',
    },
    {
      name: 'an application by a current member',
      path: () => '/v1/applicants',
      body: () => applicationBody(ids.joint, { idNumber: KNOWN_ID_NUMBER, birthDate: '1975-01-01' }),
      status: 409,
      type: /rules\/already-a-member$/,
      field: 'idNumber',
    },
    {
      name: 'an application with a bad resident ID check character',
      path: () => '/v1/applicants',
      body: () => {
        const b = applicationBody(ids.joint);
        return { ...b, idNumber: withWrongCheck(b.idNumber) };
      },
      status: 400,
      type: /invalid-request$/,
      field: 'idNumber',
    },
    {
      name: 'an application without a name',
      path: () => '/v1/applicants',
      body: () => ({ ...applicationBody(ids.joint), name: undefined }),
      status: 400,
      type: /invalid-request$/,
      field: 'name',
    },
    {
      name: 'an application with a gender not in the list',
      path: () => '/v1/applicants',
      body: () => applicationBody(ids.joint, { gender: 'x' }),
      status: 400,
      type: /invalid-request$/,
      field: 'gender',
    },
    {
      name: 'an application with a phone that is no number',
      path: () => '/v1/applicants',
      body: () => applicationBody(ids.joint, { phone: 'call me' }),
      status: 400,
      type: /invalid-request$/,
      field: 'phone',
    },
    {
      name: 'an application to an unknown organisation',
      path: () => '/v1/applicants',
      body: () => applicationBody(unknownId),
      status: 409,
      type: /rules\/organization-not-found$/,
      field: 'orgId',
    },
    {
      name: 'an application naming an unknown unit',
      path: () => '/v1/applicants',
      body: () => applicationBody(ids.joint, { unitId: unknownId }),
      status: 409,
      type: /rules\/unit-not-found$/,
      field: 'unitId',
    },
    {
      name: 'an application with an occupation not in the list',
      path: () => '/v1/applicants',
      body: () => applicationBody(ids.joint, { occupation: 'astronaut' }),
      status: 400,
      type: /invalid-request$/,
      field: 'occupation',
    },
    {
      name: 'an application on no real date',
      path: () => '/v1/applicants',
      body: () => applicationBody(ids.joint, { appliedOn: '2023-02-29' }),
      status: 400,
      type: /invalid-request$/,
      field: 'appliedOn',
    },
    {
      name: 'an application dated in the future',
      path: () => '/v1/applicants',
      body: () => applicationBody(ids.joint, { appliedOn: addDays(today(), 30) }),
      status: 409,
      type: /rules\/date-in-future$/,
      field: 'appliedOn',
    },
    {
      name: 'an application with an unknown field',
      path: () => '/v1/applicants',
      body: () => applicationBody(ids.joint, { joinedOn: '2024-01-01' }),
      status: 400,
      type: /invalid-request$/,
      field: 'joinedOn',
    },
    {
      name: 'an interview of an unknown applicant',
      path: () => `/v1/applicants/${unknownId}/interview`,
      body: () => ({ interviewedOn: '2024-01-01', interviewerId: ids.member }),
      status: 404,
      type: /rules\/applicant-not-found$/,
    },
    {
      name: 'an interviewer who is no id',
      path: () => `/v1/applicants/${pipeline.fresh}/interview`,
      body: () => ({ interviewedOn: '2024-01-01', interviewerId: 'the secretary' }),
      status: 400,
      type: /invalid-request$/,
      field: 'interviewerId',
    },
    {
      name: 'a probationary interviewer',
      path: () => `/v1/applicants/${pipeline.fresh}/interview`,
      body: () => ({ interviewedOn: '2024-01-01', interviewerId: ids.probationer }),
      status: 409,
      type: /rules\/interviewer-not-full-member$/,
      field: 'interviewerId',
    },
    {
      name: 'an interview before the application',
      path: () => `/v1/applicants/${pipeline.fresh}/interview`,
      body: () => ({ interviewedOn: '2021-01-01', interviewerId: ids.member }),
      status: 409,
      type: /rules\/date-before-previous-step$/,
      field: 'interviewedOn',
    },
    {
      name: 'an activist before the interview',
      path: () => `/v1/applicants/${pipeline.fresh}/activist`,
      body: () => ({ designatedOn: '2024-01-01', contactIds: [ids.member] }),
      status: 409,
      type: /rules\/interview-missing$/,
    },
    {
      name: 'an activist with no contact',
      path: () => `/v1/applicants/${pipeline.fresh}/activist`,
      body: () => ({ designatedOn: '2024-01-01', contactIds: [] }),
      status: 400,
      type: /invalid-request$/,
      field: 'contactIds',
    },
    {
      name: 'an activist with three contacts',
      path: () => `/v1/applicants/${pipeline.fresh}/activist`,
      body: () => ({ designatedOn: '2024-01-01', contactIds: [ids.member, ids.probationer, unknownId] }),
      status: 400,
      type: /invalid-request$/,
      field: 'contactIds',
    },
    {
      name: 'a review of someone not yet an activist',
      path: () => `/v1/applicants/${pipeline.fresh}/reviews`,
      body: () => ({ reviewedOn: '2024-01-01', summary: '良好' }),
      status: 409,
      type: /rules\/not-an-activist$/,
    },
    {
      name: 'a review without a summary',
      path: () => `/v1/applicants/${pipeline.activist}/reviews`,
      body: () => ({ reviewedOn: '2024-01-01' }),
      status: 400,
      type: /invalid-request$/,
      field: 'summary',
    },
    {
      name: 'a candidate less than a year after becoming an activist',
      path: () => `/v1/applicants/${pipeline.activist}/candidate`,
      body: () => ({
        designatedOn: '2024-03-01',
        introducerIds: [ids.member, pipeline.secondFull],
        politicalReviewOn: '2024-02-01',
      }),
      status: 409,
      type: /rules\/activist-period-too-short$/,
      field: 'designatedOn',
    },
    {
      name: 'a candidate with a probationary introducer',
      path: () => `/v1/applicants/${pipeline.veteranActivist}/candidate`,
      body: () => ({
        designatedOn: '2023-06-01',
        introducerIds: [ids.member, ids.probationer],
        politicalReviewOn: '2023-05-01',
      }),
      status: 409,
      type: /rules\/introducer-not-full-member$/,
      field: 'introducerIds[1]',
    },
    {
      name: 'a candidate with one introducer',
      path: () => `/v1/applicants/${pipeline.activist}/candidate`,
      body: () => ({ designatedOn: '2024-03-01', introducerIds: [ids.member], politicalReviewOn: '2024-02-01' }),
      status: 400,
      type: /invalid-request$/,
      field: 'introducerIds',
    },
    {
      name: 'a candidate without a political review',
      path: () => `/v1/applicants/${pipeline.activist}/candidate`,
      body: () => ({ designatedOn: '2024-03-01', introducerIds: [ids.member, pipeline.secondFull] }),
      status: 400,
      type: /invalid-request$/,
      field: 'politicalReviewOn',
    },
    {
      name: 'training of no hours',
      path: () => `/v1/applicants/${pipeline.activist}/training`,
      body: () => ({ completedOn: '2024-03-01', hours: 0 }),
      status: 400,
      type: /invalid-request$/,
      field: 'hours',
    },
    {
      name: 'training of part of an hour',
      path: () => `/v1/applicants/${pipeline.activist}/training`,
      body: () => ({ completedOn: '2024-03-01', hours: 1.5 }),
      status: 400,
      type: /invalid-request$/,
      field: 'hours',
    },
    {
      name: 'an admission of someone not a candidate',
      path: () => `/v1/applicants/${pipeline.activist}/admission`,
      body: () => ({ meetingOn: '2024-03-01', eligibleVoters: 9, present: 8, inFavour: 7 }),
      status: 409,
      type: /rules\/not-a-candidate$/,
    },
    {
      name: 'an admission with too little training',
      path: () => `/v1/applicants/${pipeline.candidate}/admission`,
      body: () => ({ meetingOn: '2024-03-01', eligibleVoters: 9, present: 8, inFavour: 7 }),
      status: 409,
      type: /rules\/training-incomplete$/,
    },
    {
      name: 'an admission with more present than entitled',
      path: () => `/v1/applicants/${pipeline.trained}/admission`,
      body: () => ({ meetingOn: '2024-03-01', eligibleVoters: 9, present: 10, inFavour: 7 }),
      status: 400,
      type: /invalid-request$/,
      field: 'present',
    },
    {
      name: 'an admission with more in favour than present',
      path: () => `/v1/applicants/${pipeline.trained}/admission`,
      body: () => ({ meetingOn: '2024-03-01', eligibleVoters: 9, present: 6, inFavour: 7 }),
      status: 400,
      type: /invalid-request$/,
      field: 'inFavour',
    },
    {
      name: 'an admission without a quorum',
      path: () => `/v1/applicants/${pipeline.trained}/admission`,
      body: () => ({ meetingOn: '2024-03-01', eligibleVoters: 10, present: 5, inFavour: 5 }),
      status: 409,
      type: /rules\/quorum-not-met$/,
      field: 'present',
    },
    {
      name: 'an admission not carried',
      path: () => `/v1/applicants/${pipeline.trained}/admission`,
      body: () => ({ meetingOn: '2024-03-01', eligibleVoters: 10, present: 9, inFavour: 5 }),
      status: 409,
      type: /rules\/admission-not-carried$/,
      field: 'inFavour',
    },
    {
      name: 'an admission with no one entitled to vote',
      path: () => `/v1/applicants/${pipeline.trained}/admission`,
      body: () => ({ meetingOn: '2024-03-01', eligibleVoters: 0, present: 0, inFavour: 0 }),
      status: 400,
      type: /invalid-request$/,
      field: 'eligibleVoters',
    },
    {
      name: 'an approval before the admission',
      path: () => `/v1/applicants/${pipeline.trained}/approve`,
      body: () => ({ approvedOn: '2024-03-01' }),
      status: 409,
      type: /rules\/not-admitted$/,
    },
    {
      name: 'an approval naming a member id that is no id',
      path: () => `/v1/applicants/${pipeline.trained}/approve`,
      body: () => ({ approvedOn: '2024-03-01', memberId: 'new' }),
      status: 400,
      type: /invalid-request$/,
      field: 'memberId',
    },
    {
      name: 'a withdrawal without a reason',
      path: () => `/v1/applicants/${pipeline.fresh}/withdraw`,
      body: () => ({ effectiveOn: '2024-03-01' }),
      status: 400,
      type: /invalid-request$/,
      field: 'reason',
    },
    {
      name: 'a withdrawal before the application',
      path: () => `/v1/applicants/${pipeline.fresh}/withdraw`,
      body: () => ({ effectiveOn: '2020-03-01', reason: '撤回' }),
      status: 409,
      type: /rules\/date-before-previous-step$/,
      field: 'effectiveOn',
    },
    {
      name: 'a development report without an organisation',
      method: 'GET',
      path: () => '/v1/reports/development?year=2024',
      status: 400,
      type: /invalid-request$/,
      field: 'orgId',
    },
    {
      name: 'a development report for no year',
      method: 'GET',
      path: () => `/v1/reports/development?orgId=${ids.root}&year=last`,
      status: 400,
      type: /invalid-request$/,
      field: 'year',
    },
    {
      name: 'forgetting an applicant as a registrar',
      method: 'DELETE',
      path: () => `/v1/applicants/${pipeline.fresh}/personal-data`,
      status: 403,
      type: /forbidden$/,
    },
    {
      name: 'a committee with no one on it',
      path: () => `/v1/organizations/${ids.joint}/committee`,
      body: () => ({ electedOn: '2024-01-01', members: [] }),
      status: 400,
      type: /invalid-request$/,
      field: 'members',
    },
    {
      name: 'a committee seat with a role not in the list',
      path: () => `/v1/organizations/${ids.joint}/committee`,
      body: () => ({ electedOn: '2024-01-01', members: [{ memberId: ids.member, role: 'chair' }] }),
      status: 400,
      type: /invalid-request$/,
      field: 'members[0].role',
    },
    {
      name: 'a committee elected on no date',
      path: () => `/v1/organizations/${ids.joint}/committee`,
      body: () => ({ electedOn: '2024-13-01', members: [{ memberId: ids.member, role: 'secretary' }] }),
      status: 400,
      type: /invalid-request$/,
      field: 'electedOn',
    },
    {
      name: 'a committee term of no years',
      path: () => `/v1/organizations/${ids.joint}/committee`,
      body: () => ({ electedOn: '2024-01-01', members: [{ memberId: ids.member, role: 'secretary' }], termYears: 0 }),
      status: 400,
      type: /invalid-request$/,
      field: 'termYears',
    },
    {
      name: 'a committee with no secretary',
      path: () => `/v1/organizations/${ids.joint}/committee`,
      body: () => ({ electedOn: '2024-01-01', members: [{ memberId: ids.member, role: 'deputy-secretary' }] }),
      status: 409,
      type: /rules\/committee-needs-one-secretary$/,
      field: 'members',
    },
    {
      name: 'a probationary member on the committee',
      path: () => `/v1/organizations/${ids.joint}/committee`,
      body: () => ({ electedOn: '2024-01-01', members: [{ memberId: ids.probationer, role: 'secretary' }] }),
      status: 409,
      type: /rules\/committee-member-not-eligible$/,
      field: 'members[0].memberId',
    },
    {
      name: 'a committee elected in the future',
      path: () => `/v1/organizations/${ids.joint}/committee`,
      body: () => ({ electedOn: addDays(today(), 30), members: [{ memberId: ids.member, role: 'secretary' }] }),
      status: 409,
      type: /rules\/date-in-future$/,
      field: 'electedOn',
    },
    {
      name: 'a postponement with no committee elected',
      path: () => `/v1/organizations/${ids.single}/election-postponed`,
      body: () => ({ until: '2024-06-01', approvedOn: '2024-01-01', reason: '重组' }),
      status: 409,
      type: /rules\/committee-not-elected$/,
    },
    {
      name: 'a postponement without a reason',
      path: () => `/v1/organizations/${ids.joint}/election-postponed`,
      body: () => ({ until: '2024-06-01', approvedOn: '2024-01-01' }),
      status: 400,
      type: /invalid-request$/,
      field: 'reason',
    },
    {
      name: 'a postponement until no date',
      path: () => `/v1/organizations/${ids.joint}/election-postponed`,
      body: () => ({ until: 'later', approvedOn: '2024-01-01', reason: '重组' }),
      status: 400,
      type: /invalid-request$/,
      field: 'until',
    },
    {
      name: 'a terms report without a status',
      method: 'GET',
      path: () => `/v1/reports/terms?orgId=${ids.root}`,
      status: 400,
      type: /invalid-request$/,
      field: 'status',
    },
    {
      name: 'a terms report within no months',
      method: 'GET',
      path: () => `/v1/reports/terms?orgId=${ids.root}&status=due&withinMonths=0`,
      status: 400,
      type: /invalid-request$/,
      field: 'withinMonths',
    },
    {
      name: 'the committee of an unknown organisation',
      method: 'GET',
      path: () => `/v1/organizations/${unknownId}/committee`,
      status: 404,
      type: /organization-not-found$/,
    },
    {
      name: 'an instructor withdrawn on no date',
      path: () => `/v1/units/${ids.unitA}/instructors/withdraw`,
      body: () => ({ effectiveOn: '2023-02-30' }),
      status: 400,
      type: /invalid-request$/,
      field: 'effectiveOn',
    },
    {
      name: 'an instructor withdrawn from a unit with none',
      path: () => `/v1/units/${ids.unitB}/instructors/withdraw`,
      body: () => ({ effectiveOn: '2023-02-01' }),
      status: 409,
      type: /rules\/no-instructor$/,
    },
    {
      name: 'an instructor withdrawn from an unknown unit',
      path: () => `/v1/units/${unknownId}/instructors/withdraw`,
      body: () => ({ effectiveOn: '2023-02-01' }),
      status: 404,
      type: /rules\/unit-not-found$/,
    },
    {
      name: 'an appraisal with a grade not in the list',
      path: () => `/v1/members/${ids.member}/appraisals`,
      body: () => ({ year: 2022, grade: 'good', decidedOn: '2023-01-10' }),
      status: 400,
      type: /invalid-request$/,
      field: 'grade',
    },
    {
      name: 'an appraisal for no year',
      path: () => `/v1/members/${ids.member}/appraisals`,
      body: () => ({ year: 'last', grade: 'qualified', decidedOn: '2023-01-10' }),
      status: 400,
      type: /invalid-request$/,
      field: 'year',
    },
    {
      name: 'an appraisal decided on no date',
      path: () => `/v1/members/${ids.member}/appraisals`,
      body: () => ({ year: 2022, grade: 'qualified', decidedOn: '2023-02-30' }),
      status: 400,
      type: /invalid-request$/,
      field: 'decidedOn',
    },
    {
      name: 'an appraisal decided before its year',
      path: () => `/v1/members/${ids.member}/appraisals`,
      body: () => ({ year: 2024, grade: 'qualified', decidedOn: '2023-12-30' }),
      status: 409,
      type: /rules\/appraisal-before-year$/,
      field: 'decidedOn',
    },
    {
      name: 'an appraisal for a year before the admission',
      path: () => `/v1/members/${ids.member}/appraisals`,
      body: () => ({ year: 2019, grade: 'qualified', decidedOn: '2020-01-10' }),
      status: 409,
      type: /rules\/appraisal-before-admission$/,
      field: 'year',
    },
    {
      name: 'a meeting of a kind not in the list',
      path: () => `/v1/organizations/${ids.joint}/meetings`,
      body: () => ({ kind: 'tea-party', heldOn: '2024-05-01', topic: '学习', attendeeIds: [ids.member] }),
      status: 400,
      type: /invalid-request$/,
      field: 'kind',
    },
    {
      name: 'a meeting naming an attendee twice',
      path: () => `/v1/organizations/${ids.joint}/meetings`,
      body: () => ({ kind: 'theme-day', heldOn: '2024-05-01', topic: '学习', attendeeIds: [ids.member, ids.member] }),
      status: 400,
      type: /invalid-request$/,
      field: 'attendeeIds',
    },
    {
      name: 'a meeting where a member is both present and excused',
      path: () => `/v1/organizations/${ids.joint}/meetings`,
      body: () => ({
        kind: 'theme-day',
        heldOn: '2024-05-01',
        topic: '学习',
        attendeeIds: [ids.member],
        absences: [{ memberId: ids.member, reason: '出差' }],
      }),
      status: 400,
      type: /invalid-request$/,
      field: 'absences',
    },
    {
      name: 'a meeting on no topic',
      path: () => `/v1/organizations/${ids.joint}/meetings`,
      body: () => ({ kind: 'theme-day', heldOn: '2024-05-01', topic: '', attendeeIds: [ids.member] }),
      status: 400,
      type: /invalid-request$/,
      field: 'topic',
    },
    {
      name: 'a meeting in the future',
      path: () => `/v1/organizations/${ids.joint}/meetings`,
      body: () => ({ kind: 'theme-day', heldOn: addDays(today(), 30), topic: '学习', attendeeIds: [ids.member] }),
      status: 409,
      type: /rules\/date-in-future$/,
      field: 'heldOn',
    },
    {
      name: 'a meeting before the organisation was established',
      path: () => `/v1/organizations/${ids.joint}/meetings`,
      body: () => ({ kind: 'theme-day', heldOn: '2000-05-01', topic: '学习', attendeeIds: [] }),
      status: 409,
      type: /rules\/date-before-establishment$/,
      field: 'heldOn',
    },
    {
      name: 'a meeting attended by a member of another organisation',
      path: () => `/v1/organizations/${ids.single}/meetings`,
      body: () => ({ kind: 'theme-day', heldOn: '2024-05-01', topic: '学习', attendeeIds: [ids.member] }),
      status: 409,
      type: /rules\/attendee-not-in-organization$/,
      field: 'attendeeIds[0]',
    },
    {
      name: 'a meeting excusing a member of another organisation',
      path: () => `/v1/organizations/${ids.single}/meetings`,
      body: () => ({
        kind: 'theme-day',
        heldOn: '2024-05-01',
        topic: '学习',
        attendeeIds: [],
        absences: [{ memberId: ids.member, reason: '出差' }],
      }),
      status: 409,
      type: /rules\/attendee-not-in-organization$/,
      field: 'absences[0].memberId',
    },
    {
      name: 'a meeting of an unknown organisation',
      path: () => `/v1/organizations/${unknownId}/meetings`,
      body: () => ({ kind: 'theme-day', heldOn: '2024-05-01', topic: '学习', attendeeIds: [] }),
      status: 404,
      type: /organization-not-found$/,
    },
    {
      name: 'an organisational-life report ending before it begins',
      method: 'GET',
      path: () => `/v1/reports/organizational-life?orgId=${ids.root}&from=2024-06&to=2024-01`,
      status: 400,
      type: /invalid-request$/,
      field: 'to',
    },
    {
      name: 'an organisational-life report from no month',
      method: 'GET',
      path: () => `/v1/reports/organizational-life?orgId=${ids.root}&from=2024-13&to=2024-12`,
      status: 400,
      type: /invalid-request$/,
      field: 'from',
    },
    {
      name: 'an organisational-life report over more than five years',
      method: 'GET',
      path: () => `/v1/reports/organizational-life?orgId=${ids.root}&from=2014-01&to=2024-12`,
      status: 400,
      type: /invalid-request$/,
      field: 'to',
    },
    {
      name: 'a grid led by an organisation never rated',
      path: () => '/v1/grids',
      body: () => ({
        name: '网格',
        regionCode: '310115',
        leadOrgId: ids.root,
        unitIds: [ids.unitB],
        establishedOn: '2023-02-01',
      }),
      status: 409,
      type: /rules\/grid-lead-not-exemplary$/,
      field: 'leadOrgId',
    },
    {
      name: 'a grid led by an unknown organisation',
      path: () => '/v1/grids',
      body: () => ({
        name: '网格',
        regionCode: '310115',
        leadOrgId: unknownId,
        unitIds: [],
        establishedOn: '2023-02-01',
      }),
      status: 409,
      type: /rules\/organization-not-found$/,
      field: 'leadOrgId',
    },
    {
      name: 'a grid naming a unit twice',
      path: () => '/v1/grids',
      body: () => ({
        name: '网格',
        regionCode: '310115',
        leadOrgId: ids.single,
        unitIds: [ids.unitB, ids.unitB],
        establishedOn: '2023-02-01',
      }),
      status: 400,
      type: /invalid-request$/,
      field: 'unitIds',
    },
    {
      name: 'a grid in no region',
      path: () => '/v1/grids',
      body: () => ({
        name: '网格',
        regionCode: '999999',
        leadOrgId: ids.single,
        unitIds: [],
        establishedOn: '2023-02-01',
      }),
      status: 400,
      type: /invalid-request$/,
      field: 'regionCode',
    },
    {
      name: 'a grid of an unknown unit',
      path: () => '/v1/grids',
      body: () => ({
        name: '网格',
        regionCode: '310115',
        leadOrgId: ids.single,
        unitIds: [unknownId],
        establishedOn: '2023-02-01',
      }),
      status: 409,
      type: /rules\/unit-not-found$/,
      field: 'unitIds[0]',
    },
    {
      name: 'a unit joining an unknown grid',
      path: () => `/v1/grids/${unknownId}/units`,
      body: () => ({ unitId: ids.unitB, effectiveOn: '2023-03-01' }),
      status: 404,
      type: /rules\/grid-not-found$/,
    },
    {
      name: 'a unit joining a grid before it began',
      path: () => `/v1/grids/${ids.grid}/units`,
      body: () => ({ unitId: ids.unitB, effectiveOn: '2022-03-01' }),
      status: 409,
      type: /rules\/date-before-establishment$/,
      field: 'effectiveOn',
    },
    {
      name: 'a unit leaving a grid it is not in',
      path: () => `/v1/grids/${ids.grid}/units/${ids.unitB}/leave`,
      body: () => ({ effectiveOn: '2023-10-01' }),
      status: 409,
      type: /rules\/unit-not-in-grid$/,
      field: 'unitId',
    },
    {
      name: 'an unknown grid',
      method: 'GET',
      path: () => `/v1/grids/${unknownId}`,
      status: 404,
      type: /grid-not-found$/,
    },
    {
      name: 'a grid as of no date',
      method: 'GET',
      path: () => `/v1/grids/${ids.grid}?asOf=2023-02-30`,
      status: 400,
      type: /invalid-request$/,
      field: 'asOf',
    },
    {
      name: 'a rating of six stars',
      path: () => `/v1/organizations/${ids.joint}/ratings`,
      body: () => ({ year: 2022, stars: 6, ratedOn: '2023-01-15' }),
      status: 400,
      type: /invalid-request$/,
      field: 'stars',
    },
    {
      name: 'a rating of no stars',
      path: () => `/v1/organizations/${ids.joint}/ratings`,
      body: () => ({ year: 2022, stars: 0, ratedOn: '2023-01-15' }),
      status: 400,
      type: /invalid-request$/,
      field: 'stars',
    },
    {
      name: 'a rating decided before its year',
      path: () => `/v1/organizations/${ids.joint}/ratings`,
      body: () => ({ year: 2022, stars: 3, ratedOn: '2021-12-15' }),
      status: 409,
      type: /rules\/rating-before-year$/,
      field: 'ratedOn',
    },
    {
      name: 'a rating in the future',
      path: () => `/v1/organizations/${ids.joint}/ratings`,
      body: () => ({ year: 2022, stars: 3, ratedOn: addDays(today(), 30) }),
      status: 409,
      type: /rules\/date-in-future$/,
      field: 'ratedOn',
    },
    {
      name: 'a ratings report for no year',
      method: 'GET',
      path: () => `/v1/reports/ratings?orgId=${ids.root}&year=soon`,
      status: 400,
      type: /invalid-request$/,
      field: 'year',
    },
    {
      name: 'an appraisals report without an organisation',
      method: 'GET',
      path: () => '/v1/reports/appraisals?year=2023',
      status: 400,
      type: /invalid-request$/,
      field: 'orgId',
    },
    {
      name: 'points of no change',
      path: () => `/v1/members/${ids.member}/points`,
      body: () => ({ year: 2024, delta: 0, category: '志愿服务', reason: 'x', recordedOn: '2024-05-10' }),
      status: 400,
      type: /invalid-request$/,
      field: 'delta',
    },
    {
      name: 'points beyond a thousand',
      path: () => `/v1/members/${ids.member}/points`,
      body: () => ({ year: 2024, delta: 1001, category: '志愿服务', reason: 'x', recordedOn: '2024-05-10' }),
      status: 400,
      type: /invalid-request$/,
      field: 'delta',
    },
    {
      name: 'points without a category',
      path: () => `/v1/members/${ids.member}/points`,
      body: () => ({ year: 2024, delta: 10, reason: 'x', recordedOn: '2024-05-10' }),
      status: 400,
      type: /invalid-request$/,
      field: 'category',
    },
    {
      name: 'points without a reason',
      path: () => `/v1/members/${ids.member}/points`,
      body: () => ({ year: 2024, delta: 10, category: '志愿服务', recordedOn: '2024-05-10' }),
      status: 400,
      type: /invalid-request$/,
      field: 'reason',
    },
    {
      name: 'points recorded on no date',
      path: () => `/v1/members/${ids.member}/points`,
      body: () => ({ year: 2024, delta: 10, category: '志愿服务', reason: 'x', recordedOn: 'today' }),
      status: 400,
      type: /invalid-request$/,
      field: 'recordedOn',
    },
    {
      name: 'points recorded before their year',
      path: () => `/v1/members/${ids.member}/points`,
      body: () => ({ year: 2024, delta: 10, category: '志愿服务', reason: 'x', recordedOn: '2023-12-31' }),
      status: 409,
      type: /rules\/points-before-year$/,
      field: 'recordedOn',
    },
    {
      name: 'a points report for no year',
      method: 'GET',
      path: () => `/v1/reports/points?orgId=${ids.root}&year=2024.5`,
      status: 400,
      type: /invalid-request$/,
      field: 'year',
    },
    {
      name: 'a probationary secretary',
      path: () => `/v1/organizations/${ids.joint}/secretary`,
      body: () => ({ memberId: ids.probationer, effectiveOn: '2024-01-01' }),
      status: 409,
      type: /rules\/secretary-must-be-full-member$/,
      field: 'memberId',
    },
    {
      name: 'a transfer letter dated years ahead',
      path: () => `/v1/members/${ids.member}/transfers`,
      body: () => ({ to: { orgId: ids.single }, effectiveOn: addDays(today(), 800) }),
      status: 400,
      type: /invalid-request$/,
      field: 'effectiveOn',
    },
    {
      name: 'an acceptance dated ahead',
      path: () => `/v1/members/${ids.member}/transfers/${unknownId}/accept`,
      body: () => ({ effectiveOn: addDays(today(), 3) }),
      status: 400,
      type: /invalid-request$/,
      field: 'effectiveOn',
    },
    {
      name: 'a secretary from another organisation',
      path: () => `/v1/organizations/${ids.single}/secretary`,
      body: () => ({ memberId: ids.member, effectiveOn: '2024-01-01' }),
      status: 409,
      type: /rules\/secretary-not-a-member$/,
      field: 'memberId',
    },
    {
      name: 'renaming an unknown organisation',
      path: () => `/v1/organizations/${unknownId}/rename`,
      body: () => ({ name: 'x', effectiveOn: '2024-01-01' }),
      status: 404,
      type: /rules\/organization-not-found$/,
    },
    {
      name: 'a resident ID with a bad check character',
      path: () => '/v1/members',
      body: () => {
        const b = memberBody(ids.joint);
        return { ...b, idNumber: withWrongCheck(b.idNumber) };
      },
      status: 400,
      type: /invalid-request$/,
      field: 'idNumber',
    },
    {
      name: 'a resident ID whose gender disagrees',
      path: () => '/v1/members',
      body: () => ({ ...memberBody(ids.joint), gender: 'male' }),
      status: 400,
      type: /invalid-request$/,
      field: 'idNumber',
    },
    {
      name: 'a resident ID whose birth date disagrees',
      path: () => '/v1/members',
      body: () => {
        const b = memberBody(ids.joint);
        return { ...b, birthDate: addDays(b.birthDate, 1) };
      },
      status: 400,
      type: /invalid-request$/,
      field: 'idNumber',
    },
    {
      name: 'a resident ID number registered before',
      path: () => '/v1/members',
      body: () => ({ ...memberBody(ids.joint), idNumber: KNOWN_ID_NUMBER, birthDate: '1975-01-01' }),
      status: 409,
      type: /rules\/resident-id-already-registered$/,
      field: 'idNumber',
    },
    {
      name: 'a member of an unknown organisation',
      path: () => '/v1/members',
      body: () => memberBody(unknownId),
      status: 409,
      type: /rules\/organization-not-found$/,
      field: 'orgId',
    },
    {
      name: 'confirming before the year of probation',
      path: () => `/v1/members/${ids.probationer}/confirm`,
      body: () => ({ effectiveOn: '2023-06-01' }),
      status: 409,
      type: /rules\/probation-not-ended$/,
      field: 'effectiveOn',
    },
    {
      name: 'registering as full a member admitted less than a year ago',
      path: () => '/v1/members',
      body: () =>
        memberBody(ids.joint, {
          status: 'full',
          joinedOn: addDays(today(), -100),
          effectiveOn: addDays(today(), -100),
        }),
      status: 409,
      type: /rules\/probation-not-ended$/,
      field: 'status',
    },
    {
      name: 'a confirmation date on a probationary registration',
      path: () => '/v1/members',
      body: () => memberBody(ids.joint, { confirmedOn: '2024-03-01' }),
      status: 400,
      type: /invalid-request$/,
      field: 'confirmedOn',
    },
    {
      name: 'a confirmation date that is no date',
      path: () => '/v1/members',
      body: () => memberBody(ids.joint, { status: 'full', confirmedOn: '2024-02-30' }),
      status: 400,
      type: /invalid-request$/,
      field: 'confirmedOn',
    },
    {
      name: 'a migrated confirmation before admission',
      path: () => '/v1/members',
      body: () => memberBody(ids.joint, { status: 'full', confirmedOn: '2022-01-01' }),
      status: 409,
      type: /rules\/date-before-admission$/,
      field: 'confirmedOn',
    },
    {
      name: 'an extension of probation shorter than 6 months',
      path: () => `/v1/members/${ids.probationer}/probation/extend`,
      body: () => ({ months: 5, decidedOn: '2024-03-01', reason: 'x' }),
      status: 400,
      type: /invalid-request$/,
      field: 'months',
    },
    {
      name: 'an extension of probation longer than 12 months',
      path: () => `/v1/members/${ids.probationer}/probation/extend`,
      body: () => ({ months: 13, decidedOn: '2024-03-01', reason: 'x' }),
      status: 400,
      type: /invalid-request$/,
      field: 'months',
    },
    {
      name: 'an extension of probation by a fraction of a month',
      path: () => `/v1/members/${ids.probationer}/probation/extend`,
      body: () => ({ months: 6.5, decidedOn: '2024-03-01', reason: 'x' }),
      status: 400,
      type: /invalid-request$/,
      field: 'months',
    },
    {
      name: 'an extension of probation without a reason',
      path: () => `/v1/members/${ids.probationer}/probation/extend`,
      body: () => ({ months: 6, decidedOn: '2024-03-01' }),
      status: 400,
      type: /invalid-request$/,
      field: 'reason',
    },
    {
      name: 'an extension of probation decided on no real date',
      path: () => `/v1/members/${ids.probationer}/probation/extend`,
      body: () => ({ months: 6, decidedOn: '2024-13-01', reason: 'x' }),
      status: 400,
      type: /invalid-request$/,
      field: 'decidedOn',
    },
    {
      name: "extending a full member's probation",
      path: () => `/v1/members/${ids.member}/probation/extend`,
      body: () => ({ months: 6, decidedOn: '2024-03-01', reason: 'x' }),
      status: 409,
      type: /rules\/member-not-probationary$/,
    },
    {
      name: 'a second extension of probation',
      path: () => `/v1/members/${ids.probationer}/probation/extend`,
      body: () => ({ months: 12, decidedOn: '2024-03-02', reason: 'x' }),
      status: 409,
      type: /rules\/probation-already-extended$/,
    },
    {
      name: 'extending the probation of an unknown member',
      path: () => `/v1/members/${unknownId}/probation/extend`,
      body: () => ({ months: 6, decidedOn: '2024-03-01', reason: 'x' }),
      status: 404,
      type: /rules\/member-not-found$/,
    },
    {
      name: "annulling a full member's probation",
      path: () => `/v1/members/${ids.member}/probation/annul`,
      body: () => ({ decidedOn: '2024-03-01', reason: 'x' }),
      status: 409,
      type: /rules\/member-not-probationary$/,
    },
    {
      name: 'an annulment without a reason',
      path: () => `/v1/members/${ids.probationer}/probation/annul`,
      body: () => ({ decidedOn: '2024-03-01' }),
      status: 400,
      type: /invalid-request$/,
      field: 'reason',
    },
    {
      name: 'an annulment decided in the future',
      path: () => `/v1/members/${ids.probationer}/probation/annul`,
      body: () => ({ decidedOn: addDays(today(), 30), reason: 'x' }),
      status: 409,
      type: /rules\/date-in-future$/,
      field: 'decidedOn',
    },
    {
      name: 'suspending a member in contact',
      path: () => `/v1/members/${ids.member}/suspend`,
      body: () => ({ decidedOn: '2024-03-01' }),
      status: 409,
      type: /rules\/lost-contact-too-short$/,
      field: 'decidedOn',
    },
    {
      name: 'a suspension decided on no date',
      path: () => `/v1/members/${ids.member}/suspend`,
      body: () => ({ decidedOn: 'yesterday' }),
      status: 400,
      type: /invalid-request$/,
      field: 'decidedOn',
    },
    {
      name: 'a suspension with an unknown field',
      path: () => `/v1/members/${ids.member}/suspend`,
      body: () => ({ decidedOn: '2024-03-01', reason: 'x' }),
      status: 400,
      type: /invalid-request$/,
      field: 'reason',
    },
    {
      name: 'reinstating a member who is not suspended',
      path: () => `/v1/members/${ids.member}/reinstate`,
      body: () => ({ decidedOn: '2024-03-01' }),
      status: 409,
      type: /rules\/not-suspended$/,
    },
    {
      name: 'the lost-contact report of no organisation id',
      method: 'GET',
      path: () => '/v1/reports/lost-contact?orgId=branch-7',
      status: 400,
      type: /invalid-request$/,
      field: 'orgId',
    },
    {
      name: 'the lost-contact report of an unknown organisation',
      method: 'GET',
      path: () => `/v1/reports/lost-contact?orgId=${unknownId}`,
      status: 404,
      type: /not-found$/,
    },
    {
      name: 'confirming an unknown member',
      path: () => `/v1/members/${unknownId}/confirm`,
      body: () => ({ effectiveOn: '2024-06-01' }),
      status: 404,
      type: /rules\/member-not-found$/,
    },
    {
      name: 'a transfer to the same organisation',
      path: () => `/v1/members/${ids.member}/transfers`,
      body: () => ({ to: { orgId: ids.joint }, effectiveOn: '2024-03-01' }),
      status: 409,
      type: /rules\/transfer-to-same-organization$/,
      field: 'to',
    },
    {
      name: 'a transfer target of the wrong shape',
      path: () => `/v1/members/${ids.member}/transfers`,
      body: () => ({ to: { province: 'Zhejiang' }, effectiveOn: '2024-03-01' }),
      status: 400,
      type: /invalid-request$/,
      field: 'to',
    },
    {
      name: 'a letter valid beyond 180 days',
      path: () => `/v1/members/${ids.member}/transfers`,
      body: () => ({ to: { orgId: ids.single }, effectiveOn: '2024-03-01', validUntil: '2025-03-01' }),
      status: 409,
      type: /rules\/validity-too-long$/,
      field: 'validUntil',
    },
    {
      name: 'a letter number used before',
      path: () => `/v1/members/${ids.member}/transfers`,
      body: () => ({ to: { orgId: ids.single }, effectiveOn: '2024-03-01', letterNo: 'ZJ-2024-0007' }),
      status: 409,
      type: /rules\/letter-number-used$/,
      field: 'letterNo',
    },
    {
      name: 'accepting an unknown transfer',
      path: () => `/v1/members/${ids.member}/transfers/${unknownId}/accept`,
      body: () => ({ effectiveOn: '2024-03-01' }),
      status: 404,
      type: /rules\/transfer-not-found$/,
    },
    {
      name: 'returning without having flowed out',
      path: () => `/v1/members/${ids.member}/flow-return`,
      body: () => ({ effectiveOn: '2024-03-01' }),
      status: 409,
      type: /rules\/not-flowing$/,
    },
    {
      name: 'a flowing destination with a bad region code',
      path: () => `/v1/members/${ids.member}/flow-out`,
      body: () => ({ since: '2024-03-01', destinationRegionCode: '4403' }),
      status: 400,
      type: /invalid-request$/,
      field: 'destinationRegionCode',
    },
    {
      name: 'restoring contact that was never lost',
      path: () => `/v1/members/${ids.member}/contact-restored`,
      body: () => ({ effectiveOn: '2024-03-01' }),
      status: 409,
      type: /rules\/not-lost-contact$/,
    },
    {
      name: 'an employed assessment without income',
      path: () => `/v1/members/${ids.member}/dues/assessments`,
      body: () => ({ from: '2024-01', category: 'employed' }),
      status: 409,
      type: /rules\/income-required$/,
      field: 'monthlyIncomeFen',
    },
    {
      name: 'a month that is not YYYY-MM',
      path: () => `/v1/members/${ids.member}/dues/assessments`,
      body: () => ({ from: '2024-13', category: 'student' }),
      status: 400,
      type: /invalid-request$/,
      field: 'from',
    },
    {
      name: 'paying for a month no assessment covers',
      path: () => `/v1/members/${ids.member}/dues/payments`,
      body: () => ({ months: ['2024-01'], amountFen: 100, paidOn: '2024-02-01', channel: 'cash' }),
      status: 409,
      type: /rules\/dues-not-assessed$/,
      field: 'months',
    },
    {
      name: 'a negative amount',
      path: () => `/v1/members/${ids.member}/dues/payments`,
      body: () => ({ months: ['2024-01'], amountFen: -5, paidOn: '2024-02-01', channel: 'cash' }),
      status: 400,
      type: /invalid-request$/,
      field: 'amountFen',
    },
    {
      name: 'fractional fen',
      path: () => `/v1/members/${ids.member}/dues/payments`,
      body: () => ({ months: ['2024-01'], amountFen: 10.5, paidOn: '2024-02-01', channel: 'cash' }),
      status: 400,
      type: /invalid-request$/,
      field: 'amountFen',
    },
    {
      name: 'a badly formed month in a list',
      path: () => `/v1/members/${ids.member}/dues/payments`,
      body: () => ({ months: ['2024-01', 'Feb'], amountFen: 5, paidOn: '2024-02-01', channel: 'cash' }),
      status: 400,
      type: /invalid-request$/,
      field: 'months[1]',
    },
    {
      name: 'a monthly income beyond what the read models store',
      path: () => `/v1/members/${ids.member}/dues/assessments`,
      body: () => ({ from: '2024-01', category: 'employed', monthlyIncomeFen: Number.MAX_SAFE_INTEGER }),
      status: 400,
      type: /invalid-request$/,
      field: 'monthlyIncomeFen',
    },
    {
      name: 'an amount one fen beyond what the read models store',
      path: () => `/v1/members/${ids.member}/dues/payments`,
      body: () => ({ months: ['2024-01'], amountFen: 2_147_483_648, paidOn: '2024-02-01', channel: 'cash' }),
      status: 400,
      type: /invalid-request$/,
      field: 'amountFen',
    },
    {
      name: 'U+0000 in a member\u2019s name',
      path: () => '/v1/members',
      body: () => memberBody(ids.joint, { name: 'a\u0000b' }),
      status: 400,
      type: /invalid-request$/,
      field: 'name',
    },
    {
      name: 'U+0000 in the name of the organisation a member comes from',
      path: () => '/v1/members',
      body: () =>
        memberBody(ids.joint, {
          origin: { external: { name: '杭州\u0000党委', regionCode: '330106', letterNo: 'ZJ-2023-001' } },
        }),
      status: 400,
      type: /invalid-request$/,
      field: 'origin.external.name',
    },
    {
      name: 'U+0000 in a new organisation\u2019s name',
      path: () => '/v1/organizations',
      body: () => ({
        name: '张江\u0000党支部',
        level: 'branch',
        form: 'single',
        parentId: ids.root,
        regionCode: '310115',
        unitIds: [],
        establishedOn: '2016-01-01',
      }),
      status: 400,
      type: /invalid-request$/,
      field: 'name',
    },
    {
      name: 'U+0000 in an organisation\u2019s new name',
      path: () => `/v1/organizations/${ids.joint}/rename`,
      body: () => ({ name: '张江联合\u0000党支部', effectiveOn: '2024-01-01' }),
      status: 400,
      type: /invalid-request$/,
      field: 'name',
    },
    {
      name: 'a bell character (U+0007) in a reason',
      path: () => `/v1/organizations/${ids.joint}/dissolve`,
      body: () => ({ effectiveOn: '2024-01-01', reason: 'merged\u0007' }),
      status: 400,
      type: /invalid-request$/,
      field: 'reason',
    },
    {
      name: 'a carriage return (U+000D) in a channel',
      path: () => `/v1/members/${ids.member}/dues/payments`,
      body: () => ({ months: ['2024-01'], amountFen: 5, paidOn: '2024-02-01', channel: 'cash\rbank' }),
      status: 400,
      type: /invalid-request$/,
      field: 'channel',
    },
    {
      name: 'a feed position beyond bigint',
      method: 'GET',
      path: () => '/v1/events?after=9999999999999999999',
      token: () => server.token('admin'),
      status: 400,
      type: /invalid-request$/,
      field: 'after',
    },
    {
      name: 'a Last-Event-ID beyond bigint',
      method: 'GET',
      path: () => '/v1/events/stream',
      token: () => server.token('admin'),
      headers: { 'last-event-id': '9999999999999999999' },
      status: 400,
      type: /invalid-request$/,
      field: 'Last-Event-ID',
    },
    {
      name: 'a minPosition beyond bigint',
      method: 'GET',
      path: () => `/v1/organizations/${ids.joint}?minPosition=9223372036854775808`,
      status: 400,
      type: /invalid-request$/,
      field: 'minPosition',
    },
    {
      name: 'a stream version beyond a safe integer',
      method: 'GET',
      path: () => `/v1/streams/member-${ids.member}?toVersion=100000000000000000000`,
      token: () => server.token('admin'),
      status: 400,
      type: /invalid-request$/,
      field: 'toVersion',
    },
    {
      name: 'an unknown leaving reason',
      path: () => `/v1/members/${ids.member}/leave`,
      body: () => ({ reason: 'bored', effectiveOn: '2024-01-01' }),
      status: 400,
      type: /invalid-request$/,
      field: 'reason',
    },
    {
      name: 'a stale If-Match',
      path: () => `/v1/members/${ids.member}/leave`,
      body: () => ({ reason: 'withdrew', effectiveOn: '2024-01-01' }),
      headers: { 'if-match': '"999"' },
      status: 412,
      type: /version-mismatch$/,
    },
    {
      name: 'a malformed If-Match',
      path: () => `/v1/members/${ids.member}/leave`,
      body: () => ({ reason: 'withdrew', effectiveOn: '2024-01-01' }),
      headers: { 'if-match': 'yesterday' },
      status: 400,
      type: /invalid-request$/,
      field: 'If-Match',
    },
    {
      name: 'a registrar forgetting a person',
      method: 'DELETE',
      path: () => `/v1/members/${ids.member}/personal-data`,
      token: () => server.token('registrar'),
      status: 403,
      type: /forbidden$/,
    },
    {
      name: 'forgetting an unknown member',
      method: 'DELETE',
      path: () => `/v1/members/${unknownId}/personal-data`,
      token: () => server.token('admin'),
      status: 404,
      type: /rules\/member-not-found$/,
    },
    {
      name: 'reading an unknown member',
      method: 'GET',
      path: () => `/v1/members/${unknownId}`,
      status: 404,
      type: /member-not-found$/,
    },
  ];

  const pipeline = {} as Record<
    'fresh' | 'activist' | 'veteranActivist' | 'candidate' | 'trained' | 'secondFull',
    string
  >;

  beforeAll(async () => {
    // Applicants at each stage the pipeline cases meet.
    const apply = async (appliedOn: string) =>
      expectCreated(await call(server, 'POST', '/v1/applicants', { body: applicationBody(ids.joint, { appliedOn }) }));
    const step = async (applicant: string, path: string, body: Record<string, unknown>) =>
      expect((await call(server, 'POST', `/v1/applicants/${applicant}/${path}`, { body })).status).toBe(200);
    pipeline.secondFull = expectCreated(
      await call(server, 'POST', '/v1/members', {
        body: memberBody(ids.joint, { status: 'full', joinedOn: '2012-07-01', effectiveOn: '2012-07-01' }),
      }),
    );
    pipeline.fresh = await apply('2023-12-01');
    for (const stage of ['activist', 'veteranActivist', 'candidate', 'trained'] as const) {
      const veteran = stage !== 'activist';
      pipeline[stage] = await apply('2022-01-05');
      await step(pipeline[stage], 'interview', { interviewedOn: '2022-01-20', interviewerId: ids.member });
      await step(pipeline[stage], 'activist', {
        designatedOn: veteran ? '2022-03-01' : '2024-01-01',
        contactIds: [ids.member],
      });
      if (stage === 'candidate' || stage === 'trained')
        await step(pipeline[stage], 'candidate', {
          designatedOn: '2023-06-01',
          introducerIds: [ids.member, pipeline.secondFull],
          politicalReviewOn: '2023-05-01',
        });
      if (stage === 'trained') await step(pipeline[stage], 'training', { completedOn: '2023-09-01', hours: 24 });
    }
    // The extension the "second extension" case meets.
    const extended = await call(server, 'POST', `/v1/members/${ids.probationer}/probation/extend`, {
      body: { months: 6, decidedOn: '2024-03-01', reason: '需继续考察' },
    });
    expect(extended.status).toBe(200);
    // The number the "registered before" case reuses.
    expectCreated(
      await call(server, 'POST', '/v1/members', {
        body: { ...memberBody(ids.joint), idNumber: KNOWN_ID_NUMBER, birthDate: '1975-01-01' },
      }),
    );
  });

  it.each(cases)('$name → $status', async (c) => {
    const before = await server.eventCount();
    const reply = await call(server, c.method ?? 'POST', c.path(), {
      ...(c.body ? { body: c.body() } : {}),
      ...(c.token ? { token: c.token() } : {}),
      ...(c.headers ? { headers: c.headers } : {}),
    });
    expect({ status: reply.status, type: reply.body.type }).toEqual({
      status: c.status,
      type: expect.stringMatching(c.type),
    });
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(reply.body).toMatchObject({ status: c.status, title: expect.any(String) });
    if (c.field)
      expect(reply.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: c.field, reason: expect.any(String) })]),
      );
    expect(await server.eventCount()).toBe(before);
  });

  it('never puts a resident ID number in a problem or a log line', async () => {
    const written: string[] = [];
    const spies = [process.stdout, process.stderr].map((stream) =>
      jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      }),
    );
    try {
      const body = memberBody(ids.joint);
      const replies = [
        await call(server, 'POST', '/v1/members', { body: { ...body, idNumber: withWrongCheck(body.idNumber) } }),
        await call(server, 'POST', '/v1/members', { body: { ...body, gender: 'male' } }),
        await call(server, 'POST', '/v1/members', { body: { ...body, orgId: unknownId } }),
      ];
      await call(server, 'POST', '/v1/members', { body });
      replies.push(await call(server, 'POST', '/v1/members', { body }));
      expect(replies.map((r) => r.status)).toEqual([400, 400, 409, 409]);
      const everything = JSON.stringify(replies.map((r) => r.body)) + written.join('');
      expect(everything).not.toContain(body.idNumber);
      expect(everything).not.toContain(withWrongCheck(body.idNumber));
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
