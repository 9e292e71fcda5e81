import { Command, CommandRunner } from 'nest-commander';
import { CliDatabase } from '../cli-database';

@Command({ name: 'migrate', description: 'apply pending database migrations (the apps also do this at start-up)' })
export class MigrateCommand extends CommandRunner {
  constructor(private readonly database: CliDatabase) {
    super();
  }

  async run(): Promise<void> {
    await this.database.open(); // opening migrates
    process.stdout.write('migrations are up to date\n');
  }
}
