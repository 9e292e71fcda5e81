import type { Pool } from 'pg';
import { firstRow } from '@registry/postgres';
import type { ProjectionDefinition, ProjectionServices } from '../projection';
import type { EventLog } from './event-log';
import { type Generation, generationsOf, installProjections } from './generations';
import { ProjectionRunner, type RunnerLogger } from './projection-runner';

export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  readonly generation: number;
  readonly status: 'running' | 'stopped';
  readonly position: string;
  readonly eventsApplied: string;
  /** Events in the log after the checkpoint (capped at `lagCap`). */
  readonly lagEvents: number | null;
  /** Seconds since the oldest event not yet applied was recorded; 0 when caught up. */
  readonly lagSeconds: number;
  readonly failure: Generation['failure'];
  readonly stopReason: string | null;
  /** A next generation being built beside the live one (a rebuild), with its checkpoint. */
  readonly building: { readonly generation: number; readonly position: string } | null;
}

export interface ProjectorOptions {
  readonly batchSize?: number;
  readonly idleMs?: number;
  readonly logger: RunnerLogger;
  /** Run the runners; `false` installs projections and reports on them but applies nothing. */
  readonly follow?: boolean;
}

/** All projections of the registry: installs them, follows the log, reports their state. */
export class Projector {
  private readonly runners: ProjectionRunner[] = [];

  constructor(
    private readonly pool: Pool,
    private readonly log: EventLog,
    readonly definitions: readonly ProjectionDefinition[],
    private readonly services: ProjectionServices,
    private readonly options: ProjectorOptions,
  ) {}

  async start(): Promise<void> {
    await installProjections(this.pool, this.definitions);
    const live = await generationsOf(this.pool);
    for (const definition of this.definitions) {
      const current = live.find((g) => g.name === definition.name && g.state === 'live');
      if (current && current.version !== definition.version) {
        this.options.logger.warn(
          `projection ${definition.name}: the live tables are version ${current.version}, this code is version ${definition.version}; run \`npm run cli -- rebuild ${definition.name}\``,
        );
      }
    }
    if (this.options.follow === false) return;
    for (const definition of this.definitions) {
      const runner = new ProjectionRunner(this.pool, this.log, definition, this.services, {
        batchSize: this.options.batchSize ?? 500,
        idleMs: this.options.idleMs ?? 1000,
        logger: this.options.logger,
      });
      runner.start();
      this.runners.push(runner);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.runners.splice(0).map((runner) => runner.stop()));
  }

  async status(lagCap = 100_000): Promise<ProjectionStatus[]> {
    const generations = await generationsOf(
      this.pool,
      this.definitions.map((d) => d.name),
    );
    const statuses: ProjectionStatus[] = [];
    for (const definition of this.definitions) {
      const live = generations.find((g) => g.name === definition.name && g.state === 'live');
      if (!live) continue;
      const building = generations.find((g) => g.name === definition.name && g.state === 'building');
      const next = await this.log.readAll({ after: live.position, limit: 1 });
      const oldest = next.events[0];
      const lagEvents =
        oldest && this.log.countEventsAfter
          ? Math.min(await this.log.countEventsAfter(live.position), lagCap)
          : oldest
            ? null
            : 0;
      statuses.push({
        name: live.name,
        version: live.version,
        generation: live.generation,
        status: live.status,
        position: live.position.toString(),
        eventsApplied: live.eventsApplied.toString(),
        lagEvents,
        lagSeconds: oldest ? Math.max(0, (Date.now() - oldest.recordedAt.getTime()) / 1000) : 0,
        failure: live.failure,
        stopReason: live.stopReason,
        building: building ? { generation: building.generation, position: building.position.toString() } : null,
      });
    }
    return statuses;
  }
}

export class ReadModelBehind extends Error {
  override readonly name = 'ReadModelBehind';

  constructor(
    readonly projections: readonly string[],
    readonly minPosition: bigint,
    readonly waitedMs: number,
  ) {
    super(
      `the read model (${projections.join(', ')}) has not reached position ${minPosition.toString()} after ${waitedMs} ms`,
    );
  }
}

/**
 * Read-your-writes: resolves once every named projection's live checkpoint is at or past
 * `minPosition`, or throws ReadModelBehind after `timeoutMs`.
 */
export async function waitForProjections(
  pool: Pool,
  names: readonly string[],
  minPosition: bigint,
  timeoutMs: number,
): Promise<void> {
  const started = Date.now();
  let pauseMs = 5;
  for (;;) {
    const { rows } = await pool.query<{ behind: number }>(
      `SELECT count(*)::int AS behind FROM projections.generations WHERE state = 'live' AND name = ANY($1::text[]) AND position < $2`,
      [names, minPosition.toString()],
    );
    if (firstRow(rows, 'the count of projections behind').behind === 0) return;
    const waited = Date.now() - started;
    if (waited >= timeoutMs) throw new ReadModelBehind(names, minPosition, waited);
    await new Promise((resolve) => setTimeout(resolve, Math.min(pauseMs, timeoutMs - waited)));
    pauseMs = Math.min(pauseMs * 2, 100);
  }
}
