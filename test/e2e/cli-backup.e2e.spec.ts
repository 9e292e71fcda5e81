import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SealedPersonalData } from '@registry/domain';
import { PROJECTION_GENERATION_SCHEMA, REGISTRY_MIGRATION_TABLES, REGISTRY_SCHEMAS } from '@registry/runtime';
import { creditCode, residentId } from '../support/identifiers';
import { buildCli, repositoryRoot, runCli } from '../support/cli';
import { call, type RegistryServer, startRegistryServer } from '../support/registry-server';

// ADR 0013: a backup restored after a forget must not bring the person back. Runs the built CLI as
// a process against the API's database (pg_dump, pg_restore and psql from the PATH).

let server: RegistryServer;
let backups: string;
let env: Record<string, string>;
const members = { wang: '', li: '' };

async function created(path: string, body: Record<string, unknown>): Promise<string> {
  const reply = await call(server, 'POST', path, { body });
  if (reply.status !== 201) throw new Error(`${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.id as string;
}

const member = (orgId: string, name: string, birthDate: string, gender: 'male' | 'female') => ({
  name,
  idNumber: residentId(birthDate, gender, 17),
  gender,
  birthDate,
  phone: '+86 139 1234 5678',
  joinedOn: '2021-07-01',
  status: 'full',
  orgId,
  occupation: 'technical-worker',
  effectiveOn: '2021-07-01',
});

async function keyHolders(): Promise<string[]> {
  const { rows } = await server.database.pool.query<{ member_id: string }>(
    'SELECT member_id FROM personal_data.member_keys ORDER BY member_id',
  );
  return rows.map((row) => row.member_id);
}

async function eventCount(): Promise<number> {
  return server.eventCount();
}

/** What the vault opens for the member's registered personal data: their name, or `erased`. */
async function personalName(memberId: string): Promise<string> {
  const { rows } = await server.database.pool.query<{ personal: SealedPersonalData }>(
    `SELECT data->'personal' AS personal FROM event_store.events
     WHERE stream_id = $1 AND event_type = 'MemberRegistered'`,
    [`member-${memberId}`],
  );
  const opened = await server.database.personalData.open(memberId, rows[0]!.personal);
  return opened.erased ? 'erased' : opened.fields.name;
}

async function wrappedKey(memberId: string): Promise<Buffer> {
  const { rows } = await server.database.pool.query<{ wrapped_key: Buffer }>(
    'SELECT wrapped_key FROM personal_data.member_keys WHERE member_id = $1',
    [memberId],
  );
  return rows[0]!.wrapped_key;
}

/** As if the key had come back from an older copy of the database by some other way than `cli restore`. */
async function resurrectKey(memberId: string, key: Buffer): Promise<void> {
  await server.database.pool.query('DELETE FROM personal_data.forgotten_members WHERE member_id = $1', [memberId]);
  await server.database.pool.query('INSERT INTO personal_data.member_keys (member_id, wrapped_key) VALUES ($1, $2)', [
    memberId,
    key,
  ]);
}

const forget = (memberId: string) =>
  call(server, 'DELETE', `/v1/members/${memberId}/personal-data`, { token: server.token('admin') });

beforeAll(async () => {
  buildCli();
  // No background workers: a restore is made with the registry's processes stopped.
  server = await startRegistryServer({ RUN_PROJECTOR: 'false', RUN_RELAY: 'false' });
  backups = mkdtempSync(join(tmpdir(), 'registry-backups-'));
  env = { DATABASE_URL: server.config.DATABASE_URL!, DATA_DIR: server.config.DATA_DIR };
  const unit = await created('/v1/units', {
    name: '上海浦东软件有限公司',
    creditCode: creditCode(9101),
    kind: 'enterprise',
    regionCode: '310115',
    industry: 'software',
    buildingId: 'zhangjiang-hi-tech-tower-1',
    employeeCount: 120,
    registeredOn: '2015-03-01',
  });
  const committee = await created('/v1/organizations', {
    name: '浦东新区两新组织党委',
    level: 'committee',
    form: 'regional',
    regionCode: '310115',
    unitIds: [],
    establishedOn: '2010-01-01',
  });
  const branch = await created('/v1/organizations', {
    name: '浦东软件公司党支部',
    level: 'branch',
    form: 'single',
    parentId: committee,
    regionCode: '310115',
    unitIds: [unit],
    establishedOn: '2016-01-01',
  });
  members.wang = await created('/v1/members', member(branch, '王芳', '1986-04-12', 'female'));
  members.li = await created('/v1/members', member(branch, '李强', '1979-10-03', 'male'));
}, 240_000);

afterAll(async () => {
  await server?.close();
  if (backups) rmSync(backups, { recursive: true, force: true });
});

// pg_dump refuses a server newer than itself: without tools of the test server's version these tests cannot run.
const withPostgresTools = process.env.REGISTRY_TEST_PG_TOOLS === 'yes' ? describe : describe.skip;
if (process.env.REGISTRY_TEST_PG_TOOLS !== 'yes')
  console.warn(`[cli-backup] SKIPPED: ${process.env.REGISTRY_TEST_PG_TOOLS ?? 'PostgreSQL client tools unknown'}`);

withPostgresTools('cli backup and cli restore', () => {
  it("backs up every schema and migration table the registry's migrations create", async () => {
    const { rows } = await server.database.pool.query<{ name: string }>(
      `SELECT nspname AS name FROM pg_namespace
       WHERE nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
       UNION ALL
       SELECT 'public.' || tablename FROM pg_tables WHERE schemaname = 'public'`,
    );
    const names = rows.map((row) => row.name).filter((name) => !PROJECTION_GENERATION_SCHEMA.test(name));
    expect(names.sort()).toEqual([...REGISTRY_SCHEMAS, ...REGISTRY_MIGRATION_TABLES].sort());
  });

  it('back up, forget a member, restore the older backup: the member stays forgotten, the rest is intact', async () => {
    const file = join(backups, 'before-the-forget.dump');
    const backup = await runCli(env, ['backup', file]);
    expect(backup.output).toMatch(/backup: .*before-the-forget\.dump \(\d+\.\d MB\)/);
    expect(backup.code).toBe(0);
    expect(existsSync(file)).toBe(true);
    const eventsInBackup = await eventCount();
    // The backup's projection generations no longer exist once a rebuild has replaced them.
    const rebuilt = await runCli(env, ['rebuild', 'all']);
    expect(rebuilt.code).toBe(0);

    expect((await forget(members.wang)).status).toBe(200);
    const ledger = readFileSync(join(server.config.DATA_DIR, 'forgotten'), 'utf8').trim().split('\n');
    expect(ledger.map((line) => (JSON.parse(line) as { memberId: string }).memberId)).toEqual([members.wang]);
    expect(await personalName(members.wang)).toBe('erased');

    const refused = await runCli(env, ['restore', file]);
    expect(refused.output).toContain('the registry is not empty');
    expect(refused.code).toBe(1);
    expect(await eventCount()).toBe(eventsInBackup + 1);

    const restored = await runCli(env, ['restore', file, '--force']);
    expect(restored.output).toContain(
      'forgets re-applied for 1 members (1 ledger entries and the log): 1 data keys the backup still held destroyed, 1 members newly recorded as forgotten',
    );
    expect(restored.output).toContain('hierarchy: generation 2 is live (was 1)'); // numbered after the backup's
    expect(restored.code).toBe(0);

    expect(await eventCount()).toBe(eventsInBackup); // the log as the backup had it
    expect(await keyHolders()).toEqual([members.li]);
    expect(await personalName(members.wang)).toBe('erased');
    expect(await personalName(members.li)).toBe('李强');
    const view = await call(server, 'GET', `/v1/members/${members.wang}`, { token: server.token('admin') });
    expect(view.body).toMatchObject({ status: 'member', personal: { erased: true } });
    // Registering personal data for the forgotten member again stays impossible.
    const sealAgain = server.database.personalData.seal(members.wang, {
      name: '王芳',
      idNumber: residentId('1986-04-12', 'female', 17),
      birthDate: '1986-04-12',
    });
    await expect(sealAgain).rejects.toThrow(/has been forgotten/);
  }, 240_000);

  it('re-applies the forgets of the restored log even with an empty ledger', async () => {
    const key = await wrappedKey(members.li);
    expect((await forget(members.li)).status).toBe(200);
    // A database whose log says "forgotten" while the key is back (e.g. tables restored by hand).
    await resurrectKey(members.li, key);
    expect(await personalName(members.li)).toBe('李强');
    const file = join(backups, 'after-the-forget.dump');
    expect((await runCli(env, ['backup', file])).code).toBe(0);

    const noLedger = { ...env, FORGOTTEN_LEDGER_PATH: join(backups, 'no-such-ledger') };
    const restored = await runCli(noLedger, ['restore', file, '--force']);
    expect(restored.output).toContain('forgets re-applied for 1 members (0 ledger entries and the log): 1 data keys');
    expect(restored.code).toBe(0);
    expect(await personalName(members.li)).toBe('erased');
  }, 240_000);

  it('forget-ledger apply forgets again whoever a point-in-time recovery brought back', async () => {
    expect(await personalName(members.wang)).toBe('erased');
    // A point-in-time recovery to before the forget would bring Wang's key back: put one there by hand.
    const { rows } = await server.database.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM personal_data.member_keys',
    );
    expect(rows[0]!.n).toBe(0);
    await resurrectKey(members.wang, Buffer.alloc(60, 1));
    const applied = await runCli(env, ['forget-ledger', 'apply']);
    expect(applied.output).toContain(
      'forgets re-applied for 2 members (2 ledger entries and the log): 1 data keys destroyed',
    );
    expect(applied.code).toBe(0);
    expect(await keyHolders()).toEqual([]);
  }, 120_000);

  it('refuses a file that is not a backup, and a missing file, with exit code 1 and nothing changed', async () => {
    const before = await eventCount();
    const notABackup = await runCli(env, ['restore', join(repositoryRoot, 'package.json'), '--force']);
    expect(notABackup.output).toContain('is not a backup');
    expect(notABackup.code).toBe(1);
    const missing = await runCli(env, ['restore', join(backups, 'missing.dump'), '--force']);
    expect(missing.output).toContain('no such file');
    expect(missing.code).toBe(1);
    expect(await eventCount()).toBe(before);
  }, 120_000);

  it('rolls everything back when the backup breaks off in the middle of its data', async () => {
    const whole = readFileSync(join(backups, 'after-the-forget.dump'));
    const cut = join(backups, 'cut-short.dump');
    writeFileSync(cut, whole.subarray(0, whole.length - 100)); // the table of contents is whole, the data is not
    await server.database.pool.query('INSERT INTO personal_data.member_keys (member_id, wrapped_key) VALUES ($1, $2)', [
      '5f0c2b7e-1d3a-4e6f-9a8b-7c6d5e4f3a21',
      Buffer.alloc(60, 2),
    ]);
    const before = { events: await eventCount(), keys: await keyHolders() };

    const failed = await runCli(env, ['restore', cut, '--force']);
    expect(failed.output).toContain('restore failed and was rolled back, nothing was changed');
    expect(failed.code).toBe(1);
    expect({ events: await eventCount(), keys: await keyHolders() }).toEqual(before);
  }, 120_000);
});

describe('the forget command and the ledger', () => {
  let other: RegistryServer | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    await other?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers an error while the ledger cannot be written, and a repeated forget writes it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'registry-ledger-'));
    const ledgerPath = join(dir, 'forgotten');
    mkdirSync(ledgerPath); // a directory where the file should be: every append fails
    other = await startRegistryServer({
      RUN_PROJECTOR: 'false',
      RUN_RELAY: 'false',
      FORGOTTEN_LEDGER_PATH: ledgerPath,
    });
    const committee = await call(other, 'POST', '/v1/organizations', {
      body: {
        name: '张江镇两新组织党委',
        level: 'committee',
        form: 'regional',
        regionCode: '310115',
        unitIds: [],
        establishedOn: '2010-01-01',
      },
    });
    const registered = await call(other, 'POST', '/v1/members', {
      body: member(committee.body.id as string, '赵敏', '1990-02-20', 'female'),
    });
    expect(registered.status).toBe(201);
    const memberId = registered.body.id as string;
    const path = `/v1/members/${memberId}/personal-data`;

    const failed = await call(other, 'DELETE', path, { token: other.token('admin') });
    expect(failed.status).toBe(500);
    const { rows } = await other.database.pool.query('SELECT 1 FROM personal_data.member_keys WHERE member_id = $1', [
      memberId,
    ]);
    expect(rows).toEqual([]); // the key is gone all the same

    rmdirSync(ledgerPath);
    const repeated = await call(other, 'DELETE', path, { token: other.token('admin') });
    expect(repeated.status).toBe(200);
    expect(JSON.parse(readFileSync(ledgerPath, 'utf8'))).toMatchObject({ memberId, forgottenBy: 'admin-tester' });
  }, 120_000);
});
