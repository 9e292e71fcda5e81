import { Logger } from '@nestjs/common';
import type { RegistryConfig } from '@registry/config';
import { type ProjectionDefinition, rebuildProjection, RebuildRefused } from '@registry/projections';
import { projectionServices, type RegistryDatabase } from '@registry/runtime';

/** A rebuild started over HTTP, as this process last saw it. */
export interface RebuildJob {
  readonly projection: string;
  state: 'running' | 'done' | 'failed';
  readonly startedAt: string;
  startedBy: string;
  finishedAt: string | null;
  applied: number;
  total: number | null;
  eventsPerSecond: number;
  etaSeconds: number | null;
  /** The generation that went live, once done. */
  generation: number | null;
  error: string | null;
}

/**
 * Rebuilds started from the console run in this process, one per projection at a time (the
 * rebuild's advisory lock also refuses one running elsewhere, e.g. `cli rebuild`). Their progress
 * is kept here for the status route; a restart forgets it, and a rebuild cut short leaves the live
 * tables as they were (blue/green, ADR 0015).
 */
export class RebuildJobs {
  private readonly jobs = new Map<string, RebuildJob>();
  private readonly logger = new Logger('Rebuild');

  constructor(
    private readonly config: RegistryConfig,
    private readonly database: RegistryDatabase,
  ) {}

  list(): RebuildJob[] {
    return [...this.jobs.values()];
  }

  /** Starts the rebuild and answers at once; refuses one already running in this process. */
  start(definition: ProjectionDefinition, actor: string): RebuildJob {
    const current = this.jobs.get(definition.name);
    if (current?.state === 'running') throw new RebuildRefused(`a rebuild of ${definition.name} is already running`);
    const job: RebuildJob = {
      projection: definition.name,
      state: 'running',
      startedAt: new Date().toISOString(),
      startedBy: actor,
      finishedAt: null,
      applied: 0,
      total: null,
      eventsPerSecond: 0,
      etaSeconds: null,
      generation: null,
      error: null,
    };
    this.jobs.set(definition.name, job);
    this.logger.log(`${actor} started a rebuild of ${definition.name}`);
    // Not awaited: the answer goes out at once; a shutdown meanwhile fails the rebuild, and the live tables stay.
    void rebuildProjection(
      this.database.pool,
      this.database.eventStore,
      definition,
      projectionServices(this.config, this.database),
      {
        onProgress: (progress) => {
          job.applied = progress.applied;
          job.total = progress.total ?? null;
          job.eventsPerSecond = Math.round(progress.eventsPerSecond);
          job.etaSeconds = progress.etaSeconds ?? null;
        },
      },
    ).then(
      (result) => {
        Object.assign(job, { state: 'done', generation: result.to, applied: result.events });
        job.finishedAt = new Date().toISOString();
        this.logger.log(`${definition.name}: generation ${result.to} is live (${result.events} events)`);
      },
      (error: unknown) => {
        job.state = 'failed';
        job.error = error instanceof Error ? error.message : String(error);
        job.finishedAt = new Date().toISOString();
        this.logger.error(`the rebuild of ${definition.name} failed: ${job.error}`);
      },
    );
    return job;
  }
}
