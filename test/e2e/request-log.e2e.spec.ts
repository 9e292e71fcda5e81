import { creditCode, residentId } from '../support/identifiers';
import { call, type RegistryServer, startRegistryServer } from '../support/registry-server';

// LOG_FORMAT=json: one JSON object per line; every request logged once with its id, route template,
// status, duration and actor, and nothing of its body.

interface LogLine {
  level: string;
  context?: string;
  message: unknown;
}

describe('structured request logs', () => {
  let server: RegistryServer;
  const written: string[] = [];
  let spy: jest.SpyInstance;

  beforeAll(async () => {
    server = await startRegistryServer({ LOG_FORMAT: 'json', LOG_LEVEL: 'log' });
    spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  }, 60_000);
  afterAll(async () => {
    spy?.mockRestore();
    await server?.close();
  });

  const requestLines = () =>
    written
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LogLine)
      .filter((line) => line.context === 'HTTP')
      .map((line) => line.message as Record<string, unknown>);

  it('logs each request once as JSON with its id, route template, status, duration and actor, echoing the id', async () => {
    const unit = await call(server, 'POST', '/v1/units', {
      body: {
        name: '上海某软件有限公司',
        creditCode: creditCode(7301),
        kind: 'enterprise',
        regionCode: '310104',
        industry: 'software',
        registeredOn: '2020-01-01',
      },
      headers: { 'X-Request-Id': 'trace-42' },
    });
    expect(unit.status).toBe(201);
    expect(unit.headers.get('x-request-id')).toBe('trace-42');
    const lookup = await call(server, 'GET', `/v1/organizations/${String(unit.body.id)}`, {
      headers: { 'X-Request-Id': 'not a plain token' },
    });
    const generated = lookup.headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);

    const lines = requestLines();
    expect(lines.filter((line) => line.requestId === 'trace-42')).toEqual([
      {
        requestId: 'trace-42',
        method: 'POST',
        route: '/v1/units',
        status: 201,
        durationMs: expect.any(Number),
        actor: 'registrar-tester',
      },
    ]);
    expect(lines.find((line) => line.requestId === generated)).toMatchObject({
      route: '/v1/organizations/:id',
      status: lookup.status,
    });
  });

  it('never logs a request body: no name, no resident ID number', async () => {
    const idNumber = residentId('1985-05-05', 'female', 77);
    const registered = await call(server, 'POST', '/v1/members', {
      body: {
        name: '赵丽华',
        idNumber,
        gender: 'female',
        birthDate: '1985-05-05',
        joinedOn: '2010-07-01',
        status: 'full',
        orgId: '0190a6a2-0000-7000-8000-00000000dead',
        effectiveOn: '2020-01-01',
      },
    });
    expect(registered.status).toBeGreaterThanOrEqual(400);
    const text = written.join('');
    expect(text).toContain('"route":"/v1/members"');
    expect(text).not.toContain(idNumber);
    expect(text).not.toContain('赵丽华');
  });

  it("keeps a caller's W3C traceparent and ids with the events (this process does not trace), in its stream and the feed", async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const unit = await call(server, 'POST', '/v1/units', {
      body: {
        name: '上海链路科技有限公司',
        creditCode: creditCode(7302),
        kind: 'enterprise',
        regionCode: '310104',
        industry: 'software',
        registeredOn: '2020-01-01',
      },
      headers: { traceparent, 'X-Correlation-Id': 'import-2024-05', 'X-Request-Id': 'req-7302' },
    });
    expect(unit.status).toBe(201);
    const unitId = String(unit.body.id);
    const stream = await call(server, 'GET', `/v1/streams/unit-${unitId}`, { token: server.token('auditor') });
    expect((stream.body.events as { metadata: object }[]).map((event) => event.metadata)).toEqual([
      expect.objectContaining({
        requestId: 'req-7302',
        correlationId: 'import-2024-05',
        causationId: 'req-7302',
        traceId: '0af7651916cd43dd8448eb211c80319c',
        traceparent,
      }),
    ]);
    const feed = await call(server, 'GET', '/v1/events?after=0&limit=1000', { token: server.token('integrator') });
    expect(
      (feed.body.events as { subject: string }[]).find((event) => event.subject === `unit-${unitId}`),
    ).toMatchObject({
      traceparent,
      correlationid: 'import-2024-05',
      causationid: 'req-7302',
    });

    const untraced = await call(server, 'POST', '/v1/units', {
      body: {
        name: '上海无链路科技有限公司',
        creditCode: creditCode(7303),
        kind: 'enterprise',
        regionCode: '310104',
        industry: 'software',
        registeredOn: '2020-01-01',
      },
      headers: { traceparent: '00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01' },
    });
    const untracedStream = await call(server, 'GET', `/v1/streams/unit-${String(untraced.body.id)}`, {
      token: server.token('auditor'),
    });
    const [metadata] = (untracedStream.body.events as { metadata: Record<string, unknown> }[]).map((e) => e.metadata);
    expect(metadata).not.toHaveProperty('traceId');
    expect(metadata).not.toHaveProperty('traceparent');
    expect(metadata?.correlationId).toBe(metadata?.requestId);
  });
});
