import { call, type RegistryServer, startRegistryServer } from '../support/registry-server';
import { until } from '../support/until';

// The admin routes the console calls: what `cli projections`, `cli relay` and `cli verify` do, over HTTP.

let server: RegistryServer;
let admin: string;

beforeAll(async () => {
  server = await startRegistryServer();
  admin = server.token('admin');
}, 120_000);

afterAll(() => server?.close());

interface ProjectionAnswer {
  name: string;
  status: string;
  position: string;
  stopReason: string | null;
}
const projection = async (name: string): Promise<ProjectionAnswer> => {
  const reply = await call(server, 'GET', '/v1/admin/projections', { token: admin });
  expect(reply.status).toBe(200);
  return (reply.body.projections as ProjectionAnswer[]).find((p) => p.name === name)!;
};
const organization = (name: string) => ({
  name,
  level: 'committee',
  form: 'regional',
  regionCode: '310115',
  unitIds: [],
  establishedOn: '2010-01-01',
});

describe('admin routes', () => {
  it('answer only admins: 401 without a token, 403 for other roles', async () => {
    expect((await call(server, 'GET', '/v1/admin/projections', { token: null })).status).toBe(401);
    for (const role of ['registrar', 'auditor', 'reporter', 'integrator'] as const) {
      const reply = await call(server, 'POST', '/v1/admin/projections/hierarchy/retry', { token: server.token(role) });
      expect({ role, status: reply.status }).toEqual({ role, status: 403 });
    }
    expect((await call(server, 'POST', '/v1/admin/verify', { token: server.token('auditor') })).status).toBe(403);
  });

  it('stop pauses a projection until retried; the log goes on, the read model waits, then catches up', async () => {
    const stopped = await call(server, 'POST', '/v1/admin/projections/hierarchy/stop', {
      token: admin,
      body: { reason: 'a look at the tables' },
    });
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({
      name: 'hierarchy',
      status: 'stopped',
      stopReason: 'stopped by admin-tester: a look at the tables',
    });
    const again = await call(server, 'POST', '/v1/admin/projections/hierarchy/stop', {
      token: admin,
      body: { reason: 'twice' },
    });
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe('projection hierarchy is already stopped');

    const stoppedAt = (await projection('hierarchy')).position;
    const created = await call(server, 'POST', '/v1/organizations', { body: organization('暂停期间成立的党委') });
    expect(created.status).toBe(201);
    await until(
      async () => BigInt((await projection('coverage')).position) >= BigInt(created.body.position as string),
      10_000,
      'the coverage projection to pass the new organisation',
    );
    expect((await projection('hierarchy')).position).toBe(stoppedAt); // a sibling moved on; this one did not

    // No event failed, so there is nothing to skip.
    const skip = await call(server, 'POST', '/v1/admin/projections/hierarchy/skip', {
      token: admin,
      body: { position: stoppedAt },
    });
    expect(skip.status).toBe(409);
    expect(skip.body.detail).toBe('projection hierarchy has not stopped on a failure');

    const retried = await call(server, 'POST', '/v1/admin/projections/hierarchy/retry', { token: admin });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'running', stopReason: null });
    await until(
      async () => BigInt((await projection('hierarchy')).position) >= BigInt(created.body.position as string),
      10_000,
      'the retried hierarchy projection to catch up',
    );
    const roots = await call(server, 'GET', `/v1/organizations?minPosition=${created.body.position as string}`, {
      token: admin,
    });
    expect(roots.body.roots).toContain(created.body.id);
  });

  it('refuses an unknown projection (404) and a bad body, naming the field (400)', async () => {
    const unknown = await call(server, 'POST', '/v1/admin/projections/nonsense/retry', { token: admin });
    expect(unknown.status).toBe(404);
    const noReason = await call(server, 'POST', '/v1/admin/projections/coverage/stop', { token: admin, body: {} });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    const badPosition = await call(server, 'POST', '/v1/admin/projections/coverage/skip', {
      token: admin,
      body: { position: '-1' },
    });
    expect(badPosition.status).toBe(400);
    expect(badPosition.body.errors).toEqual([expect.objectContaining({ field: 'position' })]);
    expect((await projection('coverage')).status).toBe('running'); // nothing changed
  });

  it('rebuilds a projection in the background, with progress, and the next generation goes live', async () => {
    const before = (await call(server, 'GET', '/v1/admin/projections', { token: admin })).body.projections as {
      name: string;
      generation: number;
    }[];
    const started = await call(server, 'POST', '/v1/admin/projections/dues/rebuild', { token: admin });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ projection: 'dues', state: 'running', startedBy: 'admin-tester' });
    type Job = { projection: string; state: string; generation: number | null; error: string | null };
    let job: Job | undefined;
    await until(
      async () => {
        const reply = await call(server, 'GET', '/v1/admin/rebuilds', { token: admin });
        job = (reply.body.rebuilds as Job[]).find((j) => j.projection === 'dues');
        return job?.state !== 'running';
      },
      30_000,
      'the rebuild of dues to finish',
    );
    const previous = before.find((p) => p.name === 'dues')!.generation;
    expect(job).toMatchObject({ state: 'done', generation: previous + 1, error: null });
    const after = await projection('dues');
    expect(after).toMatchObject({ status: 'running' });
    expect((after as unknown as { generation: number }).generation).toBe(previous + 1);
    expect((await call(server, 'POST', '/v1/admin/projections/nonsense/rebuild', { token: admin })).status).toBe(404);
  });

  it('lists relays (none without Kafka) and verifies the log', async () => {
    const relays = await call(server, 'GET', '/v1/admin/relays', { token: admin });
    expect(relays.status).toBe(200);
    expect(relays.body).toEqual({ relays: [] });
    const verified = await call(server, 'POST', '/v1/admin/verify', { token: admin });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ ok: true, brokenLinks: [] });
    expect(verified.body.eventsChecked).toBeGreaterThan(0);
  });

  it('GET /v1/organizations: a scoped token sees its own organisation as the only root', async () => {
    const created = await call(server, 'POST', '/v1/organizations', { body: organization('范围内的党委') });
    const scoped = server.token('reporter', 'scoped-reporter', created.body.id as string);
    const roots = await call(server, 'GET', '/v1/organizations', { token: scoped });
    expect(roots.status).toBe(200);
    expect(roots.body.roots).toEqual([created.body.id]);
  });
});
