import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { SealedPersonalData } from '@registry/domain';
import { loadConfig } from '@registry/config';
import { MasterKey, MasterKeyMismatch } from '@registry/personal-data';
import { openRegistryDatabase, type RegistryDatabase } from '@registry/runtime';
import { creditCode, residentId } from '../support/identifiers';
import { buildCli, runCli } from '../support/cli';
import { call, type RegistryServer, startRegistryServer } from '../support/registry-server';

// `cli rotate-master-key` (issue 17): every data key re-wrapped and every resident-ID fingerprint
// recomputed in one transaction; the old key opens nothing afterwards, the new key opens everything,
// uniqueness still holds, and a process left on the old key writes nothing.

let server: RegistryServer;
let env: Record<string, string>;
let branch: string;
const quiet = { log: () => undefined };

async function created(path: string, body: Record<string, unknown>): Promise<string> {
  const reply = await call(server, 'POST', path, { body });
  if (reply.status !== 201) throw new Error(`${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.id as string;
}

const person = (name: string, birthDate: string, sequence: number) => ({
  name,
  idNumber: residentId(birthDate, 'female', sequence),
  gender: 'female',
  birthDate,
  phone: '+86 139 1234 5678',
  orgId: branch,
  occupation: 'technical-worker',
});
const memberBody = (name: string, birthDate: string, sequence: number) => ({
  ...person(name, birthDate, sequence),
  joinedOn: '2021-07-01',
  status: 'full',
  effectiveOn: '2021-07-01',
});

/** The name a database opened with the key in DATA_DIR reads for a member or applicant. */
async function nameOf(database: RegistryDatabase, streamId: string): Promise<string> {
  const { rows } = await database.pool.query<{ personal: SealedPersonalData }>(
    `SELECT data->'personal' AS personal FROM event_store.events WHERE stream_id = $1 AND stream_version = 1`,
    [streamId],
  );
  const opened = await database.personalData.open(streamId.slice(streamId.indexOf('-') + 1), rows[0]!.personal);
  return opened.erased ? 'erased' : opened.fields.name;
}

beforeAll(async () => {
  buildCli();
  server = await startRegistryServer({ RUN_PROJECTOR: 'false', RUN_RELAY: 'false' });
  env = { DATABASE_URL: server.config.DATABASE_URL!, DATA_DIR: server.config.DATA_DIR };
  const unit = await created('/v1/units', {
    name: '上海密钥软件有限公司',
    creditCode: creditCode(9301),
    kind: 'enterprise',
    regionCode: '310115',
    industry: 'software',
    registeredOn: '2015-03-01',
  });
  const committee = await created('/v1/organizations', {
    name: '浦东新区密钥党委',
    level: 'committee',
    form: 'regional',
    regionCode: '310115',
    unitIds: [],
    establishedOn: '2010-01-01',
  });
  branch = await created('/v1/organizations', {
    name: '密钥软件公司党支部',
    level: 'branch',
    form: 'single',
    parentId: committee,
    regionCode: '310115',
    unitIds: [unit],
    establishedOn: '2016-01-01',
  });
}, 240_000);

afterAll(() => server?.close());

describe('cli rotate-master-key', () => {
  it('re-wraps every data key and recomputes every fingerprint; only the new key opens anything', async () => {
    const wang = await created('/v1/members', memberBody('王芳', '1986-04-12', 31));
    const forgotten = await created('/v1/members', memberBody('李娜', '1990-02-02', 32));
    const applicant = await created('/v1/applicants', { ...person('赵敏', '1995-05-05', 33), appliedOn: '2024-03-01' });
    expect(
      (await call(server, 'DELETE', `/v1/members/${forgotten}/personal-data`, { token: server.token('admin') })).status,
    ).toBe(200);
    const keyFile = join(server.config.DATA_DIR, 'personal-data-master.key');
    const oldKey = MasterKey.fromBase64(readFileSync(keyFile, 'utf8'));

    // An API still connected holds the old key: refused, nothing changed.
    const holder = new Client({ connectionString: env.DATABASE_URL, application_name: 'registry-api' });
    await holder.connect();
    try {
      const refused = await runCli(env, ['rotate-master-key']);
      expect(refused.code).toBe(1);
      expect(refused.output).toContain('stop these first, they hold the old key: registry-api (1 connections)');
    } finally {
      await holder.end();
    }
    expect(MasterKey.fromBase64(readFileSync(keyFile, 'utf8')).id).toBe(oldKey.id);
    expect(await nameOf(server.database, `member-${wang}`)).toBe('王芳');

    const rotated = await runCli(env, ['rotate-master-key']);
    expect(rotated.output).toContain(
      '2 data keys re-wrapped, 2 resident-ID fingerprints recomputed (1 of forgotten people left as they were',
    );
    expect(rotated.code).toBe(0);
    const newKey = MasterKey.fromBase64(readFileSync(keyFile, 'utf8'));
    expect(newKey.id).not.toBe(oldKey.id);
    expect(existsSync(`${keyFile}.next`)).toBe(false);
    const retired = readdirSync(server.config.DATA_DIR).filter((name) =>
      name.startsWith('personal-data-master.key.retired-'),
    );
    expect(retired).toHaveLength(1);
    expect(MasterKey.fromBase64(readFileSync(join(server.config.DATA_DIR, retired[0]!), 'utf8')).id).toBe(oldKey.id);

    // The server still running on the old key reads nothing and writes nothing.
    await expect(nameOf(server.database, `member-${wang}`)).rejects.toThrow();
    const stale = await call(server, 'POST', '/v1/members', { body: memberBody('陈静', '1992-03-03', 34) });
    expect({ status: stale.status, type: stale.body.type }).toEqual({
      status: 503,
      type: 'https://liangxin-registry.example/problems/master-key-rotated',
    });
    // Nor can it start again with that key.
    await expect(
      openRegistryDatabase(
        loadConfig({
          ...env,
          PERSONAL_DATA_MASTER_KEY: readFileSync(join(server.config.DATA_DIR, retired[0]!), 'utf8').trim(),
        }),
        quiet,
        'rotation-test',
      ),
    ).rejects.toBeInstanceOf(MasterKeyMismatch);

    // A process on the new key opens everything and keeps every number unique.
    const reopened = await openRegistryDatabase(loadConfig(env), quiet, 'rotation-test');
    try {
      expect(await nameOf(reopened, `member-${wang}`)).toBe('王芳');
      expect(await nameOf(reopened, `applicant-${applicant}`)).toBe('赵敏');
      expect(await nameOf(reopened, `member-${forgotten}`)).toBe('erased');
      const { rows } = await reopened.pool.query<{ kind: string; value: string }>(
        `SELECT kind, value FROM command_side.reservations WHERE stream_id IN ($1, $2) ORDER BY kind`,
        [`member-${wang}`, `applicant-${applicant}`],
      );
      expect(rows).toEqual([
        { kind: 'application-resident-id', value: newKey.residentIdFingerprint(person('', '1995-05-05', 33).idNumber) },
        { kind: 'resident-id', value: newKey.residentIdFingerprint(person('', '1986-04-12', 31).idNumber) },
      ]);
    } finally {
      await reopened.close();
    }

    const again = await runCli(env, ['rotate-master-key']);
    expect(again.code).toBe(0);
    expect(again.output).toContain('2 data keys re-wrapped, 2 resident-ID fingerprints recomputed');
  }, 180_000);

  it('with PERSONAL_DATA_MASTER_KEY set, needs --new-key-file and leaves the configuration to the operator', async () => {
    const keyFile = join(server.config.DATA_DIR, 'personal-data-master.key');
    const current = readFileSync(keyFile, 'utf8').trim();
    const withKey = { DATABASE_URL: env.DATABASE_URL!, PERSONAL_DATA_MASTER_KEY: current, DATA_DIR: env.DATA_DIR! };
    const refused = await runCli(withKey, ['rotate-master-key']);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('give --new-key-file <path>');
    const target = join(server.config.DATA_DIR, 'operator-new.key');
    const done = await runCli(withKey, ['rotate-master-key', '--new-key-file', target]);
    expect(done.code).toBe(0);
    expect(done.output).toContain(`set PERSONAL_DATA_MASTER_KEY to the content of ${target}`);
    const reopened = await openRegistryDatabase(
      loadConfig({ DATABASE_URL: env.DATABASE_URL!, PERSONAL_DATA_MASTER_KEY: readFileSync(target, 'utf8').trim() }),
      quiet,
      'rotation-test',
    );
    await reopened.close();
  }, 120_000);
});
