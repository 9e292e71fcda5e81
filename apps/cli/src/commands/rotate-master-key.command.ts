import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { rotateMasterKey } from '@registry/commands';
import type { RegistryConfig } from '@registry/config';
import { MasterKey } from '@registry/personal-data';
import { masterKeyFileOf } from '@registry/runtime';
import { CLI_CONFIG, CliDatabase } from '../cli-database';

interface RotateOptions {
  newKeyFile?: string;
}

/** The new key: read from `path` when it exists (an earlier attempt, or one the operator made), else made there (0600). */
function newKeyAt(path: string): MasterKey {
  if (existsSync(path)) return MasterKey.fromBase64(readFileSync(path, 'utf8'));
  const { key, encoded } = MasterKey.generateEncoded();
  writeFileSync(path, `${encoded}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

@Command({
  name: 'rotate-master-key',
  description:
    'rotate the personal-data master key: re-wrap every data key and recompute every resident-ID fingerprint in one transaction (stop the API, projector and relay first)',
})
export class RotateMasterKeyCommand extends CommandRunner {
  constructor(
    private readonly database: CliDatabase,
    @Inject(CLI_CONFIG) private readonly config: RegistryConfig,
  ) {
    super();
  }

  async run(_args: string[], options: RotateOptions): Promise<void> {
    const configured = this.config.PERSONAL_DATA_MASTER_KEY;
    const fromEnvironment = configured !== undefined;
    if (fromEnvironment && !options.newKeyFile)
      throw new Error(
        'PERSONAL_DATA_MASTER_KEY is set: give --new-key-file <path> (the new key is made there, or read from it when it exists)',
      );
    const keyFile = masterKeyFileOf(this.config);
    const newKeyFile = options.newKeyFile ?? `${keyFile}.next`;
    const current = MasterKey.fromBase64(configured ?? readFileSync(keyFile, 'utf8'));
    // Written before the commit: once the database is on the new key, the key must already be on disk.
    const next = newKeyAt(newKeyFile);
    const database = await this.database.open();
    const client = await database.pool.connect();
    let report;
    try {
      report = await rotateMasterKey(client, current, next, (stage, done) =>
        process.stderr.write(`rotate-master-key: ${stage}: ${done}\r`),
      );
    } finally {
      client.release();
    }
    process.stderr.write('\n');
    const lines = [
      `rotate-master-key: key ${current.id} → ${next.id}: ${report.dataKeys} data keys re-wrapped, ${report.fingerprints} resident-ID fingerprints recomputed` +
        (report.forgottenLeft > 0
          ? ` (${report.forgottenLeft} of forgotten people left as they were: their keys are destroyed, so those numbers no longer block a registration)`
          : ''),
    ];
    if (fromEnvironment) {
      lines.push(
        `set PERSONAL_DATA_MASTER_KEY to the content of ${newKeyFile} for every process, then start them; a process with the old key refuses to start`,
      );
    } else {
      const retired = `${keyFile}.retired-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(keyFile, retired);
      renameSync(newKeyFile, keyFile);
      lines.push(`${keyFile} holds the new key; start the registry again`);
      lines.push(`the old key is in ${retired}`);
    }
    lines.push('keep the old key with the backups taken before now: restoring one of them needs it');
    process.stdout.write(`${lines.join('\n')}\n`);
  }

  @Option({ flags: '--new-key-file <path>', description: 'where the new key is made (or read from, if it exists)' })
  parseNewKeyFile(value: string): string {
    return value;
  }
}
