import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SealedPersonalData } from '@registry/domain';
import type { MasterKey } from './master-key';

/** The personal fields of a member. They exist in plain text only in memory, never in the log. */
export interface PersonalFields {
  readonly name: string;
  readonly idNumber: string;
  readonly phone?: string;
  readonly birthDate: string;
}

export type OpenedPersonalData =
  { readonly erased: false; readonly fields: PersonalFields } | { readonly erased: true };

/** Anything that runs SQL: the pool, or the client of an open transaction. */
export interface Sql {
  query<Row extends object = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: Row[] }>;
}

export class MemberForgotten extends Error {
  override readonly name = 'MemberForgotten';

  constructor(readonly memberId: string) {
    super(`member ${memberId} has been forgotten; no personal data can be stored for them again`);
  }
}

/** This process's master key is not the one the database's data keys are wrapped with. */
export class MasterKeyMismatch extends Error {
  override readonly name = 'MasterKeyMismatch';

  constructor(
    readonly processKeyId: string,
    readonly databaseKeyId: string,
  ) {
    super(
      `the personal-data master key of this process (id ${processKeyId}) is not the one this database's data keys are wrapped with (id ${databaseKeyId}); after a rotation every process must run with the new key (docs/operations.md)`,
    );
  }
}

const FORMAT = 'v1';

/** AES-256-GCM with a 12-byte IV and the tag beside it; `aad` binds the ciphertext to its owner. */
export function wrapKey(wrappingKey: Buffer, dataKey: Buffer, ownerId: string): Buffer {
  return encrypt(wrappingKey, dataKey, `member-key:${ownerId}`);
}

export function unwrapKey(wrappingKey: Buffer, wrapped: Buffer, ownerId: string): Buffer {
  return decrypt(wrappingKey, wrapped, `member-key:${ownerId}`);
}

function encrypt(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Throws when the key is wrong or the bytes were changed (GCM authenticates them). */
function decrypt(key: Buffer, sealed: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
}

/** Opens sealed fields with the owner's (unwrapped) data key. */
export function openWith(key: Buffer, memberId: string, sealed: SealedPersonalData): OpenedPersonalData {
  const [format, body] = sealed.ciphertext.split('.');
  if (format !== FORMAT || body === undefined) throw new Error(`unknown personal data format ${format ?? ''}`);
  const plaintext = decrypt(key, Buffer.from(body, 'base64url'), `member:${memberId}`);
  return { erased: false, fields: JSON.parse(plaintext.toString('utf8')) as PersonalFields };
}

/**
 * Crypto-shredding (ADR 0007): each member's personal fields are encrypted with the member's own
 * AES-256-GCM data key; the data keys live in `personal_data.member_keys`, wrapped by the master
 * key. Forgetting a member deletes the key: the events keep their ciphertext, which nothing can
 * open any more, and history stays intact.
 */
export class PersonalDataVault {
  constructor(
    private readonly sql: Sql,
    private readonly masterKey: MasterKey,
  ) {}

  /**
   * Records this process's master key as the database's on first use; refuses when the database's
   * data keys are wrapped with another (a process left on the old key after a rotation).
   */
  async adoptMasterKey(): Promise<void> {
    await this.sql.query(
      'INSERT INTO personal_data.master_key (key_id) VALUES ($1) ON CONFLICT (singleton) DO NOTHING',
      [this.masterKey.id],
    );
    const { rows } = await this.sql.query<{ key_id: string }>('SELECT key_id FROM personal_data.master_key');
    const databaseKeyId = rows[0]?.key_id;
    if (databaseKeyId !== undefined && databaseKeyId !== this.masterKey.id)
      throw new MasterKeyMismatch(this.masterKey.id, databaseKeyId);
  }

  /** Pass the transaction's client as `sql` so a failed registration leaves no key behind. */
  async seal(memberId: string, fields: PersonalFields, sql: Sql = this.sql): Promise<SealedPersonalData> {
    const forgotten = await sql.query('SELECT 1 FROM personal_data.forgotten_members WHERE member_id = $1', [memberId]);
    if (forgotten.rows.length > 0) throw new MemberForgotten(memberId);
    // A rotation locks member_keys against inserts: this waits for it, and the key id read next (a
    // new statement, so after its commit) then refuses instead of keeping a key wrapped with the old.
    await sql.query(
      'INSERT INTO personal_data.member_keys (member_id, wrapped_key) VALUES ($1, $2) ON CONFLICT (member_id) DO NOTHING',
      [memberId, wrapKey(this.masterKey.wrappingKey, randomBytes(32), memberId)],
    );
    const { rows } = await sql.query<{ wrapped_key: Buffer | null; key_id: string | null }>(
      `SELECT (SELECT wrapped_key FROM personal_data.member_keys WHERE member_id = $1) AS wrapped_key,
              (SELECT key_id FROM personal_data.master_key) AS key_id`,
      [memberId],
    );
    const databaseKeyId = rows[0]?.key_id;
    if (databaseKeyId && databaseKeyId !== this.masterKey.id)
      throw new MasterKeyMismatch(this.masterKey.id, databaseKeyId);
    const wrapped = rows[0]?.wrapped_key;
    if (!wrapped) throw new Error(`no data key for member ${memberId}`);
    const key = unwrapKey(this.masterKey.wrappingKey, wrapped, memberId);
    const ciphertext = encrypt(key, Buffer.from(JSON.stringify(fields), 'utf8'), `member:${memberId}`);
    return { keyId: `member-key:${memberId}`, ciphertext: `${FORMAT}.${ciphertext.toString('base64url')}` };
  }

  /** The fields, or `erased` once the member was forgotten. Throws on tampered or foreign ciphertext. */
  async open(memberId: string, sealed: SealedPersonalData): Promise<OpenedPersonalData> {
    const key = await this.dataKey(memberId, this.sql);
    return key ? openWith(key, memberId, sealed) : { erased: true };
  }

  /** `open` for many members at once: one query for all their keys (a rebuild opens every member's). */
  async openMany(
    sealed: readonly { readonly memberId: string; readonly sealed: SealedPersonalData }[],
  ): Promise<Map<string, OpenedPersonalData>> {
    const opened = new Map<string, OpenedPersonalData>();
    if (sealed.length === 0) return opened;
    const { rows } = await this.sql.query<{ member_id: string; wrapped_key: Buffer }>(
      'SELECT member_id, wrapped_key FROM personal_data.member_keys WHERE member_id = ANY($1::text[])',
      [[...new Set(sealed.map((s) => s.memberId))]],
    );
    const wrappedKeys = new Map(rows.map((row) => [row.member_id, row.wrapped_key]));
    for (const { memberId, sealed: data } of sealed) {
      const wrapped = wrappedKeys.get(memberId);
      opened.set(
        memberId,
        wrapped ? openWith(unwrapKey(this.masterKey.wrappingKey, wrapped, memberId), memberId, data) : { erased: true },
      );
    }
    return opened;
  }

  /** Each member's name, or null once the member was forgotten: what read models show. */
  async names(
    sealed: readonly { readonly memberId: string; readonly sealed: SealedPersonalData }[],
  ): Promise<Map<string, string | null>> {
    const opened = await this.openMany(sealed);
    return new Map([...opened].map(([memberId, data]) => [memberId, data.erased ? null : data.fields.name]));
  }

  /** Destroys the member's data key for good and records who did it. Returns false if already forgotten. */
  async forget(memberId: string, actor: string, sql: Sql = this.sql): Promise<boolean> {
    await sql.query('DELETE FROM personal_data.member_keys WHERE member_id = $1', [memberId]);
    const recorded = await sql.query(
      `INSERT INTO personal_data.forgotten_members (member_id, forgotten_by) VALUES ($1, $2)
       ON CONFLICT (member_id) DO NOTHING RETURNING member_id`,
      [memberId, actor],
    );
    return recorded.rows.length > 0;
  }

  residentIdFingerprint(idNumber: string): string {
    return this.masterKey.residentIdFingerprint(idNumber);
  }

  private async dataKey(memberId: string, sql: Sql): Promise<Buffer | undefined> {
    const { rows } = await sql.query<{ wrapped_key: Buffer }>(
      'SELECT wrapped_key FROM personal_data.member_keys WHERE member_id = $1',
      [memberId],
    );
    const wrapped = rows[0]?.wrapped_key;
    return wrapped ? unwrapKey(this.masterKey.wrappingKey, wrapped, memberId) : undefined;
  }
}
