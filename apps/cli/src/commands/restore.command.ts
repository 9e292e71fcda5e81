import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import type { RegistryConfig } from '@registry/config';
import { ledgerRowsLiteral, reapplyForgetsStatement } from '@registry/personal-data';
import { registryProjections } from '@registry/projections';
import {
  isRegistrySchema,
  migrateRegistryDatabase,
  PROJECTION_GENERATION_SCHEMA,
  REGISTRY_MIGRATION_TABLES,
  REGISTRY_SCHEMAS,
  type RegistryDatabase,
} from '@registry/runtime';
import { CLI_CONFIG, CliDatabase } from '../cli-database';
import { connectionFor, finished, findTool, type FoundTool, run, serverMajor } from '../postgres-tools';
import { rebuildProjections } from './rebuild.command';

interface RestoreOptions {
  readonly force?: boolean;
}

/**
 * Refuses to go on if this server's transaction ids lag behind the restored log: positions come from
 * transaction ids (ADR 0003), so new events would sort before the restored ones.
 */
const POSITIONS_AHEAD_CHECK = `DO $$
DECLARE
  highest bigint;
  here bigint := pg_current_xact_id()::text::bigint;
BEGIN
  SELECT max(position) / 1048576 INTO highest FROM event_store.events;
  IF highest IS NOT NULL AND here <= highest THEN
    RAISE EXCEPTION 'this server''s transaction id (%) is behind the backup''s last position (transaction %): new events would sort before restored ones; restore into the server the backup came from, or advance its transaction ids first (pg_resetwal --next-transaction-id on the stopped server)', here, highest;
  END IF;
END $$;`;

/** Drops a line that PostgreSQL before 17 does not understand, written by a newer pg_restore. */
function forOlderServer(server: number): Transform {
  let rest = '';
  const keep = (line: string) => server >= 17 || !/^SET transaction_timeout = /.test(line);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      done(
        null,
        lines
          .filter(keep)
          .map((line) => `${line}\n`)
          .join(''),
      );
    },
    flush(done) {
      done(null, keep(rest) ? rest : '');
    },
  });
}

@Command({
  name: 'restore',
  arguments: '<file>',
  description:
    'restore a `cli backup` file in one transaction (refused unless the registry is empty or --force), re-apply every forget of the ledger and of the log, rebuild the projections',
})
export class RestoreCommand extends CommandRunner {
  constructor(
    private readonly database: CliDatabase,
    @Inject(CLI_CONFIG) private readonly config: RegistryConfig,
  ) {
    super();
  }

  @Option({ flags: '--force', description: 'replace a registry that already holds events or data keys' })
  parseForce(): boolean {
    return true;
  }

  async run([file]: string[], options: RestoreOptions = {}): Promise<void> {
    if (!file) throw new Error('restore needs a backup file');
    const source = resolve(file);
    accessSync(source, constants.R_OK);
    const database = await this.database.open();
    const [pgRestore, psql, server] = await Promise.all([
      findTool(this.config, 'pg_restore'),
      findTool(this.config, 'psql'),
      serverMajor(database.pool),
    ]);
    const entries = await registryEntries(pgRestore, source);
    if (!options.force) await requireEmpty(database);
    const ledger = database.forgettingLedger.read();
    if (ledger.tornLastLine)
      process.stderr.write(`restore: the last line of ${database.forgettingLedger.path} is incomplete and ignored\n`);

    const started = Date.now();
    const reapplied = await restoreInOneTransaction(database, { pgRestore, psql, server }, source, entries, [
      POSITIONS_AHEAD_CHECK,
      `${reapplyForgetsStatement(ledgerRowsLiteral(ledger.entries))};`,
    ]);
    process.stdout.write(
      `restore: ${source} restored in ${((Date.now() - started) / 1000).toFixed(1)} s; forgets re-applied for ${reapplied.members} members (${ledger.entries.length} ledger entries and the log): ${reapplied.keysDestroyed} data keys the backup still held destroyed, ${reapplied.recorded} members newly recorded as forgotten\n`,
    );

    try {
      const applied = await migrateRegistryDatabase(database.url);
      if (applied.length > 0)
        process.stdout.write(`restore: applied migrations newer than the backup: ${applied.join(', ')}\n`);
      await rebuildProjections(database, this.config, registryProjections());
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `the backup is restored and every forget re-applied, but then this failed: ${reason}; run \`cli migrate\` and \`cli rebuild all\``,
        { cause: error },
      );
    }
  }
}

/**
 * Whether an entry of `pg_restore --list` belongs to the registry: its schemas and what is in them,
 * and the migration tables in `public` (not `public` itself, nor anything else in it).
 */
export function isRegistryEntry(line: string): boolean {
  const tokens = /^\d+; \d+ \d+ (.*)$/.exec(line)?.[1]?.split(' ') ?? [];
  const at = tokens.findIndex((token) => !/^[A-Z]+$/.test(token)); // the words before the schema are the type
  const [schema, name] = [tokens[at], tokens[at + 1] ?? ''];
  if (schema === '-') return tokens.slice(0, at).join(' ') === 'SCHEMA' && isRegistrySchema(name);
  if (schema === 'public')
    return REGISTRY_MIGRATION_TABLES.some((table) => [table, `${table}_id_seq`].includes(`public.${name}`));
  return schema !== undefined && isRegistrySchema(schema);
}

/** The registry's entries of the archive, for `pg_restore --use-list`; refuses an archive without them. */
async function registryEntries(pgRestore: FoundTool, source: string): Promise<string> {
  const listing = run(pgRestore, ['--list', source], process.env);
  let contents = '';
  listing.stdout?.on('data', (chunk: Buffer) => (contents += chunk.toString()));
  const { code, stderr } = await finished(listing);
  if (code !== 0) throw new Error(`${source} is not a backup pg_restore ${pgRestore.major} can read: ${stderr}`);
  const entries = contents.split('\n').filter(isRegistryEntry);
  const schemas = new Set(entries.map((line) => / SCHEMA - (\S+) /.exec(line)?.[1]));
  if (!schemas.has('event_store') || !schemas.has('personal_data'))
    throw new Error(`${source} is not a registry backup (no event_store or personal_data schema in it)`);
  return `${entries.join('\n')}\n`;
}

async function requireEmpty(database: RegistryDatabase): Promise<void> {
  const { rows } = await database.pool.query<{ events: number; keys: number }>(
    `SELECT (SELECT count(*) FROM event_store.events)::int AS events,
            (SELECT count(*) FROM personal_data.member_keys)::int AS keys`,
  );
  const { events = 0, keys = 0 } = rows[0] ?? {};
  if (events > 0 || keys > 0)
    throw new Error(
      `the registry is not empty (${events} events, ${keys} data keys); restore replaces it only with --force`,
    );
}

/** The projections' generation schemas now in the database: the backup brings its own. */
async function generationSchemas(database: RegistryDatabase): Promise<string[]> {
  const { rows } = await database.pool.query<{ name: string }>('SELECT nspname AS name FROM pg_namespace');
  return rows.map((row) => row.name).filter((name) => PROJECTION_GENERATION_SCHEMA.test(name));
}

/**
 * Drops the registry's schemas, replays pg_restore's script and runs `after`, all in one psql
 * transaction: any error rolls everything back and the database is as it was.
 */
async function restoreInOneTransaction(
  database: RegistryDatabase,
  tools: { pgRestore: FoundTool; psql: FoundTool; server: number },
  source: string,
  entries: string,
  after: readonly string[],
): Promise<{ members: number; keysDestroyed: number; recorded: number }> {
  const { dbname, env } = connectionFor(database.url);
  const psql = run(tools.psql, ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', `--dbname=${dbname}`, '-f', '-'], env);
  let output = '';
  psql.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const psqlDone = finished(psql);
  const stdin = psql.stdin;
  if (!stdin) throw new Error('psql has no input');
  stdin.on('error', () => undefined); // psql stopped early: its exit code says why

  stdin.write(
    [
      'BEGIN;',
      "SET LOCAL lock_timeout = '30s';",
      `DROP SCHEMA IF EXISTS ${[...REGISTRY_SCHEMAS, ...(await generationSchemas(database))].join(', ')} CASCADE;`,
      `DROP TABLE IF EXISTS ${REGISTRY_MIGRATION_TABLES.join(', ')};`,
      '',
    ].join('\n'),
  );
  const list = join(mkdtempSync(join(tmpdir(), 'registry-restore-')), 'entries.list');
  writeFileSync(list, entries);
  const pgRestore = run(
    tools.pgRestore,
    ['--no-owner', '--no-privileges', `--use-list=${list}`, '--file=-', source],
    env,
  );
  void finished(pgRestore).finally(() => rmSync(dirname(list), { recursive: true, force: true }));
  const script = forOlderServer(tools.server);
  const scriptWritten = new Promise((resolveWritten) => script.once('end', resolveWritten));
  pgRestore.stdout?.pipe(script).pipe(stdin, { end: false });
  // psql stopping early (an error) stops reading: pg_restore would block on a full pipe for ever.
  void psqlDone.then(() => pgRestore.exitCode === null && pgRestore.kill());
  const [restored] = await Promise.all([finished(pgRestore), scriptWritten]);
  if (restored.code !== 0) {
    psql.kill(); // before COMMIT: the transaction rolls back
    const stopped = await psqlDone;
    throw new Error(
      `restore failed and was rolled back, nothing was changed: ${[stopped.stderr, restored.stderr].filter(Boolean).join('; ') || `pg_restore exit ${restored.code}`}`,
    );
  }
  stdin.end(`\n${after.join('\n')}\nCOMMIT;\n`);
  const applied = await psqlDone;
  if (applied.code !== 0) throw new Error(`restore failed and was rolled back, nothing was changed: ${applied.stderr}`);
  const summary = output.split('\n').find((line) => line.startsWith('reapplied|'));
  const [, members, keysDestroyed, recorded] = (summary ?? '').split('|').map(Number);
  if (members === undefined || keysDestroyed === undefined || recorded === undefined)
    throw new Error('restore committed but psql did not report the re-applied forgets; run `cli forget-ledger apply`');
  return { members, keysDestroyed, recorded };
}
