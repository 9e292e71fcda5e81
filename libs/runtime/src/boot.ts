import { ConfigError, loadConfig, type RegistryConfig } from '@registry/config';
import type { LogLevel } from '@nestjs/common';

const LEVELS: readonly LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

export function logLevels(level: RegistryConfig['LOG_LEVEL']): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}

/** Validates the environment once; on a bad key prints every problem and exits with status 78 (EX_CONFIG). */
export function loadConfigOrExit(): RegistryConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write('The registry cannot start: the configuration is invalid.\n');
      for (const problem of error.problems) process.stderr.write(`  ${problem.key}: ${problem.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}
