import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { publicBaseUrlOf, type RegistryConfig } from '@registry/config';
import { signToken } from '@registry/runtime';
import { CLI_CONFIG } from '../cli-database';
import { tokenHours } from './token.command';

const DEFAULT_HOURS = 8;

/** The console's address with a fresh admin token in the fragment: browsers never send a fragment to the server. */
export function consoleLink(base: string, token: string): string {
  return `${base.replace(/\/+$/, '')}/console/#token=${token}`;
}

@Command({
  name: 'console',
  description:
    'print the address of the browser console with a new admin token in its fragment (#token=…, never sent to the server or logged)',
})
export class ConsoleCommand extends CommandRunner {
  constructor(@Inject(CLI_CONFIG) private readonly config: RegistryConfig) {
    super();
  }

  run(_args: string[], options: { hours?: number } = {}): Promise<void> {
    const hours = options.hours ?? Math.min(DEFAULT_HOURS, this.config.JWT_MAX_LIFETIME_HOURS);
    const token = signToken(
      this.config,
      { sub: `console-${process.env.USER ?? 'operator'}`, roles: ['admin'] },
      hours * 3600,
    );
    process.stdout.write(`${consoleLink(publicBaseUrlOf(this.config), token)}\n`);
    process.stderr.write(`open it in a browser; the token is valid for ${hours} h and acts as admin\n`);
    return Promise.resolve();
  }

  @Option({
    flags: '--hours <n>',
    description: `validity in hours (default ${DEFAULT_HOURS}, at most JWT_MAX_LIFETIME_HOURS)`,
  })
  parseHours(value: string): number {
    return tokenHours(value, this.config);
  }
}
