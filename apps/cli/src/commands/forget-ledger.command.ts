import { Inject } from '@nestjs/common';
import { Command, CommandRunner } from 'nest-commander';
import type { RegistryConfig } from '@registry/config';
import { reapplyForgets } from '@registry/personal-data';
import { registryProjections } from '@registry/projections';
import { CLI_CONFIG, CliDatabase } from '../cli-database';
import { rebuildProjections } from './rebuild.command';

@Command({
  name: 'forget-ledger',
  arguments: '<action>',
  description:
    '`apply`: forget again every member the forgetting ledger or the log names (after a point-in-time recovery or any restore not made by `cli restore`)',
})
export class ForgetLedgerCommand extends CommandRunner {
  constructor(
    private readonly database: CliDatabase,
    @Inject(CLI_CONFIG) private readonly config: RegistryConfig,
  ) {
    super();
  }

  async run([action]: string[]): Promise<void> {
    if (action !== 'apply') throw new Error(`unknown action ${action ?? ''}; forget-ledger apply`);
    const database = await this.database.open();
    const ledger = database.forgettingLedger.read();
    if (ledger.tornLastLine)
      process.stderr.write(
        `forget-ledger: the last line of ${database.forgettingLedger.path} is incomplete and ignored\n`,
      );
    const client = await database.pool.connect();
    let keysDestroyed: number;
    try {
      await client.query('BEGIN');
      const result = await reapplyForgets(client, ledger.entries);
      await client.query('COMMIT');
      keysDestroyed = result.keysDestroyed;
      process.stdout.write(
        `forget-ledger: forgets re-applied for ${result.members} members (${ledger.entries.length} ledger entries and the log): ${result.keysDestroyed} data keys destroyed, ${result.recorded} members newly recorded as forgotten\n`,
      );
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
    // The read models still hold the names the destroyed keys opened: build them again without.
    if (keysDestroyed > 0) await rebuildProjections(database, this.config, registryProjections());
  }
}
