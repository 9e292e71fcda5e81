import { liveGeneration, recordFailure, registryProjections } from '@registry/projections';
import { creditCode } from '../support/identifiers';
import { call, type RegistryServer, startRegistryServer } from '../support/registry-server';
import { until } from '../support/until';

const METRICS_TOKEN = 'prometheus-scrape-7f3a9c21e5';

const unit = {
  name: '上海张江某集成电路有限公司',
  creditCode: creditCode(5151),
  kind: 'enterprise',
  regionCode: '310115',
  industry: 'semiconductors',
  registeredOn: '2019-03-18',
};

describe('security headers, /health and /metrics', () => {
  let server: RegistryServer;

  beforeAll(async () => {
    server = await startRegistryServer({ METRICS_TOKEN });
  }, 60_000);
  afterAll(() => server?.close());

  it('names no framework, forbids sniffing and sends a CSP on /health and on /v1', async () => {
    const health = await fetch(`${server.url}/health`);
    const units = await call(server, 'GET', '/v1/coverage?groupBy=region&regionCode=310115', {
      token: server.token('auditor'),
    });
    expect(units.status).toBe(200);
    for (const headers of [health.headers, units.headers]) {
      expect(headers.get('x-powered-by')).toBeNull();
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('content-security-policy')).toContain("default-src 'none'");
    }
  });

  it('lets no cache keep a /v1 answer, nor a /v1 problem', async () => {
    const auditor = server.token('auditor');
    const answer = await call(server, 'GET', '/v1/coverage?groupBy=region&regionCode=310115', { token: auditor });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const missing = await call(server, 'GET', '/v1/members/00000000-0000-4000-8000-000000000000', { token: auditor });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(missing.headers.get('cache-control')).toBe('no-store');
    const unauthenticated = await call(server, 'GET', '/v1/coverage?groupBy=region&regionCode=310115', { token: null });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('cache-control')).toBe('no-store');
  });

  it('still serves Swagger UI at /docs, under a CSP that allows the assets it references', async () => {
    const page = await fetch(`${server.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<div id="swagger-ui"></div>');
    const csp = page.headers.get('content-security-policy') ?? '';
    const directive = (name: string) => csp.split(';').find((d) => d.trim().startsWith(`${name} `)) ?? '';
    expect(directive('script-src')).toContain("'self'");
    expect(directive('style-src')).toMatch(/'self'.*'unsafe-inline'/);
    expect(directive('img-src')).toContain('data:');
    expect(csp).not.toContain('upgrade-insecure-requests');
    // Every script is a file of this app (no inline script, which script-src 'self' would block).
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/swagger-ui-bundle\.js$/),
        expect.stringMatching(/swagger-ui-init\.js$/),
        expect.stringMatching(/swagger-ui\.css$/),
      ]),
    );
    for (const asset of assets) {
      const url = new URL(asset, `${server.url}/docs`);
      expect(url.origin).toBe(server.url);
      const response = await fetch(url);
      expect({ asset, status: response.status }).toEqual({ asset, status: 200 });
      await response.arrayBuffer();
    }
  });

  it('tells an anonymous caller only that it is degraded; an admin sees the failing event and stream', async () => {
    const admin = server.token('admin');
    const registered = await call(server, 'POST', '/v1/units', { token: admin, body: unit });
    expect(registered.status).toBe(201);
    const [event] = await server.database.eventStore.readStream(`unit-${registered.body.id as string}`);
    if (!event) throw new Error('the unit stream has no event');
    // A projection stopped on that event, as it does on an event it cannot apply.
    await until(
      async () => ((await liveGeneration(server.database.pool, 'coverage'))?.position ?? 0n) >= event.position,
      10_000,
      'coverage to apply the unit',
    );
    const coverage = await liveGeneration(server.database.pool, 'coverage');
    if (!coverage) throw new Error('no live coverage generation');
    await recordFailure(server.database.pool, coverage, event.position - 1n, event, new Error('cannot apply'));

    const anonymous = await call(server, 'GET', '/health', { token: null });
    expect(anonymous).toMatchObject({ status: 200, body: { status: 'degraded' } });
    expect(Object.keys(anonymous.body)).toEqual(['status']);
    const text = JSON.stringify(anonymous.body);
    expect(text).not.toContain(event.id);
    expect(text).not.toContain(event.streamId);

    const registrar = await call(server, 'GET', '/health', { token: server.token('registrar') });
    expect(registrar.body).toEqual({ status: 'degraded' });

    const detailed = await call(server, 'GET', '/health', { token: admin });
    expect(detailed.status).toBe(200);
    expect(detailed.body.status).toBe('degraded');
    expect(detailed.body.projections).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'coverage',
          status: 'stopped',
          failure: expect.objectContaining({ eventId: event.id, streamId: event.streamId }) as unknown,
        }),
      ]),
    );

    const forged = await call(server, 'GET', '/health', { token: `${admin}x` });
    expect(forged.status).toBe(401);
  }, 30_000);

  it('answers /metrics only with METRICS_TOKEN when it is set', async () => {
    const anonymous = await fetch(`${server.url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(await anonymous.text()).not.toMatch(/registry_/);
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}0` } });
    expect(wrong.status).toBe(401);
    const jwt = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${server.token('admin')}` } });
    expect(jwt.status).toBe(401);
    const scraper = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraper.status).toBe(200);
    const text = await scraper.text();
    expect(text).toMatch(/^registry_log_head_position \d+$/m);
    // prom-client: the process, the event loop, and each request's duration by route template and status.
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(text).toMatch(
      /^registry_http_request_duration_seconds_count\{method="GET",route="\/v1\/coverage",status="200"\} [1-9]\d*$/m,
    );
    expect(text).toMatch(
      /^registry_http_request_duration_seconds_count\{method="GET",route="\/metrics",status="401"\} 3$/m,
    );
  });
});

describe('/metrics from memory', () => {
  let server: RegistryServer;

  beforeAll(async () => (server = await startRegistryServer()), 60_000);
  afterAll(() => server?.close());

  it('reports every projection and times this process\u2019s appends', async () => {
    const unit = await call(server, 'POST', '/v1/units', {
      body: {
        name: '上海度量科技有限公司',
        creditCode: creditCode(7401),
        kind: 'enterprise',
        regionCode: '310104',
        industry: 'software',
        registeredOn: '2020-01-01',
      },
    });
    expect(unit.status).toBe(201);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text.match(/^registry_projection_position\{projection="[a-z]+",version="\d+"\} \d+$/gm)).toHaveLength(
      registryProjections().length,
    );
    expect(text).toMatch(/^registry_observations_age_seconds \d/m);
    expect(text).toMatch(/^registry_event_store_append_seconds_count\{outcome="appended"\} [1-9]\d*$/m);
    expect(text).toMatch(/^registry_event_store_appended_events_total [1-9]\d*$/m);
  });
});
