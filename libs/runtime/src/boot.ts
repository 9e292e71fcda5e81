import { ConfigError, loadConfig, type RegistryConfig } from '@registry/config';
import { ConsoleLogger, type LogLevel, type LoggerService } from '@nestjs/common';

const LEVELS: readonly LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

export function logLevels(level: RegistryConfig['LOG_LEVEL']): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}

/**
 * The apps' logger (ADR 0031): Nest's own, one JSON object per line with `LOG_FORMAT=json` (level,
 * time, pid, context, message; a message that is an object is kept as one), else coloured text.
 */
export function registryLogger(config: Pick<RegistryConfig, 'LOG_LEVEL' | 'LOG_FORMAT'>): LoggerService | LogLevel[] {
  if (config.LOG_FORMAT === 'pretty') return logLevels(config.LOG_LEVEL);
  return new ConsoleLogger({ json: true, logLevels: logLevels(config.LOG_LEVEL) });
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
