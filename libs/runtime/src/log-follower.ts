import { type DynamicModule, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { RegistryConfig } from '@registry/config';
import { loadConfigOrExit, logLevels } from './boot';
import { openRegistryDatabase, type RegistryDatabase } from './registry-database';
import { closeOnShutdown } from './shutdown';

export interface LogFollowerApp {
  /** The app's name, used in logs and as the database application name. */
  readonly name: string;
  /** What the app does, said once at start-up. */
  readonly purpose: string;
  readonly module: (config: RegistryConfig, database: RegistryDatabase) => DynamicModule;
}

/**
 * Boots a worker app (projector, relay): configuration, database, Nest context, then follows the
 * log from its head so the process stays up and reports where the log is.
 */
export function runLogFollower(app: LogFollowerApp): void {
  const start = async (): Promise<void> => {
    const config = loadConfigOrExit();
    Logger.overrideLogger(logLevels(config.LOG_LEVEL));
    const logger = new Logger(app.name);
    const database = await openRegistryDatabase(config, logger, `registry-${app.name}`);
    const context = await NestFactory.createApplicationContext(app.module(config, database), {
      logger: logLevels(config.LOG_LEVEL),
    });
    closeOnShutdown(() => context.close());
    const head = await database.eventStore.headPosition();
    database.eventStore.subscribe({
      after: head,
      handle: (events, checkpoint) => {
        logger.debug(`log moved to position ${checkpoint.toString()} (${events.length} new events)`);
        return Promise.resolve();
      },
    });
    logger.log(`${app.name} following the log from position ${head.toString()}: ${app.purpose}`);
  };
  start().catch((error: unknown) => {
    process.stderr.write(`${app.name} failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
