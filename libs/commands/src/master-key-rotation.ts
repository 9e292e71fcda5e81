import type { PoolClient } from 'pg';
import type { SealedPersonalData } from '@registry/domain';
import { type MasterKey, openWith, unwrapKey, wrapKey } from '@registry/personal-data';
import { APPLICATION_RESERVATION, INFLOW_RESERVATION } from './lookups';

/** The reservations whose value is a resident-ID fingerprint (keyed by the master key). */
const FINGERPRINT_KINDS = ['resident-id', INFLOW_RESERVATION, APPLICATION_RESERVATION];
const BATCH = 1_000;
/** The registry's own processes, which hold the master key in memory (`openRegistryDatabase`'s names). */
const KEY_HOLDERS = ['registry-api', 'registry-projector', 'registry-relay'];

export class RotationRefused extends Error {
  override readonly name = 'RotationRefused';
}

export interface RotationReport {
  /** Data keys unwrapped with the old key and wrapped with the new one. */
  readonly dataKeys: number;
  /** Resident-ID reservations recomputed with the new key. */
  readonly fingerprints: number;
  /** Reservations of forgotten people: their data key is destroyed, so theirs cannot be recomputed. */
  readonly forgottenLeft: number;
}

export type RotationProgress = (stage: 'fingerprints' | 'data keys', done: number) => void;

/**
 * Rotates the personal-data master key in one transaction: every resident-ID fingerprint is
 * recomputed with the new key (from the sealed number in its owner's first event), every data key is
 * re-wrapped, and the database records the new key's id. Refused while an API, projector or relay is
 * connected (each holds the old key), and when `from` is not the database's key. A crash changes
 * nothing; once it commits, only the new key opens anything (backups taken before still need the old).
 */
export async function rotateMasterKey(
  client: PoolClient,
  from: MasterKey,
  to: MasterKey,
  progress: RotationProgress = () => undefined,
): Promise<RotationReport> {
  if (from.id === to.id) throw new RotationRefused('the new key is the current key');
  await client.query('BEGIN');
  try {
    const recorded = await client.query<{ key_id: string }>('SELECT key_id FROM personal_data.master_key FOR UPDATE');
    const databaseKeyId = recorded.rows[0]?.key_id;
    if (databaseKeyId === undefined)
      throw new RotationRefused('the database has recorded no master key yet: start the registry once with its key');
    if (databaseKeyId === to.id) throw new RotationRefused(`the database is already on the new key (id ${to.id})`);
    if (databaseKeyId !== from.id)
      throw new RotationRefused(`the configured key (id ${from.id}) is not the database's (id ${databaseKeyId})`);
    const holders = await client.query<{ application_name: string; n: number }>(
      `SELECT application_name, count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = ANY($1) GROUP BY application_name`,
      [KEY_HOLDERS],
    );
    if (holders.rows.length > 0)
      throw new RotationRefused(
        `stop these first, they hold the old key: ${holders.rows.map((r) => `${r.application_name} (${r.n} connections)`).join(', ')}`,
      );
    // New data keys wait until the commit, then find the new key's id and refuse (PersonalDataVault.seal).
    await client.query('LOCK TABLE personal_data.member_keys IN SHARE ROW EXCLUSIVE MODE');
    const fingerprints = await recomputeFingerprints(client, from, to, progress);
    const dataKeys = await rewrapDataKeys(client, from, to, progress);
    await client.query('UPDATE personal_data.master_key SET key_id = $1, rotated_at = now()', [to.id]);
    await client.query('COMMIT');
    return { dataKeys, ...fingerprints };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function recomputeFingerprints(
  client: PoolClient,
  from: MasterKey,
  to: MasterKey,
  progress: RotationProgress,
): Promise<{ fingerprints: number; forgottenLeft: number }> {
  // Values are primary keys: collect the new ones first, so the walk never meets a value it wrote.
  await client.query(
    'CREATE TEMP TABLE rotated_fingerprints (kind text, old_value text, new_value text) ON COMMIT DROP',
  );
  let after = { kind: '', value: '' };
  let fingerprints = 0;
  let forgottenLeft = 0;
  for (;;) {
    const { rows } = await client.query<{
      kind: string;
      value: string;
      stream_id: string;
      owner_id: string;
      personal: SealedPersonalData | null;
      wrapped_key: Buffer | null;
    }>(
      `SELECT r.kind, r.value, r.stream_id, substr(r.stream_id, strpos(r.stream_id, '-') + 1) AS owner_id,
              e.data -> 'personal' AS personal, k.wrapped_key
         FROM command_side.reservations r
         LEFT JOIN event_store.events e ON e.stream_id = r.stream_id AND e.stream_version = 1
         LEFT JOIN personal_data.member_keys k ON k.member_id = substr(r.stream_id, strpos(r.stream_id, '-') + 1)
        WHERE r.kind = ANY($1) AND (r.kind, r.value) > ($2, $3)
        ORDER BY r.kind, r.value LIMIT $4`,
      [FINGERPRINT_KINDS, after.kind, after.value, BATCH],
    );
    const last = rows.at(-1);
    if (last === undefined) break;
    const rotated: [string, string, string][] = [];
    for (const row of rows) {
      if (!row.wrapped_key) {
        forgottenLeft++;
        continue;
      }
      if (!row.personal)
        throw new RotationRefused(`${row.stream_id} holds ${row.kind} but its first event seals nothing`);
      const opened = openWith(unwrapKey(from.wrappingKey, row.wrapped_key, row.owner_id), row.owner_id, row.personal);
      if (opened.erased) continue;
      if (from.residentIdFingerprint(opened.fields.idNumber) !== row.value)
        throw new RotationRefused(
          `${row.stream_id}: its ${row.kind} reservation is not the fingerprint of its sealed number`,
        );
      rotated.push([row.kind, row.value, to.residentIdFingerprint(opened.fields.idNumber)]);
    }
    if (rotated.length > 0)
      await client.query('INSERT INTO rotated_fingerprints SELECT * FROM unnest($1::text[], $2::text[], $3::text[])', [
        rotated.map((r) => r[0]),
        rotated.map((r) => r[1]),
        rotated.map((r) => r[2]),
      ]);
    fingerprints += rotated.length;
    progress('fingerprints', fingerprints);
    after = { kind: last.kind, value: last.value };
  }
  await client.query(
    `UPDATE command_side.reservations r SET value = f.new_value
       FROM rotated_fingerprints f WHERE r.kind = f.kind AND r.value = f.old_value`,
  );
  return { fingerprints, forgottenLeft };
}

async function rewrapDataKeys(
  client: PoolClient,
  from: MasterKey,
  to: MasterKey,
  progress: RotationProgress,
): Promise<number> {
  let after = '';
  let done = 0;
  for (;;) {
    const { rows } = await client.query<{ member_id: string; wrapped_key: Buffer }>(
      'SELECT member_id, wrapped_key FROM personal_data.member_keys WHERE member_id > $1 ORDER BY member_id LIMIT $2',
      [after, BATCH],
    );
    const last = rows.at(-1);
    if (last === undefined) return done;
    const rewrapped = rows.map((row) =>
      wrapKey(to.wrappingKey, unwrapKey(from.wrappingKey, row.wrapped_key, row.member_id), row.member_id),
    );
    await client.query(
      `UPDATE personal_data.member_keys k SET wrapped_key = u.wrapped_key
         FROM unnest($1::text[], $2::bytea[]) AS u(member_id, wrapped_key) WHERE k.member_id = u.member_id`,
      [rows.map((row) => row.member_id), rewrapped],
    );
    done += rows.length;
    progress('data keys', done);
    after = last.member_id;
  }
}
