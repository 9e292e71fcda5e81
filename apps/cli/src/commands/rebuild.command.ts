import { Inject } from '@nestjs/common';
import { Command, CommandRunner } from 'nest-commander';
import type { RegistryConfig } from '@registry/config';
import {
  type ProjectionDefinition,
  rebuildProjections as rebuildProjectionsFromLog,
  registryProjections,
} from '@registry/projections';
import { projectionServices, type RegistryDatabase } from '@registry/runtime';
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
    await rebuildProjections(await this.database.open(), this.config, chosen);
  }
}

/** Builds the next generation of each projection from the whole log and switches to it (also after `restore`). */
export async function rebuildProjections(
  database: RegistryDatabase,
  config: RegistryConfig,
  chosen: readonly ProjectionDefinition[],
): Promise<void> {
  const bars = new Map(chosen.map((d) => [d.name, new ProgressBar(`rebuild ${d.name}`)]));
  const results = await rebuildProjectionsFromLog(
    database.pool,
    database.eventStore,
    chosen,
    projectionServices(config, database),
    { onProgress: (p) => bars.get(p.projection)?.update(p.applied, Math.max(p.total ?? p.applied, p.applied)) },
  );
  for (const bar of bars.values()) bar.finish();
  for (const result of results) {
    const rate = result.seconds > 0 ? Math.round(result.events / result.seconds) : result.events;
    process.stdout.write(
      `${result.projection}: generation ${result.to} is live (was ${result.from}); ${result.events} events in ${result.seconds.toFixed(1)} s (${rate} events/s)\n`,
    );
  }
}
