import type { Projector } from '@registry/projections';
import { readCheckpoints } from '@registry/relay';
import type { RegistryDatabase } from '@registry/runtime';

const label = (value: string): string => value.replace(/["\\\n]/g, '_');

/** Prometheus text format: log head; per projection its checkpoint, lag and state; per relay its checkpoint and state. */
export async function registryMetrics(database: RegistryDatabase, projector: Projector): Promise<string> {
  const head = await database.eventStore.headPosition();
  const statuses = await projector.status();
  const lines: string[] = [
    '# HELP registry_log_head_position Newest readable global position of the event log.',
    '# TYPE registry_log_head_position gauge',
    `registry_log_head_position ${head.toString()}`,
  ];
  const relays = await readCheckpoints(database.pool);
  /** One metric: its HELP and TYPE, then a sample per row with that row's labels. */
  const series = <Row>(
    rows: readonly Row[],
    labels: (row: Row) => string,
    name: string,
    help: string,
    type: string,
    value: (row: Row) => string,
  ) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const row of rows) lines.push(`${name}{${labels(row)}} ${value(row)}`);
  };
  const projection = (s: (typeof statuses)[number]) => `projection="${label(s.name)}",version="${s.version}"`;
  series(
    statuses,
    projection,
    'registry_projection_position',
    'Global position the projection has applied through.',
    'gauge',
    (s) => s.position,
  );
  series(
    statuses,
    projection,
    'registry_projection_lag_events',
    'Events in the log not yet applied (capped at 100000).',
    'gauge',
    (s) => String(s.lagEvents ?? -1),
  );
  series(
    statuses,
    projection,
    'registry_projection_lag_seconds',
    'Age of the oldest event not yet applied; 0 when caught up.',
    'gauge',
    (s) => s.lagSeconds.toFixed(3),
  );
  series(
    statuses,
    projection,
    'registry_projection_up',
    '1 while the projection applies events, 0 when it stopped on an event it cannot apply.',
    'gauge',
    (s) => (s.status === 'running' ? '1' : '0'),
  );
  series(
    statuses,
    projection,
    'registry_projection_events_applied_total',
    'Events applied by the live generation.',
    'counter',
    (s) => s.eventsApplied,
  );
  const relay = (r: (typeof relays)[number]) => `relay="${label(r.name)}"`;
  series(
    relays,
    relay,
    'registry_relay_position',
    'Global position through which Kafka acknowledged every event.',
    'gauge',
    (r) => r.position.toString(),
  );
  series(
    relays,
    relay,
    'registry_relay_published_total',
    'Messages acknowledged by Kafka (a re-sent batch counts again).',
    'counter',
    (r) => String(r.published),
  );
  series(
    relays,
    relay,
    'registry_relay_up',
    '1 while the relay publishes, 0 when it stopped on an event it cannot publish.',
    'gauge',
    (r) => (r.status === 'running' ? '1' : '0'),
  );
  return `${lines.join('\n')}\n`;
}
