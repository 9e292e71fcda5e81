import Ajv2020 from 'ajv/dist/2020';
import { seedDemo } from '../../apps/cli/src/demo/seed-demo';
import { businessToday } from '../../apps/registry-api/src/http/validation';
import { creditCode } from '../support/identifiers';
import { consumeUntil } from '../support/kafka-consumer';
import { testKafka } from '../support/kafka-broker';
import { call, type RegistryServer, startRegistryServer } from '../support/registry-server';
import { openEventStream, type SseConnection } from '../support/sse-client';
import { until } from '../support/until';

interface FeedEvent {
  id: string;
  type: string;
  subject: string;
  position: string;
  category: string;
  data: Record<string, unknown>;
}

const PERSONAL_KEYS = ['personal', 'name', 'idNumber', 'residentId', 'phone', 'birthDate'];

describe('the HTTP event feed', () => {
  let server: RegistryServer;
  let integrator: string;
  let stream: SseConnection;
  let paged: FeedEvent[];

  const page = (query: string, token = integrator) => call(server, 'GET', `/v1/events?${query}`, { token });

  beforeAll(async () => {
    server = await startRegistryServer();
    integrator = server.token('integrator');
    // The stream is open before the first command and reads while the demo is written.
    stream = await openEventStream(`${server.url}/v1/events/stream`, { authorization: `Bearer ${integrator}` });
    const admin = server.token('admin');
    await seedDemo(
      {
        post: (path, body) => call(server, 'POST', path, { body, token: admin }),
        get: (path) => call(server, 'GET', path, { token: admin }),
      },
      businessToday(),
    );
    paged = [];
    for (let after = '0'; ;) {
      const reply = await page(`after=${after}&limit=333`);
      expect(reply.status).toBe(200);
      paged.push(...(reply.body.events as FeedEvent[]));
      after = reply.body.next as string;
      if (reply.body.caughtUp) break;
    }
    await until(() => stream.events.length >= paged.length, 30_000, 'the stream to deliver what the pages hold');
  }, 300_000);

  afterAll(async () => {
    stream?.close();
    await server?.close();
  });

  it('pages through every event of the log once, in position order', async () => {
    expect(paged.length).toBe(await server.eventCount());
    expect(new Set(paged.map((e) => e.id)).size).toBe(paged.length);
    const positions = paged.map((e) => BigInt(e.position));
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
  });

  it('streams every event written while it was open, once each and in the same order', () => {
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    const streamed = stream.events.map((e) => JSON.parse(e.data) as FeedEvent);
    expect(streamed.map((e) => e.id)).toEqual(paged.map((e) => e.id));
    expect(stream.events.map((e) => e.id)).toEqual(paged.map((e) => e.position));
    expect(stream.events.map((e) => e.event)).toEqual(paged.map((e) => e.type));
  });

  it('resumes after Last-Event-ID with exactly the events that follow it', async () => {
    const cut = Math.floor(paged.length / 2);
    const resumed = await openEventStream(`${server.url}/v1/events/stream`, {
      authorization: `Bearer ${integrator}`,
      'last-event-id': paged[cut - 1]!.position,
    });
    try {
      await until(() => resumed.events.length >= paged.length - cut, 30_000, 'the resumed stream');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(resumed.events.map((e) => e.id)).toEqual(paged.slice(cut).map((e) => e.position));
    } finally {
      resumed.close();
    }
  });

  it('filters by category, on pages and on the stream', async () => {
    const reply = await page('after=0&limit=1000&category=organization,unit');
    const events = reply.body.events as FeedEvent[];
    expect(events.length).toBe(paged.filter((e) => e.category === 'organization' || e.category === 'unit').length);
    expect(new Set(events.map((e) => e.category))).toEqual(new Set(['organization', 'unit']));
    const members = await openEventStream(`${server.url}/v1/events/stream?category=member`, {
      authorization: `Bearer ${integrator}`,
    });
    try {
      const expected = paged.filter((e) => e.category === 'member');
      await until(() => members.events.length >= expected.length, 30_000, 'the member stream');
      expect(members.events.map((e) => e.id)).toEqual(expected.map((e) => e.position));
    } finally {
      members.close();
    }
  });

  it('serves events valid against the schemas at /v1/schemas, with no personal identifier', async () => {
    const index = await call(server, 'GET', '/v1/schemas', { token: null });
    expect(index.status).toBe(200);
    const types = new Set(paged.map((e) => e.type));
    expect(types.size).toBeGreaterThanOrEqual(10);
    const ajv = new Ajv2020({ strict: false });
    for (const type of types) {
      const schema = await call(server, 'GET', `/v1/schemas/${type}`, { token: null });
      expect({ type, status: schema.status }).toEqual({ type, status: 200 });
      const validate = ajv.compile(schema.body);
      for (const event of paged.filter((e) => e.type === type)) {
        expect({ id: event.id, valid: validate(event), errors: validate.errors ?? null }).toEqual({
          id: event.id,
          valid: true,
          errors: null,
        });
      }
    }
    for (const event of paged.filter((e) => e.category === 'member')) {
      for (const key of PERSONAL_KEYS)
        expect({ type: event.type, key, present: key in event.data }).toEqual({
          type: event.type,
          key,
          present: false,
        });
    }
    // No 18-character resident ID number (GB 11643) appears in any member event (units carry 18-character credit codes).
    expect(JSON.stringify(paged.filter((e) => e.category === 'member'))).not.toMatch(
      /[^0-9A-Za-z-][1-9]\d{16}[\dX][^0-9A-Za-z-]/,
    );
    expect((await call(server, 'GET', '/v1/schemas/registry.NoSuchThing.v1', { token: null })).status).toBe(404);
  });

  it('refuses bad parameters naming each one, and callers who are not integrators', async () => {
    const bad = await page('after=minus-one&limit=5000&category=dues&colour=red');
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'after',
      'category',
      'colour',
      'limit',
    ]);
    expect((await page('after=0', server.token('reporter'))).status).toBe(403);
    expect((await call(server, 'GET', '/v1/events?after=0', { token: null })).status).toBe(401);
    const badResume = await fetch(`${server.url}/v1/events/stream`, {
      headers: { authorization: `Bearer ${integrator}`, 'last-event-id': 'yesterday' },
    });
    expect(badResume.status).toBe(400);
    expect(((await badResume.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      'Last-Event-ID',
    ]);
  });
});

const kafka = testKafka();
if (!('brokers' in kafka)) console.warn(`[feed] in-process relay test SKIPPED: ${kafka.skipReason}`);

('brokers' in kafka ? describe : describe.skip)('the relay inside the API process (KAFKA_BROKERS set)', () => {
  it('publishes what the feed serves, with the same ids, and reports itself in /health and /metrics', async () => {
    const brokers = 'brokers' in kafka ? kafka.brokers : [];
    const prefix = `e2e${Date.now()}.`;
    const server = await startRegistryServer({ KAFKA_BROKERS: brokers.join(','), RELAY_TOPIC_PREFIX: prefix });
    try {
      const admin = server.token('admin');
      const reply = await call(server, 'POST', '/v1/units', {
        token: admin,
        body: {
          name: '上海某科技有限公司',
          creditCode: creditCode(4242),
          kind: 'enterprise',
          regionCode: '310115',
          industry: 'software',
          registeredOn: '2021-05-01',
        },
      });
      expect({ status: reply.status, body: reply.body }).toEqual({ status: 201, body: expect.anything() as unknown });
      const [message] = await consumeUntil(brokers, [`${prefix}registry.units.v1`], (got) => got.length >= 1);
      const feed = await call(server, 'GET', '/v1/events?after=0', { token: server.token('integrator') });
      const [event] = feed.body.events as FeedEvent[];
      expect(message!.headers.ce_id).toBe(event!.id);
      expect(message!.key).toBe(event!.subject);
      expect(JSON.parse(message!.value)).toEqual(event!.data);
      // The relay's detail is for admins since issue 16; an anonymous probe sees only the status.
      const health = await call(server, 'GET', '/health', { token: admin });
      expect(health.body.relays).toEqual([
        expect.objectContaining({ name: 'kafka', status: 'running', inThisProcess: 'running' }),
      ]);
      const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text());
      expect(metrics).toMatch(/^registry_relay_up\{relay="kafka"\} 1$/m);
    } finally {
      await server.close();
    }
  }, 120_000);
});
