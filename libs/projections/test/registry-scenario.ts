import { randomUUID } from 'node:crypto';
import type { TreeNode } from '@registry/projections';
import { startProjectionHarness, type ProjectionHarness } from '../../../test/support/projection-harness';

/**
 * One district's registry that every read-model spec builds on: a committee R with a general
 * branch A (and its branch B), a flowing-members branch C, a single branch S and a joint branch J;
 * three members working at unit U3, dues, a flowing member and a pending transfer. The retroactive
 * changes, recorded later with earlier effective dates, move B under C and m1 from B to C.
 */
const id = (): string => randomUUID();
export const R = id(),
  A = id(),
  B = id(),
  C = id();
export const m1 = id(),
  m2 = id(),
  m3 = id();
export const U1 = id(),
  U2 = id(),
  U3 = id(),
  U4 = id();
export const S = id(),
  J = id();
export const t1 = id(),
  t2 = id();

const sealed = { keyId: 'k', ciphertext: 'c' };

/** The names the vault would give; a spec may delete one to play a forgotten person. */
export const memberNames = (): Map<string, string> =>
  new Map([
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

export function register(
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
export function shape(node: TreeNode): string {
  const c = node.counts;
  const children = node.children.map(shape).join(',');
  return `${node.name}(${c.members}/${c.full}/${c.probationary}/${c.flowingIn}/${c.flowingOut})${children ? `[${children}]` : ''}`;
}

export async function recordRegistry(h: ProjectionHarness): Promise<void> {
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
    establish(C, 'C', 'branch', 'flowing', R, '2020-01-01', [], '430602'),
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
}

/** Recorded now, effective in the past: B moved under C on 2021-01-01; m1 moved from B to C on 2020-05-01; A dissolved. */
export async function recordRetroactiveChanges(h: ProjectionHarness): Promise<void> {
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
}

/** A database of its own with the registry (and, unless told otherwise, the retroactive changes) and every read model built. */
export async function startWithRegistry(
  options: { readonly retroactiveChanges?: boolean; readonly names?: ReadonlyMap<string, string> } = {},
): Promise<ProjectionHarness> {
  const h = await startProjectionHarness(options.names ?? memberNames());
  await recordRegistry(h);
  if (options.retroactiveChanges ?? true) await recordRetroactiveChanges(h);
  await h.rebuildAll();
  return h;
}

/**
 * Every projection's spec ends with this: replayed twice, the projection holds the same rows,
 * whether rebuilt from the whole log or given every event again on its live tables.
 */
export async function expectReplayedTwiceUnchanged(h: ProjectionHarness, projection: string): Promise<void> {
  const first = await h.snapshot([projection]);
  expect(Object.keys(first).length).toBeGreaterThan(0);
  await h.rebuildAll();
  expect(await h.snapshot([projection])).toEqual(first);
  await h.applyAgain([projection]);
  expect(await h.snapshot([projection])).toEqual(first);
}
