import { type DynamicModule, Module } from '@nestjs/common';
import type { RegistryConfig } from '@registry/config';
import { CLI_CONFIG, CliDatabase } from './cli-database';
import { MigrateCommand } from './commands/migrate.command';
import { TokenCommand } from './commands/token.command';
import { VerifyCommand } from './commands/verify.command';
import { HistoryCommand } from './commands/history.command';
import { ProjectionsCommand } from './commands/projections.command';
import { RebuildCommand } from './commands/rebuild.command';
import { RelayCommand } from './commands/relay.command';
import { CoverageCommand, ExportCommand, TreeCommand } from './commands/reports.command';
import { SeedDemoCommand } from './commands/seed-demo.command';

@Module({})
export class CliModule {
  static register(config: RegistryConfig): DynamicModule {
    return {
      module: CliModule,
      providers: [
        { provide: CLI_CONFIG, useValue: config },
        CliDatabase,
        MigrateCommand,
        VerifyCommand,
        TokenCommand,
        ProjectionsCommand,
        RebuildCommand,
        RelayCommand,
        HistoryCommand,
        TreeCommand,
        CoverageCommand,
        ExportCommand,
        SeedDemoCommand,
      ],
    };
  }
}
