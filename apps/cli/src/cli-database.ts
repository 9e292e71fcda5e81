import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { RegistryConfig } from '@registry/config';
import { openRegistryDatabase, type RegistryDatabase } from '@registry/runtime';

export const CLI_CONFIG = Symbol('CLI_CONFIG');

/**
 * Opens the database on first use only, so commands that need none start instantly. In the
 * embedded mode it shares a server that `npm start` is running instead of starting a second one.
 */
@Injectable()
export class CliDatabase implements OnApplicationShutdown {
  private opened: Promise<RegistryDatabase> | undefined;

  constructor(@Inject(CLI_CONFIG) private readonly config: RegistryConfig) {}

  open(): Promise<RegistryDatabase> {
    this.opened ??= openRegistryDatabase(this.config, new Logger('cli'), 'registry-cli', 'share');
    return this.opened;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.opened) await (await this.opened).close();
  }
}
