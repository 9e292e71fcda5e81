import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { QUERY_HANDLERS, ReadSide } from '@registry/commands';
import { answerSettingsOf, type RegistryConfig } from '@registry/config';
import { CLI_CONFIG, CliDatabase } from './cli-database';
import { AnchorCommand } from './commands/anchor.command';
import { MigrateCommand } from './commands/migrate.command';
import { TokenCommand } from './commands/token.command';
import { ConsoleCommand } from './commands/console.command';
import { VerifyCommand } from './commands/verify.command';
import { HistoryCommand } from './commands/history.command';
import { ProjectionsCommand } from './commands/projections.command';
import { RebuildCommand } from './commands/rebuild.command';
import { RelayCommand } from './commands/relay.command';
import {
  CoverageCommand,
  ExportCommand,
  OrganizationalLifeCommand,
  RatingsCommand,
  TermsCommand,
  TreeCommand,
} from './commands/reports.command';
import { SeedDemoCommand } from './commands/seed-demo.command';
import { BackupCommand } from './commands/backup.command';
import { RestoreCommand } from './commands/restore.command';
import { ForgetLedgerCommand } from './commands/forget-ledger.command';
import { RotateMasterKeyCommand } from './commands/rotate-master-key.command';

@Module({})
export class CliModule {
  static register(config: RegistryConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: CLI_CONFIG, useValue: config },
        CliDatabase,
        // The API's query handlers; the database opens on the first query.
        {
          provide: ReadSide,
          useFactory: (database: CliDatabase) =>
            new ReadSide(() => database.open(), config.READ_YOUR_WRITES_TIMEOUT_MS, answerSettingsOf(config)),
          inject: [CliDatabase],
        },
        ...QUERY_HANDLERS,
        MigrateCommand,
        VerifyCommand,
        AnchorCommand,
        TokenCommand,
        ConsoleCommand,
        ProjectionsCommand,
        RebuildCommand,
        RelayCommand,
        RotateMasterKeyCommand,
        HistoryCommand,
        TreeCommand,
        CoverageCommand,
        TermsCommand,
        RatingsCommand,
        OrganizationalLifeCommand,
        ExportCommand,
        SeedDemoCommand,
        BackupCommand,
        RestoreCommand,
        ForgetLedgerCommand,
      ],
    };
  }
}
