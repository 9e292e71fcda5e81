import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import type { RegistryConfig } from '@registry/config';
import {
  type ProjectionDefinition,
  rebuildProjections as rebuildProjectionsFromLog,
  registryProjections,
  splitForJobs,
} from '@registry/projections';
import { projectionServices, type RegistryDatabase } from '@registry/runtime';
import { CLI_CONFIG, CliDatabase } from '../cli-database';
import { ProgressBar } from '../progress-bar';

interface RebuildOptions {
  jobs?: number;
  lines?: boolean;
}

@Command({
  name: 'rebuild',
  arguments: '<projection>',
  description:
    'blue/green: build the next generation of a projection (a name, several names separated by commas, or `all`) beside the live one, switch when caught up, drop the old tables',
})
export class RebuildCommand extends CommandRunner {
  constructor(
    private readonly database: CliDatabase,
    @Inject(CLI_CONFIG) private readonly config: RegistryConfig,
  ) {
    super();
  }

  async run([name]: string[], options: RebuildOptions = {}): Promise<void> {
    const definitions = registryProjections();
    const names = name === 'all' ? definitions.map((d) => d.name) : (name ?? '').split(',');
    const unknown = names.filter((n) => !definitions.some((d) => d.name === n));
    if (unknown.length > 0 || names.length === 0)
      throw new Error(
        `no projection named ${unknown.join(', ') || '(none)'}; one of: all, ${definitions.map((d) => d.name).join(', ')}`,
      );
    const chosen = definitions.filter((d) => names.includes(d.name));
    const jobs = options.jobs ?? availableParallelism();
    const [own, ...others] = splitForJobs(chosen, jobs);
    // One process per share: a bulk rebuild keeps one core busy folding, so the others run beside it.
    if (others.length > 0)
      process.stderr.write(
        `rebuilding in ${others.length + 1} processes: ${[own ?? [], ...others].map((share) => share.map((d) => d.name).join(', ')).join(' | ')}\n`,
      );
    const children = others.map((share) => rebuildInChildProcess(share.map((d) => d.name)));
    const lines = options.lines === true || others.length > 0;
    try {
      await rebuildProjections(await this.database.open(), this.config, own ?? [], { lines });
    } finally {
      const failures = (await Promise.all(children)).filter((failure) => failure !== undefined);
      if (failures.length > 0) process.exitCode = 1;
      for (const failure of failures) process.stderr.write(`${failure}\n`);
    }
  }

  @Option({
    flags: '--jobs <n>',
    description: 'rebuilds to run side by side, each in its own process (default: the number of cores)',
  })
  parseJobs(value: string): number {
    const jobs = Number(value);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64)
      throw new Error(`--jobs must be a whole number from 1 to 64, not ${value}`);
    return jobs;
  }

  @Option({ flags: '--lines', description: 'report progress as plain lines (as side-by-side rebuilds do)' })
  parseLines(): boolean {
    return true;
  }
}

/** Runs `cli rebuild <names> --jobs 1` as a child process; resolves to a message if it failed. */
function rebuildInChildProcess(names: readonly string[]): Promise<string | undefined> {
  const entry = process.argv[1];
  if (!entry) return Promise.resolve(`cannot start a rebuild of ${names.join(', ')}: no entry script`);
  const child = spawn(
    process.execPath,
    [...process.execArgv, entry, 'rebuild', names.join(','), '--jobs', '1', '--lines'],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  return new Promise((resolve) => {
    child.on('error', (error) => resolve(`the rebuild of ${names.join(', ')} could not start: ${error.message}`));
    child.on('exit', (code, signal) =>
      resolve(
        code === 0 ? undefined : `the rebuild of ${names.join(', ')} failed (${signal ?? `exit code ${String(code)}`})`,
      ),
    );
  });
}

/** Builds the next generation of each projection from the whole log and switches to it (also after `restore`). */
export async function rebuildProjections(
  database: RegistryDatabase,
  config: RegistryConfig,
  chosen: readonly ProjectionDefinition[],
  options: { lines?: boolean } = {},
): Promise<void> {
  if (chosen.length === 0) return;
  const bars = new Map(
    chosen.map((d) => [
      d.name,
      new ProgressBar(`rebuild ${d.name}`, process.stderr, options.lines !== true && process.stderr.isTTY),
    ]),
  );
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
