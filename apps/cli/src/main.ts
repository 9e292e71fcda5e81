import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { loadConfigOrExit } from '@registry/runtime';
import { CliModule } from './cli.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  await CommandFactory.run(CliModule.register(config), {
    logger: ['error', 'warn'],
    errorHandler: (error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
