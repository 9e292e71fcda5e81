import { randomUUID } from 'node:crypto';
import { monthlyDuesFen } from '@registry/domain';
import { duesArrears, duesReport, duesRows } from '@registry/projections';
import { type ProjectionHarness, startProjectionHarness } from '../../../../test/support/projection-harness';
import { expectReplayedTwiceUnchanged, m1, R, startWithRegistry } from '../../test/registry-scenario';

describe('dues read model against PostgreSQL', () => {
  let h: ProjectionHarness;

  beforeAll(async () => {
    h = await startWithRegistry();
  });

  afterAll(() => h.close());

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

  it('replayed twice gives the same rows', async () => {
    await expectReplayedTwiceUnchanged(h, 'dues');
  });
});

describe('dues sums beyond a PostgreSQL integer', () => {
  // The API bounds each amount to an `integer` column; sums over members (or over payments) are not bounded.
  const MAX_INCOME_FEN = 2_147_483_647;
  const maxDues = monthlyDuesFen('employed', MAX_INCOME_FEN);
  const members = Array.from({ length: 52 }, () => randomUUID());
  const committee = randomUUID();
  let h: ProjectionHarness;

  beforeAll(async () => {
    h = await startProjectionHarness();
    await h.record(`organization-${committee}`, 'OrganizationEstablished', {
      organizationId: committee,
      name: '上海某集团党委',
      level: 'committee',
      form: 'single',
      regionCode: '310104',
      unitIds: [],
      establishedOn: '2020-01-01',
    });
    for (const memberId of members) {
      await h.record(`member-${memberId}`, 'MemberRegistered', {
        memberId,
        personal: { keyId: 'k', ciphertext: 'c' },
        gender: 'female',
        joinedOn: '2010-07-01',
        status: 'full',
        orgId: committee,
        effectiveOn: '2025-01-01',
      });
      await h.record(`member-${memberId}`, 'DuesAssessed', {
        memberId,
        from: '2025-01',
        category: 'employed',
        monthlyIncomeFen: MAX_INCOME_FEN,
        monthlyDuesFen: maxDues,
      });
      await h.record(`member-${memberId}`, 'DuesPaid', {
        memberId,
        months: ['2025-06'],
        amountFen: maxDues,
        paidOn: '2025-06-10',
        channel: 'bank',
      });
    }
    // Two payments for one month: today's decide refuses the second, but the log may hold such history
    // (imported records), and the export must still add them up.
    await h.record(`member-${members[0]!}`, 'DuesPaid', {
      memberId: members[0]!,
      months: ['2025-06'],
      amountFen: MAX_INCOME_FEN,
      paidOn: '2025-06-20',
      channel: 'bank',
    });
    await h.rebuildAll();
  });

  afterAll(() => h.close());

  it('reports expected and collected dues above 2^31 fen exactly', async () => {
    const expected = members.length * maxDues;
    expect(expected).toBeGreaterThan(2 ** 31);
    expect(await duesReport(h.pool, committee, '2025-06', '2025-06-30')).toMatchObject({
      members: members.length,
      expectedFen: expected,
      collectedFen: expected,
      membersInArrears: 0,
      collectionRate: 1,
    });
  });

  it("exports a member's payments for a month summed beyond 2^31 fen", async () => {
    const rows = await duesRows(h.pool, '2025-06');
    expect(rows.find((row) => row.memberId === members[0])).toMatchObject({
      expectedFen: maxDues,
      paidFen: maxDues + MAX_INCOME_FEN,
    });
    expect(rows.find((row) => row.memberId === members[1])).toMatchObject({ paidFen: maxDues });
  });
});
