import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Inject } from '@nestjs/common';
import { Command, CommandRunner } from 'nest-commander';
import type { Pool } from 'pg';
import type { RegistryConfig } from '@registry/config';
import { REGISTRY_MIGRATION_TABLES, REGISTRY_SCHEMAS } from '@registry/runtime';
import { CLI_CONFIG, CliDatabase } from '../cli-database';
import { connectionFor, finished, findTool, run, serverMajor } from '../postgres-tools';

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Tables, views and sequences in `public` that are not the registry's migration bookkeeping. */
async function foreignPublicRelations(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ relation: string }>(
    `SELECT format('public.%I', c.relname) AS relation FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
       AND NOT c.relname = ANY($1::text[])`,
    [
      REGISTRY_MIGRATION_TABLES.flatMap((table) => {
        const name = table.replace(/^public\./, '');
        return [name, `${name}_id_seq`];
      }),
    ],
  );
  return rows.map((row) => row.relation);
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

@Command({
  name: 'backup',
  arguments: '<file>',
  description:
    "pg_dump (custom format) of the registry's schemas, data keys included, written atomically; the master key and the forgetting ledger are not in it",
})
export class BackupCommand extends CommandRunner {
  constructor(
    private readonly database: CliDatabase,
    @Inject(CLI_CONFIG) private readonly config: RegistryConfig,
  ) {
    super();
  }

  async run([file]: string[]): Promise<void> {
    if (!file) throw new Error('backup needs a file to write');
    const target = resolve(file);
    const database = await this.database.open();
    const [pgDump, server] = await Promise.all([findTool(this.config, 'pg_dump'), serverMajor(database.pool)]);
    if (pgDump.major < server)
      throw new Error(
        `${pgDump.path} is version ${pgDump.major} and cannot dump PostgreSQL ${server}: install pg_dump ${server} or newer, or set POSTGRES_BIN_DIR`,
      );
    const { rows } = await database.pool.query<{
      events: string;
      last: string | null;
      keys: string;
      forgotten: string;
    }>(
      `SELECT (SELECT count(*) FROM event_store.events) AS events, (SELECT max(position) FROM event_store.events) AS last,
              (SELECT count(*) FROM personal_data.member_keys) AS keys,
              (SELECT count(*) FROM personal_data.forgotten_members) AS forgotten`,
    );
    const counts = rows[0];
    process.stderr.write(
      `backup: dumping ${counts?.events ?? 0} events, ${counts?.keys ?? 0} data keys with pg_dump ${pgDump.major} from PostgreSQL ${server}\n`,
    );

    const partial = `${target}.partial-${process.pid}`;
    const started = Date.now();
    const { dbname, env } = connectionFor(database.url);
    const args = [
      '--format=custom',
      `--file=${partial}`,
      // --table would drop every schema's other objects: take public, without relations of other systems.
      ...[...REGISTRY_SCHEMAS, 'projection_*', 'public'].map((schema) => `--schema=${schema}`),
      ...(await foreignPublicRelations(database.pool)).map((relation) => `--exclude-table=${relation}`),
      `--dbname=${dbname}`,
    ];
    try {
      const { code, stderr } = await finished(run(pgDump, args, env));
      if (code !== 0) throw new Error(`pg_dump failed (exit ${code}): ${stderr}`);
      fsyncPath(partial);
      renameSync(partial, target);
      fsyncPath(dirname(target));
    } catch (error) {
      rmSync(partial, { force: true });
      throw error;
    }
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `backup: ${target} (${megabytes(statSync(target).size)}) in ${seconds.toFixed(1)} s: ${counts?.events ?? 0} events up to position ${counts?.last ?? 'none'}, ${counts?.keys ?? 0} data keys, ${counts?.forgotten ?? 0} forgotten members\n`,
    );
  }
}
