import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { creditCode } from '../support/identifiers';
import { call, type RegistryServer, startRegistryServer } from '../support/registry-server';

// Tokens signed with the right secret, for the right issuer and audience, that must still be refused.

let server: RegistryServer;

beforeAll(async () => (server = await startRegistryServer()));
afterAll(async () => server.close());

const HOUR = 3600;
const now = () => Math.floor(Date.now() / 1000);

/** A registrar's token signed with the server's own secret, with exactly these claims besides sub and roles. */
function signed(claims: Record<string, unknown>): string {
  const secret = server.config.JWT_SECRET;
  if (!secret) throw new Error('the e2e server runs with a JWT_SECRET');
  return jwt.sign({ roles: ['registrar'], ...claims }, secret, {
    algorithm: 'HS256',
    subject: 'registrar-tester',
    issuer: server.config.JWT_ISSUER,
    audience: server.config.JWT_AUDIENCE,
    noTimestamp: !('iat' in claims),
  });
}

let serial = 700_000;
const nextSerial = () => ++serial;

const unitBody = () => ({
  name: 'Zhangjiang Robotics Co., Ltd.',
  creditCode: creditCode(nextSerial()),
  kind: 'enterprise',
  regionCode: '310115',
  industry: 'software',
  buildingId: 'zhangjiang-hi-tech-tower-1',
  employeeCount: 80,
  registeredOn: '2019-06-01',
});

describe('bearer tokens the registry refuses (401, nothing written)', () => {
  const cases: { name: string; token: () => string }[] = [
    { name: 'no exp', token: () => signed({ iat: now() }) },
    { name: 'exp a century ahead', token: () => signed({ iat: now(), exp: now() + 100 * 366 * 24 * HOUR }) },
    { name: 'exp a century ahead, no iat', token: () => signed({ exp: now() + 100 * 366 * 24 * HOUR }) },
    { name: 'iat a year ahead', token: () => signed({ iat: now() + 366 * 24 * HOUR, exp: now() + 367 * 24 * HOUR }) },
    { name: 'nbf two minutes ahead', token: () => signed({ nbf: now() + 120, exp: now() + HOUR }) },
    { name: 'scope as an array', token: () => signed({ exp: now() + HOUR, scope: [randomUUID()] }) },
    { name: 'scope ""', token: () => signed({ exp: now() + HOUR, scope: '' }) },
    { name: 'scope a number', token: () => signed({ exp: now() + HOUR, scope: 42 }) },
    { name: 'scope not a UUID', token: () => signed({ exp: now() + HOUR, scope: 'pudong' }) },
  ];

  it.each(cases)('$name → 401 with a problem, on a write and on a read', async ({ token }) => {
    const before = await server.eventCount();
    const write = await call(server, 'POST', '/v1/units', { body: unitBody(), token: token() });
    const read = await call(server, 'GET', '/v1/reports/transfers', { token: token() });
    for (const reply of [write, read]) {
      expect({ status: reply.status, type: reply.body.type }).toEqual({
        status: 401,
        type: expect.stringMatching(/unauthenticated$/),
      });
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(reply.body).toMatchObject({ status: 401, title: expect.any(String) });
    }
    expect(await server.eventCount()).toBe(before);
  });

  it('still accepts the same tokens made well: exp within a day, iat within the clock skew, scope one UUID', async () => {
    const fine = [
      signed({ iat: now(), exp: now() + 24 * HOUR }),
      signed({ exp: now() + HOUR }),
      signed({ iat: now() + 30, exp: now() + HOUR }),
    ];
    for (const token of fine) {
      expect((await call(server, 'POST', '/v1/units', { body: unitBody(), token })).status).toBe(201);
    }
    const scoped = signed({ exp: now() + HOUR, scope: randomUUID() });
    expect((await call(server, 'GET', '/v1/reports/transfers', { token: scoped })).status).not.toBe(401);
  });
});
