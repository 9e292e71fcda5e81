import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { closeOnShutdown, loadConfigOrExit, logLevels, openRegistryDatabase } from '@registry/runtime';
import { AppModule } from './app.module';
import { serveOpenApi } from './openapi';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = new Logger('Registry');
  Logger.overrideLogger(logLevels(config.LOG_LEVEL));
  const database = await openRegistryDatabase(config, logger, 'registry-api');
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, database), {
    logger: logLevels(config.LOG_LEVEL),
    bodyParser: false,
  });
  app.useBodyParser('json', { limit: '1mb' });
  closeOnShutdown(() => app.close());
  serveOpenApi(app);
  await app.listen(config.PORT, config.HOST);
  logger.log(`registry API listening on http://${config.HOST}:${config.PORT} (health: /health, docs: /docs)`);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`registry API failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
