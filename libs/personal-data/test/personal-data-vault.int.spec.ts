import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import {
  loadOrCreateMasterKeyFile,
  MasterKey,
  MasterKeyMismatch,
  MemberForgotten,
  PersonalDataVault,
  type PersonalFields,
} from '@registry/personal-data';
import { createPool } from '@registry/postgres';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const memberId = '0190a6a2-0000-7000-8000-00000000b001';
const fields: PersonalFields = {
  name: '张晓梅',
  idNumber: '11010519491231002X',
  phone: '13800138000',
  birthDate: '1949-12-31',
};

describe('PersonalDataVault (crypto-shredding)', () => {
  let database: TestDatabase;
  let pool: Pool;
  let master: MasterKey;
  let vault: PersonalDataVault;

  beforeEach(async () => {
    database = await createTestDatabase();
    pool = createPool({ url: database.url, max: 4 });
    master = MasterKey.generate();
    vault = new PersonalDataVault(pool, master);
  });

  afterEach(async () => {
    await pool.end();
    await database.drop();
  });

  it('seals fields so that the ciphertext reveals none of them, and opens them again', async () => {
    const sealed = await vault.seal(memberId, fields);
    for (const value of Object.values(fields)) expect(sealed.ciphertext).not.toContain(value);
    expect(sealed.ciphertext).not.toContain(Buffer.from(fields.idNumber).toString('base64'));
    expect(await vault.open(memberId, sealed)).toEqual({ erased: false, fields });
  });

  it('opens many members with one lookup: names, null for the forgotten, and tampering still refused', async () => {
    const other = '0190a6a2-0000-7000-8000-00000000b002';
    const first = await vault.seal(memberId, fields);
    const second = await vault.seal(other, { ...fields, name: '李国强' });
    await vault.forget(other, 'admin-audit');
    const names = await vault.names([
      { memberId, sealed: first },
      { memberId: other, sealed: second },
    ]);
    expect([...names]).toEqual([
      [memberId, '张晓梅'],
      [other, null],
    ]);
    expect((await vault.openMany([{ memberId, sealed: first }])).get(memberId)).toEqual(
      await vault.open(memberId, first),
    );
    const tampered = { ...first, ciphertext: `${first.ciphertext.slice(0, -2)}AA` };
    await expect(vault.names([{ memberId, sealed: tampered }])).rejects.toThrow();
  });

  it('stores the data key only wrapped', async () => {
    await vault.seal(memberId, fields);
    const { rows } = await pool.query<{ wrapped_key: Buffer }>('SELECT wrapped_key FROM personal_data.member_keys');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.wrapped_key.length).toBe(12 + 16 + 32); // iv, tag, 32-byte key: encrypted, not raw
  });

  it('forgets a member: old ciphertext reads as erased, and nothing new can be sealed for them', async () => {
    const sealed = await vault.seal(memberId, fields);
    expect(await vault.forget(memberId, 'admin-audit')).toBe(true);
    expect(await vault.open(memberId, sealed)).toEqual({ erased: true });
    await expect(vault.seal(memberId, fields)).rejects.toBeInstanceOf(MemberForgotten);
    expect(await vault.forget(memberId, 'admin-audit')).toBe(false);
    const { rows } = await pool.query('SELECT member_id, forgotten_by FROM personal_data.forgotten_members');
    expect(rows).toEqual([{ member_id: memberId, forgotten_by: 'admin-audit' }]);
  });

  it('refuses ciphertext that was changed, or moved to another member', async () => {
    const sealed = await vault.seal(memberId, fields);
    const body = Buffer.from(sealed.ciphertext.slice(3), 'base64url');
    body.writeUInt8(body.readUInt8(body.length - 1) ^ 1, body.length - 1);
    await expect(vault.open(memberId, { ...sealed, ciphertext: `v1.${body.toString('base64url')}` })).rejects.toThrow();
    const other = '0190a6a2-0000-7000-8000-00000000b002';
    await vault.seal(other, { ...fields, name: '李' });
    await expect(vault.open(other, sealed)).rejects.toThrow();
  });

  it('cannot open anything with another master key', async () => {
    const sealed = await vault.seal(memberId, fields);
    await expect(new PersonalDataVault(pool, MasterKey.generate()).open(memberId, sealed)).rejects.toThrow();
  });

  it('writes no key when the surrounding transaction rolls back', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await vault.seal(memberId, fields, client);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM personal_data.member_keys');
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('refuses to start on another key, and a seal that met a rotation keeps nothing wrapped with the old key', async () => {
    await vault.adoptMasterKey();
    await expect(new PersonalDataVault(pool, MasterKey.generate()).adoptMasterKey()).rejects.toBeInstanceOf(
      MasterKeyMismatch,
    );
    // What a rotation holds until it commits: inserts of data keys locked out, the new key's id recorded.
    const rotation = await pool.connect();
    const sealing = await pool.connect();
    try {
      await rotation.query('BEGIN');
      await rotation.query('LOCK TABLE personal_data.member_keys IN SHARE ROW EXCLUSIVE MODE');
      await rotation.query("UPDATE personal_data.master_key SET key_id = 'the-new-key'");
      await sealing.query('BEGIN');
      const sealed = vault.seal(memberId, fields, sealing).then(
        () => 'sealed',
        (error: unknown) => error,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      await rotation.query('COMMIT');
      expect(await sealed).toBeInstanceOf(MasterKeyMismatch);
      await sealing.query('ROLLBACK');
    } finally {
      rotation.release();
      sealing.release();
    }
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM personal_data.member_keys');
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('keeps one data key per member under concurrent seals', async () => {
    const sealedAll = await Promise.all(Array.from({ length: 6 }, () => vault.seal(memberId, fields)));
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM personal_data.member_keys');
    expect(rows).toEqual([{ n: 1 }]);
    for (const sealed of sealedAll) expect(await vault.open(memberId, sealed)).toEqual({ erased: false, fields });
  });

  it('fingerprints resident ID numbers with a key: stable, case-blind, not a plain hash', () => {
    const fingerprint = vault.residentIdFingerprint(fields.idNumber);
    expect(vault.residentIdFingerprint(' 11010519491231002x ')).toBe(fingerprint);
    expect(fingerprint).not.toBe(createHash('sha256').update(fields.idNumber).digest('hex'));
    expect(new PersonalDataVault(pool, MasterKey.generate()).residentIdFingerprint(fields.idNumber)).not.toBe(
      fingerprint,
    );
  });
});

describe('master key file', () => {
  it('is created once with mode 0600 and read back the same', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'registry-key-')), 'keys', 'master.key');
    const first = loadOrCreateMasterKeyFile(path);
    const content = readFileSync(path, 'utf8');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const second = loadOrCreateMasterKeyFile(path);
    expect(readFileSync(path, 'utf8')).toBe(content);
    expect(second.residentIdFingerprint('440524188001010014')).toBe(first.residentIdFingerprint('440524188001010014'));
  });
});
