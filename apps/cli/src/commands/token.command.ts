import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import type { RegistryConfig } from '@registry/config';
import { ROLES, type Role, signToken } from '@registry/runtime';
import { CLI_CONFIG } from '../cli-database';

interface TokenOptions {
  role?: Role[];
  scope?: string;
  sub?: string;
  hours?: number;
}

const DEFAULT_HOURS = 12;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Command({
  name: 'token',
  description: 'print a bearer token for the embedded default (HS256, secret in DATA_DIR/jwt-secret.key or JWT_SECRET)',
})
export class TokenCommand extends CommandRunner {
  constructor(@Inject(CLI_CONFIG) private readonly config: RegistryConfig) {
    super();
  }

  run(_args: string[], options: TokenOptions): Promise<void> {
    const roles = options.role ?? [];
    if (roles.length === 0) throw new Error(`--role is required (one of ${ROLES.join(', ')}; repeat it for several)`);
    const token = signToken(
      this.config,
      {
        sub: options.sub ?? `cli-${roles.join('+')}`,
        roles,
        ...(options.scope ? { scope: options.scope } : {}),
      },
      (options.hours ?? Math.min(DEFAULT_HOURS, this.config.JWT_MAX_LIFETIME_HOURS)) * 3600,
    );
    process.stdout.write(`${token}\n`);
    return Promise.resolve();
  }

  @Option({ flags: '--role <role>', description: `${ROLES.join(' | ')} (repeatable)` })
  parseRole(value: string, previous: Role[] = []): Role[] {
    if (!(ROLES as readonly string[]).includes(value)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
    return [...previous, value as Role];
  }

  @Option({ flags: '--scope <orgId>', description: 'the organisation whose subtree the caller acts in' })
  parseScope(value: string): string {
    if (!UUID.test(value)) throw new Error('--scope must be an organisation id (a UUID)');
    return value.toLowerCase();
  }

  @Option({ flags: '--sub <name>', description: 'who the token speaks for (recorded as the actor of every event)' })
  parseSub(value: string): string {
    if (value.trim().length === 0 || value.length > 200) throw new Error('--sub must have 1 to 200 characters');
    return value.trim();
  }

  @Option({
    flags: '--hours <n>',
    description: `validity in hours (default ${DEFAULT_HOURS}, at most JWT_MAX_LIFETIME_HOURS)`,
  })
  parseHours(value: string): number {
    return tokenHours(value, this.config);
  }
}

/** `--hours` of a command that mints a token: a whole number from 1 to JWT_MAX_LIFETIME_HOURS. */
export function tokenHours(value: string, config: Pick<RegistryConfig, 'JWT_MAX_LIFETIME_HOURS'>): number {
  const hours = Number(value);
  const max = config.JWT_MAX_LIFETIME_HOURS;
  if (!/^\d+$/.test(value.trim()) || hours < 1 || hours > max)
    throw new Error(`--hours must be a whole number from 1 to ${max} (JWT_MAX_LIFETIME_HOURS)`);
  return hours;
}
