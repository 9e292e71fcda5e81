import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { InvalidToken, signToken, TokenVerifier } from './auth-tokens';

const base = {
  JWT_ISSUER: 'liangxin-registry',
  JWT_AUDIENCE: 'liangxin-registry',
  JWKS_URL: undefined,
  JWT_SECRET: undefined,
};

describe('bearer tokens, HS256 (the embedded default)', () => {
  const config = { ...base, DATA_DIR: mkdtempSync(join(tmpdir(), 'registry-tokens-')) };

  it('verifies what the CLI mints, with roles and scope', async () => {
    const token = signToken(config, { sub: 'zhang.wei', roles: ['registrar'], scope: 'org-1' });
    await expect(new TokenVerifier(config).verify(token)).resolves.toEqual({
      sub: 'zhang.wei',
      roles: ['registrar'],
      scope: 'org-1',
    });
  });

  it('refuses another secret, another audience, an expired token and a token without known roles', async () => {
    const verifier = new TokenVerifier(config);
    const foreign = signToken({ ...config, JWT_SECRET: 'x'.repeat(40) }, { sub: 'a', roles: ['admin'] });
    await expect(verifier.verify(foreign)).rejects.toThrow(InvalidToken);
    const otherAudience = signToken({ ...config, JWT_AUDIENCE: 'elsewhere' }, { sub: 'a', roles: ['admin'] });
    await expect(verifier.verify(otherAudience)).rejects.toThrow(/audience/);
    const expired = signToken(config, { sub: 'a', roles: ['admin'] }, -10);
    await expect(verifier.verify(expired)).rejects.toThrow(/expired/);
    const roleless = signToken(config, { sub: 'a', roles: ['janitor' as never] });
    await expect(verifier.verify(roleless)).rejects.toThrow(/none of the roles/);
    await expect(verifier.verify('not.a.jwt')).rejects.toThrow(InvalidToken);
  });

  it('refuses an unsigned token', async () => {
    const unsigned = jwt.sign({ roles: ['admin'] }, '', {
      algorithm: 'none',
      subject: 'a',
      issuer: base.JWT_ISSUER,
      audience: base.JWT_AUDIENCE,
    });
    await expect(new TokenVerifier(config).verify(unsigned)).rejects.toThrow(InvalidToken);
  });
});

describe('bearer tokens, RS256 against a JWKS URL (production)', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' };
    server = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const sign = (kid: string, key = privateKey) =>
    jwt.sign({ roles: ['auditor'] }, key, {
      algorithm: 'RS256',
      keyid: kid,
      subject: 'li.na',
      issuer: base.JWT_ISSUER,
      audience: base.JWT_AUDIENCE,
    });

  it('verifies a token signed by a key of the set', async () => {
    const verifier = new TokenVerifier({ ...base, JWKS_URL: url, DATA_DIR: '/nonexistent' });
    await expect(verifier.verify(sign('k1'))).resolves.toEqual({ sub: 'li.na', roles: ['auditor'] });
  });

  it('refuses an unknown key id, a key not in the set, and an HS256 token', async () => {
    const verifier = new TokenVerifier({ ...base, JWKS_URL: url, DATA_DIR: '/nonexistent' });
    await expect(verifier.verify(sign('k2'))).rejects.toThrow(/no signing key k2/);
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    await expect(verifier.verify(sign('k1', stranger))).rejects.toThrow(/signature/);
    const hs = jwt.sign({ roles: ['admin'] }, 'x'.repeat(40), {
      keyid: 'k1',
      subject: 'a',
      issuer: base.JWT_ISSUER,
      audience: base.JWT_AUDIENCE,
    });
    await expect(verifier.verify(hs)).rejects.toThrow(InvalidToken);
  });
});
