import { Registry } from 'prom-client';
import type { ProjectionStatus } from '@registry/projections';
import { RegistryObservations, registerRegistrySeries } from './observations';

const status = (name: string, position: string, lagSeconds: number): ProjectionStatus => ({
  name,
  version: 2,
  generation: 1,
  status: 'running',
  position,
  eventsApplied: position,
  lagEvents: lagSeconds > 0 ? 3 : 0,
  lagSeconds,
  failure: null,
  stopReason: null,
  building: null,
});

describe('the registry series on /metrics are read from memory', () => {
  it('queries once per refresh, however often it is scraped; lag in seconds keeps growing between refreshes', async () => {
    const reads = { head: 0, projections: 0 };
    let head = 40n;
    const observations = new RegistryObservations(
      {
        eventStore: { headPosition: () => (reads.head++, Promise.resolve(head)) },
        pool: {} as never,
        projector: {
          status: () => (reads.projections++, Promise.resolve([status('members', '37', 2), status('dues', '40', 0)])),
        },
        relays: false,
      },
      300_000,
    );
    const registry = new Registry();
    registerRegistrySeries(registry, observations);
    await observations.start();
    try {
      const first = await registry.metrics();
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (let scrape = 0; scrape < 4; scrape++) await registry.metrics();
      const later = await registry.metrics();
      expect(reads).toEqual({ head: 1, projections: 1 });

      expect(first).toMatch(/^registry_log_head_position 40$/m);
      expect(first).toMatch(/^registry_projection_position\{projection="members",version="2"\} 37$/m);
      expect(first).toMatch(/^registry_projection_lag_events\{projection="members",version="2"\} 3$/m);
      expect(first).toMatch(/^registry_projection_lag_seconds\{projection="dues",version="2"\} 0$/m);
      expect(first).toMatch(/^registry_projection_events_applied_total\{projection="dues",version="2"\} 40$/m);
      const lag = (text: string) =>
        Number(/^registry_projection_lag_seconds\{projection="members",version="2"\} (\S+)$/m.exec(text)?.[1]);
      expect(lag(first)).toBeGreaterThanOrEqual(2);
      expect(lag(later)).toBeGreaterThan(lag(first));

      head = 45n;
      await observations.refresh();
      expect(reads).toEqual({ head: 2, projections: 2 });
      expect(await registry.metrics()).toMatch(/^registry_log_head_position 45$/m);
    } finally {
      observations.stop();
    }
  });

  it('keeps the last figures when a refresh fails, and says how old they are', async () => {
    let fail = false;
    const observations = new RegistryObservations(
      {
        eventStore: { headPosition: () => (fail ? Promise.reject(new Error('down')) : Promise.resolve(7n)) },
        pool: {} as never,
        relays: false,
      },
      300_000,
    );
    const registry = new Registry();
    registerRegistrySeries(registry, observations);
    await observations.start();
    fail = true;
    await new Promise((resolve) => setTimeout(resolve, 30));
    await observations.refresh();
    const text = await registry.metrics();
    observations.stop();
    expect(text).toMatch(/^registry_log_head_position 7$/m);
    expect(Number(/^registry_observations_age_seconds (\S+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(0.02);
  });
});
