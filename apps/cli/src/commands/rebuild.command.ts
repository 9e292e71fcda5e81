import { Inject } from '@nestjs/common';
import { Command, CommandRunner } from 'nest-commander';
import type { RegistryConfig } from '@registry/config';
import { rebuildProjection, registryProjections } from '@registry/projections';
import { projectionServices } from '@registry/runtime';
import { CLI_CONFIG, CliDatabase } from '../cli-database';
import { ProgressBar } from '../progress-bar';

@Command({
  name: 'rebuild',
  arguments: '<projection>',
  description:
    'blue/green: build the next generation of a projection (or `all`) beside the live one, switch when caught up, drop the old tables',
})
export class RebuildCommand extends CommandRunner {
  constructor(
    private readonly database: CliDatabase,
    @Inject(CLI_CONFIG) private readonly config: RegistryConfig,
  ) {
    super();
  }

  async run([name]: string[]): Promise<void> {
    const definitions = registryProjections();
    const chosen = name === 'all' ? definitions : definitions.filter((d) => d.name === name);
    if (chosen.length === 0)
      throw new Error(`no projection named ${name ?? ''}; one of: all, ${definitions.map((d) => d.name).join(', ')}`);
    const database = await this.database.open();
    for (const definition of chosen) {
      const bar = new ProgressBar(`rebuild ${definition.name}`);
      const result = await rebuildProjection(
        database.pool,
        database.eventStore,
        definition,
        projectionServices(this.config, database),
        {
          batchSize: 2000,
          onProgress: (p) => bar.update(p.applied, Math.max(p.total ?? p.applied, p.applied)),
        },
      );
      bar.finish();
      const rate = result.seconds > 0 ? Math.round(result.events / result.seconds) : result.events;
      process.stdout.write(
        `${definition.name}: generation ${result.to} is live (was ${result.from}); ${result.events} events in ${result.seconds.toFixed(1)} s (${rate} events/s)\n`,
      );
    }
  }
}
