import { randomUUID } from 'node:crypto';
import {
  coverageReport,
  generationsOf,
  duesArrears,
  duesReport,
  flowingReport,
  organizationAsOf,
  organizationTree,
  shouldEstablishReport,
  type TreeNode,
  transfersReport,
} from '@registry/projections';
import { startProjectionHarness, type ProjectionHarness } from '../../../test/support/projection-harness';

const id = (): string => randomUUID();
const R = id(),
  A = id(),
  B = id(),
  C = id();
const m1 = id(),
  m2 = id(),
  m3 = id();
const U1 = id(),
  U2 = id(),
  U3 = id(),
  U4 = id();
const S = id(),
  J = id();
const t1 = id(),
  t2 = id();

const sealed = { keyId: 'k', ciphertext: 'c' };
const names = new Map([
  [m1, '张三'],
  [m2, '李四'],
  [m3, '王五'],
]);

function establish(
  org: string,
  name: string,
  level: string,
  form: string,
  parentId: string | undefined,
  on: string,
  unitIds: string[] = [],
  regionCode = '310104',
) {
  return {
    organizationId: org,
    name,
    level,
    form,
    ...(parentId ? { parentId } : {}),
    regionCode,
    unitIds,
    establishedOn: on,
  };
}

function register(
  member: string,
  orgId: string,
  status: 'full' | 'probationary',
  on: string,
  extra: Record<string, unknown> = {},
) {
  return {
    memberId: member,
    personal: sealed,
    gender: 'male',
    joinedOn: '2019-01-01',
    status,
    orgId,
    effectiveOn: on,
    ...extra,
  };
}

function unit(unitId: string, regionCode: string, industry: string, extra: Record<string, unknown> = {}) {
  return {
    unitId,
    name: `unit ${regionCode} ${industry}`,
    creditCode: '91350100M000100Y43',
    kind: 'enterprise',
    regionCode,
    industry,
    registeredOn: '2020-01-01',
    ...extra,
  };
}

/** A compact picture of a tree: name(members/full/probationary/flowingIn/flowingOut)[children]. */
function shape(node: TreeNode): string {
  const c = node.counts;
  const children = node.children.map(shape).join(',');
  return `${node.name}(${c.members}/${c.full}/${c.probationary}/${c.flowingIn}/${c.flowingOut})${children ? `[${children}]` : ''}`;
}

describe('read models against PostgreSQL', () => {
  let h: ProjectionHarness;

  beforeAll(async () => {
    h = await startProjectionHarness(names);
    await h.record(
      `organization-${R}`,
      'OrganizationEstablished',
      establish(R, 'R', 'committee', 'regional', undefined, '2020-01-01'),
    );
    await h.record(
      `organization-${A}`,
      'OrganizationEstablished',
      establish(A, 'A', 'general-branch', 'regional', R, '2020-01-01'),
    );
    await h.record(
      `organization-${B}`,
      'OrganizationEstablished',
      establish(B, 'B', 'branch', 'regional', A, '2020-02-01'),
    );
    await h.record(
      `organization-${C}`,
      'OrganizationEstablished',
      establish(C, 'C', 'branch', 'flowing', R, '2020-01-01', [], '430611'),
    );
    await h.record(
      `member-${m1}`,
      'MemberRegistered',
      register(m1, B, 'full', '2020-03-01', { unitId: U3, occupation: 'owner' }),
    );
    await h.record(
      `member-${m2}`,
      'MemberRegistered',
      register(m2, B, 'probationary', '2020-03-01', { unitId: U3, occupation: 'technical-worker' }),
    );
    await h.record(`member-${m2}`, 'MemberConfirmed', { memberId: m2, effectiveOn: '2021-03-01' });
    await h.record(
      `member-${m3}`,
      'MemberRegistered',
      register(m3, C, 'full', '2020-03-01', { unitId: U3, occupation: 'technical-worker' }),
    );
    await h.record(`member-${m3}`, 'MemberFlowedOut', {
      memberId: m3,
      since: '2022-01-01',
      destinationRegionCode: '310104',
      hostOrgId: B,
      certificateNo: 'LD-1',
    });

    await h.record(`unit-${U1}`, 'UnitRegistered', unit(U1, '310104', 'it', { buildingId: 'b1' }));
    await h.record(`unit-${U2}`, 'UnitRegistered', unit(U2, '310105', 'it', { buildingId: 'b1' }));
    await h.record(`unit-${U3}`, 'UnitRegistered', unit(U3, '310115', 'retail'));
    await h.record(`unit-${U4}`, 'UnitRegistered', unit(U4, '310115', 'retail'));
    await h.record(`unit-${U3}`, 'InstructorAssigned', { unitId: U3, name: '指导员', effectiveOn: '2021-01-01' });
    await h.record(`unit-${U4}`, 'UnitClosed', { unitId: U4, effectiveOn: '2021-06-01' });
    await h.record(
      `organization-${S}`,
      'OrganizationEstablished',
      establish(S, 'S', 'branch', 'single', R, '2020-06-01', [U1]),
    );
    await h.record(
      `organization-${J}`,
      'JointBranchFormed',
      establish(J, 'J', 'branch', 'joint', R, '2020-06-01', [U2, U4]),
    );

    await h.record(`member-${m1}`, 'DuesAssessed', {
      memberId: m1,
      from: '2024-01',
      category: 'employed',
      monthlyIncomeFen: 1_000_000,
      monthlyDuesFen: 100,
    });
    await h.record(`member-${m1}`, 'DuesPaid', {
      memberId: m1,
      months: ['2024-01', '2024-02', '2024-03'],
      amountFen: 300,
      paidOn: '2024-03-05',
      channel: 'wechat',
    });
    await h.record(`member-${m2}`, 'DuesAssessed', {
      memberId: m2,
      from: '2024-01',
      category: 'student',
      monthlyIncomeFen: null,
      monthlyDuesFen: 20,
    });
    await h.record(`member-${m2}`, 'DuesPaid', {
      memberId: m2,
      months: ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09'],
      amountFen: 180,
      paidOn: '2024-09-01',
      channel: 'cash',
    });

    await h.record(`member-${m2}`, 'TransferInitiated', {
      memberId: m2,
      transferId: t1,
      fromOrgId: B,
      to: { external: { name: '北京某党支部', regionCode: '110105' } },
      effectiveOn: '2024-01-10',
      letterNo: 'L-1',
      validUntil: '2024-04-09',
      duesPaidUpTo: '2023-12',
    });
    await h.rebuildAll();
  });

  afterAll(() => h.close());

  it('answers the tree for dates before and after each change', async () => {
    // J and S were established on 2020-06-01.
    expect(shape(await organizationTree(h.pool, R, '2020-02-15'))).toBe(
      'R(0/0/0/0/0)[A(0/0/0/0/0)[B(0/0/0/0/0)],C(0/0/0/0/0)]',
    );
    expect(shape(await organizationTree(h.pool, R, '2020-06-01'))).toBe(
      'R(3/2/1/0/0)[A(2/1/1/0/0)[B(2/1/1/0/0)],C(1/1/0/0/0),J(0/0/0/0/0),S(0/0/0/0/0)]',
    );
    expect(shape(await organizationTree(h.pool, R, '2022-06-01'))).toBe(
      'R(3/3/0/1/1)[A(2/2/0/1/0)[B(2/2/0/1/0)],C(1/1/0/0/1),J(0/0/0/0/0),S(0/0/0/0/0)]',
    );
    expect(shape(await organizationTree(h.pool, R, '2022-06-01', 0))).toBe('R(3/3/0/1/1)');
    await expect(organizationTree(h.pool, B, '2020-01-15')).rejects.toThrow(/did not exist on 2020-01-15/);
  });

  it('corrects every later as-of answer after a retroactive re-parenting and transfer', async () => {
    // Recorded now, effective in the past: B moved under C on 2021-01-01; m1 moved from B to C on 2020-05-01.
    await h.record(`organization-${B}`, 'OrganizationReparented', {
      organizationId: B,
      fromParentId: A,
      toParentId: C,
      effectiveOn: '2021-01-01',
    });
    await h.record(`member-${m1}`, 'TransferInitiated', {
      memberId: m1,
      transferId: t2,
      fromOrgId: B,
      to: { orgId: C },
      effectiveOn: '2020-04-20',
      letterNo: null,
      validUntil: '2020-05-20',
      duesPaidUpTo: null,
    });
    await h.record(`member-${m1}`, 'TransferAccepted', {
      memberId: m1,
      transferId: t2,
      fromOrgId: B,
      to: { orgId: C },
      effectiveOn: '2020-05-01',
    });
    await h.record(`organization-${A}`, 'OrganizationDissolved', {
      organizationId: A,
      effectiveOn: '2022-01-01',
      reason: 'merged',
    });
    await h.rebuildAll();

    expect(shape(await organizationTree(h.pool, R, '2020-04-30'))).toBe(
      'R(3/2/1/0/0)[A(2/1/1/0/0)[B(2/1/1/0/0)],C(1/1/0/0/0)]',
    );
    expect(shape(await organizationTree(h.pool, R, '2020-06-01'))).toBe(
      'R(3/2/1/0/0)[A(1/0/1/0/0)[B(1/0/1/0/0)],C(2/2/0/0/0),J(0/0/0/0/0),S(0/0/0/0/0)]',
    );
    expect(shape(await organizationTree(h.pool, R, '2021-06-01'))).toBe(
      'R(3/3/0/0/0)[A(0/0/0/0/0),C(3/3/0/0/0)[B(1/1/0/0/0)],J(0/0/0/0/0),S(0/0/0/0/0)]',
    );
    // A is gone after its dissolution; B keeps its place under C.
    expect(shape(await organizationTree(h.pool, R, '2022-06-01'))).toBe(
      'R(3/3/0/1/1)[C(3/3/0/1/1)[B(1/1/0/1/0)],J(0/0/0/0/0),S(0/0/0/0/0)]',
    );

    const b = await organizationAsOf(h.pool, B, '2021-06-01');
    expect(b).toMatchObject({ name: 'B', parentId: C, validFrom: '2021-01-01', counts: { members: 1, full: 1 } });
  });

  it('reports the two coverages per group, rolled up by region, as of any date', async () => {
    const before = await coverageReport(h.pool, 'region', '2020-03-01');
    expect(before.rows).toEqual([
      expect.objectContaining({
        key: '310000',
        label: '上海市',
        units: 4,
        uncovered: 4,
        orgCoverageRate: 0,
        workCoverageRate: 0,
      }),
    ]);

    const after = await coverageReport(h.pool, 'region', '2021-03-01', '310100');
    expect(
      after.rows.map((r) => [
        r.key,
        r.units,
        r.singleCovered,
        r.jointCovered,
        r.workCoveredOnly,
        r.uncovered,
        r.members,
      ]),
    ).toEqual([
      ['310104', 1, 1, 0, 0, 0, 0],
      ['310105', 1, 0, 1, 0, 0, 0],
      ['310115', 2, 0, 1, 1, 0, 3],
    ]);
    expect(after.totals).toMatchObject({ units: 4, orgCoverageRate: 0.75, workCoverageRate: 1 });

    // U4 closed on 2021-06-01: it no longer counts.
    const closed = await coverageReport(h.pool, 'region', '2021-07-01', '310000');
    expect(closed.rows).toEqual([
      expect.objectContaining({ key: '310100', units: 3, singleCovered: 1, jointCovered: 1, workCoveredOnly: 1 }),
    ]);
    expect((await coverageReport(h.pool, 'building', '2021-07-01')).rows).toEqual([
      expect.objectContaining({ key: 'b1', units: 2, orgCoverageRate: 1 }),
    ]);
  });

  it('lists units that should establish an organisation once three full members work there', async () => {
    // m2 confirmed on 2021-03-01 makes three full members at U3 (m1 left for C but still works at U3).
    expect(await shouldEstablishReport(h.pool, '2021-02-01')).toEqual([]);
    const now = await shouldEstablishReport(h.pool, '2021-04-01', '310000');
    expect(now).toEqual([
      expect.objectContaining({ unitId: U3, fullMembers: 3, coverage: 'work-only', since: '2021-03-01' }),
    ]);
    expect((await coverageReport(h.pool, 'industry', '2021-04-01')).rows.find((r) => r.key === 'retail')).toMatchObject(
      { shouldEstablish: 1 },
    );
  });

  it('reports dues collected against expected for a subtree, and consecutive unpaid months', async () => {
    expect(await duesReport(h.pool, R, '2024-02', '2024-02-15')).toMatchObject({
      members: 2,
      expectedFen: 120,
      collectedFen: 120,
      membersInArrears: 0,
      collectionRate: 1,
    });
    expect(await duesReport(h.pool, R, '2024-05', '2024-05-15')).toMatchObject({
      expectedFen: 120,
      collectedFen: 20,
      membersInArrears: 1,
    });
    const arrears = await duesArrears(h.pool, 6, '2024-10', '2024-11-01');
    expect(arrears).toEqual([
      expect.objectContaining({
        memberId: m1,
        consecutiveUnpaidMonths: 7,
        lastPaidMonth: '2024-03',
        monthlyDuesFen: 100,
      }),
    ]);
    expect(await duesArrears(h.pool, 8, '2024-10', '2024-11-01')).toEqual([]);
  });

  it('reports pending and overdue transfers', async () => {
    expect((await transfersReport(h.pool, 'pending', '2024-03-01')).map((t) => t.transferId)).toEqual([t1]);
    expect(await transfersReport(h.pool, 'overdue', '2024-03-01')).toEqual([]);
    expect(await transfersReport(h.pool, 'overdue', '2024-04-19')).toEqual([
      expect.objectContaining({ transferId: t1, daysOverdue: 10, letterNo: 'L-1' }),
    ]);
  });

  it('reports flowing members by host subtree, occupation and origin region', async () => {
    const report = await flowingReport(h.pool, '2024-01-01', C);
    expect(report).toMatchObject({
      total: 1,
      byOccupation: [{ occupation: 'technical-worker', members: 1, share: 1 }],
      byOriginRegion: [{ regionCode: '430611', members: 1 }],
    });
    expect((await flowingReport(h.pool, '2024-01-01', S)).total).toBe(0);
  });

  it('keeps names only until the person is forgotten, and a rebuild does not bring them back', async () => {
    const name = async (): Promise<string | null> =>
      (await h.pool.query<{ name: string | null }>('SELECT name FROM reporting.members WHERE member_id = $1', [m3]))
        .rows[0]!.name;
    expect(await name()).toBe('王五');
    await h.record(`member-${m3}`, 'PersonalDataForgotten', { memberId: m3 });
    names.delete(m3); // the vault's key is gone
    await h.rebuildAll();
    expect(await name()).toBeNull();
  });

  it('lets the read-only reporting role read the views and nothing else', async () => {
    const client = await h.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL ROLE registry_reporting');
      expect((await client.query('SELECT count(*)::int AS n FROM reporting.organization_versions')).rows[0]).toEqual({
        n: expect.any(Number),
      });
      await client.query('SAVEPOINT denied');
      await expect(client.query('SELECT count(*) FROM event_store.events')).rejects.toThrow(/permission denied/);
      await client.query('ROLLBACK TO SAVEPOINT denied');
      const live = (await generationsOf(h.pool, ['members']))[0]!;
      await expect(client.query(`SELECT count(*) FROM ${live.schemaName}.members`)).rejects.toThrow(
        /permission denied/,
      );
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('replayed twice gives the same rows: a second rebuild, and every event applied again onto the live tables', async () => {
    const first = await h.snapshot();
    expect(Object.keys(first).length).toBeGreaterThan(15);
    await h.rebuildAll();
    expect(await h.snapshot()).toEqual(first);

    const events = (await h.store.readAll({ limit: 10_000 })).events;
    for (const generation of (await generationsOf(h.pool)).filter((g) => g.state === 'live')) {
      const definition = h.definitions.find((d) => d.name === generation.name)!;
      const client = await h.pool.connect();
      try {
        await client.query('BEGIN');
        await definition.apply(
          { query: async (text, values) => (await client.query(text, values as unknown[])).rows as never },
          generation.schemaName,
          events,
          h.services,
        );
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    }
    expect(await h.snapshot()).toEqual(first);
  });
});
