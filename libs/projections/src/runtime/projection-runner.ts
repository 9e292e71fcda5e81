import type { Pool } from 'pg';
import type { ProjectionDefinition, ProjectionServices } from '../projection';
import { applyBatch, isTransient } from './apply';
import type { EventLog } from './event-log';
import { liveGeneration } from './generations';

export interface RunnerLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface RunnerOptions {
  readonly batchSize: number;
  /** Longest sleep when nothing happens (the fallback when wake-ups are lost). */
  readonly idleMs: number;
  readonly logger: RunnerLogger;
}

/**
 * Keeps one projection's live generation up to date with the log. Several runners (in several
 * processes) may follow the same projection: each batch locks the generation row and checks the
 * checkpoint it started from, so a batch is applied once whoever applies it.
 */
export class ProjectionRunner {
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private loop: Promise<void> | undefined;
  private unlisten: (() => void) | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly log: EventLog,
    readonly definition: ProjectionDefinition,
    private readonly services: ProjectionServices,
    private readonly options: RunnerOptions,
  ) {}

  start(): void {
    this.unlisten = this.log.onAppended?.(() => this.wake());
    this.loop = this.run();
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unlisten?.();
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { name } = this.definition;
    let backoffMs = 2;
    let reportedStop = false;
    while (!this.stopped) {
      try {
        const live = await liveGeneration(this.pool, name);
        if (!live || live.status === 'stopped') {
          if (live?.failure && !reportedStop) {
            this.options.logger.error(
              `projection ${name} stopped at event ${live.failure.eventId ?? '?'} (position ${live.failure.position.toString()}, ${live.failure.eventType ?? '?'}): ${live.failure.error}; inspect it, then \`cli projections retry ${name}\` or \`cli projections skip ${name} ${live.failure.position.toString()}\``,
            );
            reportedStop = true;
          }
          await this.sleep(this.options.idleMs);
          continue;
        }
        reportedStop = false;
        const page = await this.log.readAll({
          after: live.position,
          limit: this.options.batchSize,
          categories: this.definition.categories,
        });
        if (
          page.events.length === 0 &&
          page.checkpoint > live.position &&
          (await this.log.headPosition()) > live.position
        ) {
          // Other categories' events only: move past them, or minPosition would wait for them forever.
          // (Not on an idle log: the horizon moves with every transaction, and this write would be one.)
          await applyBatch(this.pool, this.definition, this.services, live, [], page.checkpoint);
        }
        if (page.events.length === 0) {
          // A wake-up may come just before the commit becomes readable: look again soon, then less often.
          await this.sleep(backoffMs);
          backoffMs = Math.min(backoffMs * 2, this.options.idleMs);
          continue;
        }
        backoffMs = 2;
        const outcome = await applyBatch(this.pool, this.definition, this.services, live, page.events, page.checkpoint);
        if (outcome.kind === 'failed') {
          const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
          this.options.logger.error(
            `projection ${name} cannot apply ${outcome.event.type} at position ${outcome.event.position.toString()}: ${message}`,
          );
          reportedStop = true;
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (isTransient(error)) this.options.logger.warn(`projection ${name}: ${message}; retrying`);
        else this.options.logger.error(`projection ${name}: ${message}`);
        await this.sleep(this.options.idleMs);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        this.woken = false;
        done();
      };
    });
  }
}
