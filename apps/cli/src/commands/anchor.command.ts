import { createPublicKey } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import type { RegistryConfig } from '@registry/config';
import { publicKeyToPem } from '@registry/event-store';
import { anchorKeyPath, anchorLog, loadOrCreateAnchorKey } from '@registry/runtime';
import { CLI_CONFIG, CliDatabase } from '../cli-database';

interface AnchorOptions {
  publicKey?: boolean;
}

@Command({
  name: 'anchor',
  description:
    'sign the log head (position and a hash over every stream head) and append it to ANCHOR_FILE (and ANCHOR_TOPIC with KAFKA_BROKERS)',
})
export class AnchorCommand extends CommandRunner {
  constructor(
    @Inject(CLI_CONFIG) private readonly config: RegistryConfig,
    private readonly database: CliDatabase,
  ) {
    super();
  }

  async run(_args: string[], options: AnchorOptions): Promise<void> {
    if (options.publicKey) {
      const key = loadOrCreateAnchorKey(anchorKeyPath(this.config));
      process.stdout.write(publicKeyToPem(createPublicKey(key)));
      return;
    }
    const { eventStore } = await this.database.open();
    const { anchor, file, topic } = await anchorLog(this.config, eventStore);
    process.stdout.write(
      `anchored position ${anchor.position}: ${anchor.events} events in ${anchor.streams} streams, heads ${anchor.headsHash}, key ${anchor.keyId}\n` +
        `  appended to ${file}${topic ? ` and Kafka topic ${topic}` : ''}\n`,
    );
  }

  @Option({
    flags: '--public-key',
    description: 'print the public key that checks the anchors (PEM), to keep apart from the database, and exit',
  })
  parsePublicKey(): boolean {
    return true;
  }
}
