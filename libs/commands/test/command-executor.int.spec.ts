import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Pool } from 'pg';
import {
  COMMAND_HANDLERS,
  CommandExecutor,
  type CommandOptions,
  ConfirmMemberCommand,
  EstablishOrganizationCommand,
  FlowOutCommand,
  FlowReturnCommand,
  MarkLostContactCommand,
  RegisterMemberCommand,
  RestoreContactCommand,
} from '@registry/commands';
import { DomainError, unitDecider } from '@registry/domain';
import { PostgresEventStore } from '@registry/event-store';
import { ForgettingLedger, loadOrCreateMasterKeyFile, PersonalDataVault } from '@registry/personal-data';
import { createPool } from '@registry/postgres';
import { residentId } from '../../../test/support/identifiers';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

// Two registry processes over one database, each with its command bus and executor: each caches
// folded stream states, and neither may act on a stale one.

const options = (): CommandOptions => ({
  context: { today: '2026-01-01', actor: 'tester', requestId: 'r', correlationId: 'c' },
});

describe('command handlers in two processes sharing one database', () => {
  let database: TestDatabase;
  const pools: Pool[] = [];
  const stores: PostgresEventStore[] = [];
  const contexts: TestingModule[] = [];
  let first: CommandBus;
  let second: CommandBus;
  let memberId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const keys = mkdtempSync(join(tmpdir(), 'registry-keys-'));
    const masterKey = loadOrCreateMasterKeyFile(join(keys, 'master.key'));
    const open = async (): Promise<CommandBus> => {
      const pool = createPool({ url: database.url, max: 4 });
      const store = new PostgresEventStore(pool);
      pools.push(pool);
      stores.push(store);
      const context = await Test.createTestingModule({
        imports: [CqrsModule.forRoot()],
        providers: [
          { provide: CommandExecutor, useValue: new CommandExecutor(store, pool) },
          { provide: PersonalDataVault, useValue: new PersonalDataVault(pool, masterKey) },
          { provide: ForgettingLedger, useValue: new ForgettingLedger(join(keys, 'forgotten')) },
          ...COMMAND_HANDLERS,
        ],
      }).compile();
      await context.init();
      contexts.push(context);
      return context.get(CommandBus);
    };
    first = await open();
    second = await open();
    const org = await first.execute(
      new EstablishOrganizationCommand(
        {
          name: '支部',
          level: 'branch',
          form: 'industry',
          regionCode: '310115',
          unitIds: [],
          establishedOn: '2010-01-01',
        },
        options(),
      ),
    );
    const member = await first.execute(
      new RegisterMemberCommand(
        {
          name: '张三',
          idNumber: residentId('1980-01-01', 'male', 1),
          gender: 'male',
          birthDate: '1980-01-01',
          joinedOn: '2000-01-01',
          status: 'full',
          orgId: org.id,
          effectiveOn: '2000-01-01',
        },
        options(),
      ),
    );
    memberId = member.id;
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    for (const store of stores) await store.close();
    for (const pool of pools) await pool.end();
    await database.drop();
  });

  it('re-decides an append made on a stale state (expected version) instead of failing', async () => {
    await first.execute(new MarkLostContactCommand(memberId, { since: '2024-01-01' }, options())); // first caches version 2
    await second.execute(new RestoreContactCommand(memberId, { effectiveOn: '2024-02-01' }, options())); // version 3, first's cache is stale
    const again = await first.execute(new MarkLostContactCommand(memberId, { since: '2024-03-01' }, options()));
    expect(again.streamVersion).toBe(4);
  });

  it('does not refuse on a stale state: a refusal is checked against the stream as it is', async () => {
    // first's cache: lost contact since 2024-03-01. second restores contact; on first's stale cache a restore
    // would be allowed, but its append fails the version check and the fresh state refuses it.
    await second.execute(new RestoreContactCommand(memberId, { effectiveOn: '2024-04-01' }, options()));
    await expect(
      first.execute(new RestoreContactCommand(memberId, { effectiveOn: '2024-05-01' }, options())),
    ).rejects.toMatchObject({
      rule: 'not-lost-contact',
    });
    // And the other way round: second's cache says "in contact"; first marks lost contact; second can restore.
    await first.execute(new MarkLostContactCommand(memberId, { since: '2024-06-01' }, options()));
    const restored = await second.execute(
      new RestoreContactCommand(memberId, { effectiveOn: '2024-07-01' }, options()),
    );
    expect(restored.streamVersion).toBe(7);
  });

  it('does not report "already done" from a stale state', async () => {
    // v8, cached by first
    await first.execute(
      new FlowOutCommand(memberId, { since: '2024-08-01', destinationRegionCode: '440305' }, options()),
    );
    await second.execute(new FlowReturnCommand(memberId, { effectiveOn: '2024-09-01' }, options())); // v9
    // On first's stale cache the same flow-out is a no-op; on the stream the member has returned, so it flows out again.
    const again = await first.execute(
      new FlowOutCommand(memberId, { since: '2024-08-01', destinationRegionCode: '440305' }, options()),
    );
    expect(again.streamVersion).toBe(10);
    const events = await stores[0]!.readStream(`member-${memberId}`);
    expect(events.map((e) => e.type).slice(-3)).toEqual(['MemberFlowedOut', 'MemberFlowReturned', 'MemberFlowedOut']);
  });

  it('a stream taken for new that exists after all is decided again on what is there', async () => {
    const registration = {
      unitId: '0190a6a2-0000-7000-8000-00000000c0de',
      name: '上海某公司',
      creditCode: '91310115MA1K4XXXXX',
      kind: 'enterprise' as const,
      regionCode: '310115',
      industry: 'software',
      registeredOn: '2015-01-01',
    };
    const register = (context: TestingModule, name: string) =>
      context.get(CommandExecutor).execute({
        ...options(),
        streamId: `unit-${registration.unitId}`,
        aggregateId: registration.unitId,
        decider: unitDecider,
        newStream: true,
        command: () => ({ type: 'RegisterUnit' as const, data: { ...registration, name } }),
      });
    expect((await register(contexts[1]!, registration.name)).streamVersion).toBe(1);
    // As if a generated id had come twice, in the other process: not read first, its `no-stream`
    // append fails, and it is decided again on the stream as it is.
    const again = register(contexts[0]!, '另一家公司');
    await expect(again).rejects.toBeInstanceOf(DomainError);
    await expect(again).rejects.toMatchObject({ rule: 'unit-already-registered' });
  });

  it('gives a refusal as a DomainError with the rule', async () => {
    // The member was registered as a full member: there is no probation to end.
    const refusal = first.execute(new ConfirmMemberCommand(memberId, { effectiveOn: '2024-01-01' }, options()));
    await expect(refusal).rejects.toBeInstanceOf(DomainError);
    await expect(refusal).rejects.toMatchObject({ rule: 'member-not-probationary' });
  });
});
