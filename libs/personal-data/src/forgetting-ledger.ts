import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Sql } from './personal-data-vault';

/** One forget, as written to the ledger: who was forgotten, when, by whom, and where the log records it. */
export interface ForgettingEntry {
  readonly memberId: string;
  readonly forgottenAt: string;
  readonly forgottenBy: string;
  /** The log position and stream version the forget command answered with. */
  readonly position: string;
  readonly streamVersion: number;
}

export interface LedgerContents {
  readonly entries: readonly ForgettingEntry[];
  /** A last line cut short by a crash while it was written; every earlier line must be whole. */
  readonly tornLastLine: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isEntry(value: unknown): value is ForgettingEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.memberId === 'string' &&
    UUID.test(entry.memberId) &&
    typeof entry.forgottenAt === 'string' &&
    typeof entry.forgottenBy === 'string' &&
    typeof entry.position === 'string' &&
    typeof entry.streamVersion === 'number'
  );
}

/**
 * The forgetting ledger (ADR 0013): an append-only file outside the database, one JSON line per
 * forget, flushed to disk before the forget is answered. A database backup taken before a forget
 * still holds the member's data key; `cli restore` destroys it again from this file.
 */
export class ForgettingLedger {
  constructor(readonly path: string) {}

  record(entry: ForgettingEntry): void {
    const created = !existsSync(this.path);
    if (created) mkdirSync(dirname(this.path), { recursive: true });
    const fd = openSync(this.path, 'a', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(entry)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // A new file's directory entry must reach the disk too, or a crash could lose the whole file.
    if (created) {
      const dir = openSync(dirname(this.path), 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    }
  }

  /** Every entry; no file is an empty ledger. Throws naming the line when a line other than the last is damaged. */
  read(): LedgerContents {
    if (!existsSync(this.path)) return { entries: [], tornLastLine: false };
    const text = readFileSync(this.path, 'utf8');
    const lines = text.split('\n');
    const unterminated = lines.pop() ?? '';
    const entries: ForgettingEntry[] = [];
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      if (!isEntry(parsed)) throw new Error(`forgetting ledger ${this.path}: line ${index + 1} is not a forget entry`);
      entries.push(parsed);
    });
    return { entries, tornLastLine: unterminated.trim() !== '' };
  }
}

export interface ReappliedForgets {
  /** Distinct members forgotten according to the ledger and the log together. */
  readonly members: number;
  /** Data keys that were present and are now destroyed (a restored backup held them). */
  readonly keysDestroyed: number;
  /** Members added to `personal_data.forgotten_members`, which the restored backup did not list. */
  readonly recorded: number;
}

/**
 * One statement that forgets again every person named by the ledger or by a forget in the log (of a
 * member, an applicant or an inflowing member: each has its own data key, named by its id): destroys their data keys and records them as forgotten, so nothing can be sealed
 * for them again. Idempotent. Its one row is `('reapplied', members, keys_destroyed, recorded)`.
 * `ledgerRows` is a query giving `(member_id text, forgotten_by text)` rows.
 */
export function reapplyForgetsStatement(ledgerRows: string): string {
  return `WITH forgets AS (
      SELECT DISTINCT ON (member_id) member_id, forgotten_by FROM (
        SELECT coalesce(data->>'memberId', data->>'applicantId', data->>'inflowingMemberId') AS member_id,
               coalesce(metadata->>'actor', 'unknown') AS forgotten_by
        FROM event_store.events
        WHERE (category, event_type) IN (('member', 'PersonalDataForgotten'),
          ('applicant', 'ApplicantPersonalDataForgotten'), ('inflow', 'InflowingMemberPersonalDataForgotten'))
        UNION ALL
        SELECT member_id, forgotten_by FROM (${ledgerRows}) AS ledger(member_id, forgotten_by)
      ) AS both_records ORDER BY member_id
    ),
    destroyed AS (
      DELETE FROM personal_data.member_keys WHERE member_id IN (SELECT member_id FROM forgets) RETURNING 1
    ),
    recorded AS (
      INSERT INTO personal_data.forgotten_members (member_id, forgotten_by)
      SELECT member_id, forgotten_by || ' (re-applied)' FROM forgets
      ON CONFLICT (member_id) DO NOTHING RETURNING 1
    )
    SELECT 'reapplied' AS marker, (SELECT count(*) FROM forgets)::int AS members,
      (SELECT count(*) FROM destroyed)::int AS keys_destroyed, (SELECT count(*) FROM recorded)::int AS recorded`;
}

/** The ledger's entries as a query with no parameters, for a script (`psql`); member ids are checked UUIDs. */
export function ledgerRowsLiteral(ledger: readonly ForgettingEntry[]): string {
  const literal = (text: string) => `'${text.replace(/\0/g, '').replace(/'/g, "''")}'`;
  const array = (values: string[]) => `ARRAY[${values.map(literal).join(', ')}]::text[]`;
  return `SELECT * FROM unnest(${array(ledger.map((e) => e.memberId))}, ${array(ledger.map((e) => e.forgottenBy))})`;
}

/** Runs {@link reapplyForgetsStatement} with the ledger as parameters. */
export async function reapplyForgets(sql: Sql, ledger: readonly ForgettingEntry[]): Promise<ReappliedForgets> {
  const { rows } = await sql.query<{ members: number; keys_destroyed: number; recorded: number }>(
    reapplyForgetsStatement('SELECT * FROM unnest($1::text[], $2::text[])'),
    [ledger.map((entry) => entry.memberId), ledger.map((entry) => entry.forgottenBy)],
  );
  const row = rows[0];
  if (!row) throw new Error('re-applying forgets answered no row');
  return { members: row.members, keysDestroyed: row.keys_destroyed, recorded: row.recorded };
}
