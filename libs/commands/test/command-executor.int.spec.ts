import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { RegistryCommands, type CommandOptions } from '@registry/commands';
import { DomainError } from '@registry/domain';
import { PostgresEventStore } from '@registry/event-store';
import { loadOrCreateMasterKeyFile, PersonalDataVault } from '@registry/personal-data';
import { createPool } from '@registry/postgres';
import { residentId } from '../../../test/support/identifiers';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

// Two registry processes over one database: each caches folded stream states, and neither may
// act on a stale one.

const options = (): CommandOptions => ({
  context: { today: '2026-01-01', actor: 'tester', requestId: 'r', correlationId: 'c' },
});

describe('command handlers in two processes sharing one database', () => {
  let database: TestDatabase;
  const pools: Pool[] = [];
  const stores: PostgresEventStore[] = [];
  let first: RegistryCommands;
  let second: RegistryCommands;
  let memberId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const masterKey = loadOrCreateMasterKeyFile(join(mkdtempSync(join(tmpdir(), 'registry-keys-')), 'master.key'));
    const open = () => {
      const pool = createPool({ url: database.url, max: 4 });
      const store = new PostgresEventStore(pool);
      pools.push(pool);
      stores.push(store);
      return new RegistryCommands(store, pool, new PersonalDataVault(pool, masterKey));
    };
    first = open();
    second = open();
    const org = await first.establishOrganization(
      {
        name: '支部',
        level: 'branch',
        form: 'industry',
        regionCode: '310115',
        unitIds: [],
        establishedOn: '2010-01-01',
      },
      options(),
    );
    const member = await first.registerMember(
      {
        name: '张三',
        idNumber: residentId('1980-01-01', 'male', 1),
        gender: 'male',
        birthDate: '1980-01-01',
        joinedOn: '2000-01-01',
        status: 'full',
        orgId: org.body.id,
        effectiveOn: '2000-01-01',
      },
      options(),
    );
    memberId = member.body.id;
  });

  afterAll(async () => {
    for (const store of stores) await store.close();
    for (const pool of pools) await pool.end();
    await database.drop();
  });

  it('re-decides an append made on a stale state (expected version) instead of failing', async () => {
    await first.markLostContact(memberId, { since: '2024-01-01' }, options()); // first caches version 2
    await second.restoreContact(memberId, { effectiveOn: '2024-02-01' }, options()); // version 3, first's cache is stale
    const again = await first.markLostContact(memberId, { since: '2024-03-01' }, options());
    expect(again.body.streamVersion).toBe(4);
  });

  it('does not refuse on a stale state: a refusal is checked against the stream as it is', async () => {
    // first's cache: lost contact since 2024-03-01. second restores contact; on first's stale cache a restore
    // would be allowed, but its append fails the version check and the fresh state refuses it.
    await second.restoreContact(memberId, { effectiveOn: '2024-04-01' }, options());
    await expect(first.restoreContact(memberId, { effectiveOn: '2024-05-01' }, options())).rejects.toMatchObject({
      rule: 'not-lost-contact',
    });
    // And the other way round: second's cache says "in contact"; first marks lost contact; second can restore.
    await first.markLostContact(memberId, { since: '2024-06-01' }, options());
    const restored = await second.restoreContact(memberId, { effectiveOn: '2024-07-01' }, options());
    expect(restored.body.streamVersion).toBe(7);
  });

  it('does not report "already done" from a stale state', async () => {
    await first.flowOut(memberId, { since: '2024-08-01', destinationRegionCode: '440305' }, options()); // v8, cached by first
    await second.flowReturn(memberId, { effectiveOn: '2024-09-01' }, options()); // v9
    // On first's stale cache the same flow-out is a no-op; on the stream the member has returned, so it flows out again.
    const again = await first.flowOut(memberId, { since: '2024-08-01', destinationRegionCode: '440305' }, options());
    expect(again.body.streamVersion).toBe(10);
    const events = await stores[0]!.readStream(`member-${memberId}`);
    expect(events.map((e) => e.type).slice(-3)).toEqual(['MemberFlowedOut', 'MemberFlowReturned', 'MemberFlowedOut']);
  });

  it('gives a refusal as a DomainError with the rule', async () => {
    await expect(first.confirmMember(memberId, { effectiveOn: '2024-01-01' }, options())).rejects.toBeInstanceOf(
      DomainError,
    );
  });
});
