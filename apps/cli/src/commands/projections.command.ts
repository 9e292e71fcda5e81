import { Command, CommandRunner } from 'nest-commander';
import { retryProjection, skipFailedEvent } from '@registry/projections';
import { createRegistryProjector } from '@registry/runtime';
import { Logger } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import type { RegistryConfig } from '@registry/config';
import { CLI_CONFIG, CliDatabase } from '../cli-database';

@Command({
  name: 'projections',
  arguments: '[action] [name] [position]',
  description:
    'list the projections with checkpoint, lag and any failure; `retry <name>` tries a stopped one again; `skip <name> <position>` skips the one event it stopped on (recorded for audit)',
})
export class ProjectionsCommand extends CommandRunner {
  constructor(
    private readonly database: CliDatabase,
    @Inject(CLI_CONFIG) private readonly config: RegistryConfig,
  ) {
    super();
  }

  async run([action = 'list', name, position]: string[]): Promise<void> {
    const database = await this.database.open();
    if (action === 'retry' && name) {
      const live = await retryProjection(database.pool, name);
      process.stdout.write(`${name}: running again from position ${live.position.toString()}\n`);
      return;
    }
    if (action === 'skip' && name && position && /^\d+$/.test(position)) {
      const live = await skipFailedEvent(
        database.pool,
        name,
        BigInt(position),
        `cli:${process.env.USER ?? 'operator'}`,
      );
      process.stdout.write(
        `${name}: skipped the event at position ${position}; running from ${live.position.toString()}\n`,
      );
      return;
    }
    if (action !== 'list') throw new Error('usage: projections [list | retry <name> | skip <name> <position>]');
    const projector = createRegistryProjector(this.config, database, new Logger('cli'), false);
    await projector.start();
    for (const s of await projector.status()) {
      const lag = s.lagEvents === null ? '?' : String(s.lagEvents);
      process.stdout.write(
        `${s.name.padEnd(10)} v${s.version} g${s.generation} ${s.status.padEnd(8)} position ${s.position} applied ${s.eventsApplied} lag ${lag} events / ${s.lagSeconds.toFixed(1)} s${s.building ? ` (rebuilding: g${s.building.generation} at ${s.building.position})` : ''}\n`,
      );
      if (s.failure) {
        process.stdout.write(
          `  stopped at position ${s.failure.position.toString()} event ${s.failure.eventId ?? '?'} (${s.failure.eventType ?? '?'} in ${s.failure.streamId ?? '?'}): ${s.failure.error}\n`,
        );
        process.stdout.write(
          `  inspect it, then: projections retry ${s.name}   or   projections skip ${s.name} ${s.failure.position.toString()}\n`,
        );
        process.exitCode = 3;
      }
    }
  }
}
