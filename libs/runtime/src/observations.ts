import type { Pool } from 'pg';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AppendTiming, EventStore } from '@registry/event-store';
import type { Projector } from '@registry/projections';
import { readCheckpoints, type RelayCheckpoint } from '@registry/relay';

interface ObservedProjection {
  readonly name: string;
  readonly version: number;
  readonly running: boolean;
  readonly position: bigint;
  readonly eventsApplied: number;
  readonly lagEvents: number | null;
  /** When the oldest event not yet applied was recorded; null when caught up. */
  readonly oldestPendingAt: Date | null;
}

interface Snapshot {
  readonly head: bigint;
  readonly projections: readonly ObservedProjection[];
  readonly relays: readonly RelayCheckpoint[];
  readonly at: Date;
}

/**
 * The log head, projection checkpoints and relay checkpoints as last read, refreshed in the background
 * every `refreshMs`: a scrape reads memory, so however often Prometheus (or several of them) scrape,
 * the database answers one round of queries per interval. Lag in seconds is computed at the scrape.
 */
export class RegistryObservations {
  private snapshot: Snapshot | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly sources: {
      readonly eventStore: Pick<EventStore, 'headPosition'>;
      readonly pool: Pool;
      /** Absent in a relay process: it reports relays only. */
      readonly projector?: Pick<Projector, 'status'>;
      readonly relays: boolean;
    },
    private readonly refreshMs: number,
  ) {}

  /** Reads once (so the first scrape has figures), then every `refreshMs` until `stop()`. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  get current(): Snapshot | undefined {
    return this.snapshot;
  }

  /** A failed read keeps the last figures; their age (`registry_observations_age_seconds`) tells a scraper. */
  refresh(): Promise<void> {
    this.refreshing ??= this.read()
      .then((snapshot) => void (this.snapshot = snapshot))
      .catch(() => undefined)
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async read(): Promise<Snapshot> {
    const [head, statuses, relays] = await Promise.all([
      this.sources.eventStore.headPosition(),
      this.sources.projector?.status() ?? [],
      this.sources.relays ? readCheckpoints(this.sources.pool) : [],
    ]);
    const now = Date.now();
    return {
      head,
      projections: statuses.map((status) => ({
        name: status.name,
        version: status.version,
        running: status.status === 'running',
        position: BigInt(status.position),
        eventsApplied: Number(status.eventsApplied),
        lagEvents: status.lagEvents,
        oldestPendingAt: status.lagSeconds > 0 ? new Date(now - status.lagSeconds * 1000) : null,
      })),
      relays,
      at: new Date(now),
    };
  }
}

/**
 * The registry's series on a prom-client registry, each a collect callback over the observations
 * (no query at scrape time): log head, per projection checkpoint, lag, state and events applied, per
 * relay checkpoint, messages published and state.
 */
export function registerRegistrySeries(registry: Registry, observations: RegistryObservations): void {
  /** One series per row of the snapshot: a gauge set to the value, or a counter standing at it. */
  const perRow = <T>(
    kind: 'gauge' | 'counter',
    rowsOf: (snapshot: Snapshot) => readonly T[],
    labels: { readonly names: readonly string[]; of(row: T): Record<string, string> },
    name: string,
    help: string,
    value: (row: T) => number,
  ) => {
    const rows = () => (observations.current ? rowsOf(observations.current) : []);
    // Every API worker reads the same database: across workers, the figures are one, not a sum.
    const options = { name, help, labelNames: labels.names, registers: [registry], aggregator: 'max' as const };
    if (kind === 'gauge')
      new Gauge({
        ...options,
        collect() {
          this.reset();
          for (const row of rows()) this.set(labels.of(row), value(row));
        },
      });
    else
      new Counter({
        ...options,
        collect() {
          this.reset();
          for (const row of rows()) this.inc(labels.of(row), value(row));
        },
      });
  };
  const projections = (s: Snapshot) => s.projections;
  const projection = {
    names: ['projection', 'version'],
    of: (p: ObservedProjection) => ({ projection: p.name, version: String(p.version) }),
  };
  const relays = (s: Snapshot) => s.relays;
  const relay = { names: ['relay'], of: (r: RelayCheckpoint) => ({ relay: r.name }) };

  new Gauge({
    name: 'registry_log_head_position',
    help: 'Newest readable global position of the event log.',
    registers: [registry],
    aggregator: 'max',
    collect() {
      const head = observations.current?.head;
      if (head !== undefined) this.set(Number(head));
    },
  });
  new Gauge({
    name: 'registry_observations_age_seconds',
    help: 'Age of the log, projection and relay figures below (refreshed in the background, not at scrape).',
    registers: [registry],
    aggregator: 'max',
    collect() {
      const at = observations.current?.at;
      if (at) this.set((Date.now() - at.getTime()) / 1000);
    },
  });
  perRow(
    'gauge',
    projections,
    projection,
    'registry_projection_position',
    'Global position the projection has applied through.',
    (p) => Number(p.position),
  );
  perRow(
    'gauge',
    projections,
    projection,
    'registry_projection_lag_events',
    'Events in the log not yet applied (capped at 100000; -1 when not counted).',
    (p) => p.lagEvents ?? -1,
  );
  perRow(
    'gauge',
    projections,
    projection,
    'registry_projection_lag_seconds',
    'Age of the oldest event not yet applied; 0 when caught up.',
    (p) => (p.oldestPendingAt ? Math.max(0, (Date.now() - p.oldestPendingAt.getTime()) / 1000) : 0),
  );
  perRow(
    'gauge',
    projections,
    projection,
    'registry_projection_up',
    '1 while the projection applies events, 0 when it stopped on an event it cannot apply.',
    (p) => (p.running ? 1 : 0),
  );
  perRow(
    'counter',
    projections,
    projection,
    'registry_projection_events_applied_total',
    'Events applied by the live generation.',
    (p) => p.eventsApplied,
  );
  perRow(
    'gauge',
    relays,
    relay,
    'registry_relay_position',
    'Global position through which Kafka acknowledged every event.',
    (r) => Number(r.position),
  );
  perRow(
    'gauge',
    relays,
    relay,
    'registry_relay_lag_positions',
    'Global positions between the log head and the relay checkpoint (0 when every event is acknowledged).',
    (r) => Math.max(0, Number((observations.current?.head ?? r.position) - r.position)),
  );
  perRow(
    'gauge',
    relays,
    relay,
    'registry_relay_up',
    '1 while the relay publishes, 0 when it stopped on an event it cannot publish.',
    (r) => (r.status === 'running' ? 1 : 0),
  );
  perRow(
    'counter',
    relays,
    relay,
    'registry_relay_published_total',
    'Messages acknowledged by Kafka (a re-sent batch counts again).',
    (r) => r.published,
  );
}

/** `registry_event_store_append_seconds` by outcome: how long appends took until durable, in this process. */
export function registerAppendLatency(
  registry: Registry,
  eventStore: { observeAppends(observer: (timing: AppendTiming) => void): () => void },
): () => void {
  const histogram = new Histogram({
    name: 'registry_event_store_append_seconds',
    help: 'Appends of this process until durable (one statement, or first append to commit), by outcome.',
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const events = new Counter({
    name: 'registry_event_store_appended_events_total',
    help: 'Events this process appended (committed, not counting idempotent duplicates).',
    registers: [registry],
  });
  return eventStore.observeAppends((timing) => {
    histogram.observe({ outcome: timing.outcome }, timing.seconds);
    if (timing.outcome === 'appended') events.inc(timing.events);
  });
}
