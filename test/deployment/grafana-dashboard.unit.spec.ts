import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RegistryObservations } from '@registry/runtime';
import { ProcessMetrics } from '../../apps/registry-api/src/health/process-metrics';

// The dashboard in docs/ must only ask for series the registry exports: a renamed metric would
// otherwise leave an empty panel that nobody notices until the day it is needed.
interface Panel {
  readonly title: string;
  readonly targets?: { readonly expr: string }[];
}

const dashboard = JSON.parse(readFileSync(join(__dirname, '../../docs/grafana/registry-dashboard.json'), 'utf8')) as {
  panels: Panel[];
};

async function exportedSeries(): Promise<Set<string>> {
  const observations = new RegistryObservations(
    { eventStore: { headPosition: () => Promise.resolve(0n) }, pool: {} as never, relays: false },
    60_000,
  );
  const metrics = new ProcessMetrics(observations, { observeAppends: () => () => undefined });
  const names = new Set<string>();
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram')
      for (const suffix of ['_bucket', '_count', '_sum']) names.add(metric.name + suffix);
  }
  return names;
}

describe('docs/grafana/registry-dashboard.json', () => {
  it('queries only series that /metrics exports', async () => {
    const exported = await exportedSeries();
    const asked = dashboard.panels.flatMap((panel) =>
      (panel.targets ?? []).flatMap(({ expr }) =>
        [...expr.matchAll(/\b((?:registry|process|nodejs)_[a-z0-9_]+)/g)].map((match) => ({
          panel: panel.title,
          series: match[1]!,
        })),
      ),
    );
    expect(asked.length).toBeGreaterThan(15);
    expect(asked.filter(({ series }) => !exported.has(series))).toEqual([]);
  });

  it('shows every projection, relay and append series the registry exports', async () => {
    const exported = [...(await exportedSeries())].filter((name) =>
      /^registry_(projection|relay|event_store|log|observations)_/.test(name),
    );
    const text = JSON.stringify(dashboard);
    expect(
      exported.filter((name) => !name.endsWith('_sum') && !text.includes(name.replace(/_(bucket|count)$/, ''))),
    ).toEqual([]);
  });
});
