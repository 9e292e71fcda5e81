import { createHmac, generateKeyPairSync } from 'node:crypto';
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
  JWT_MAX_LIFETIME_HOURS: 24,
};

describe('bearer tokens, HS256 (the embedded default)', () => {
  const config = { ...base, DATA_DIR: mkdtempSync(join(tmpdir(), 'registry-tokens-')) };

  it('verifies what the CLI mints, with roles and scope', async () => {
    const scope = '0b9c7a4e-5d21-4c8e-9f3a-2e6d1b7c8a90';
    const token = signToken(config, { sub: 'zhang.wei', roles: ['registrar'], scope });
    await expect(new TokenVerifier(config).verify(token)).resolves.toEqual({
      sub: 'zhang.wei',
      roles: ['registrar'],
      scope,
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

  describe('times and scope', () => {
    const secret = 'pudong-district-committee-signing-secret';
    const withSecret = { ...config, JWT_SECRET: secret };
    const verifier = new TokenVerifier(withSecret);
    const now = () => Math.floor(Date.now() / 1000);
    const HOUR = 3600;
    /** A registrar's token with exactly these claims besides sub, roles, iss and aud, signed by hand: jsonwebtoken would not mint malformed times. */
    const raw = (claims: Record<string, unknown>) => {
      const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const payload = {
        sub: 'zhang.wei',
        roles: ['registrar'],
        iss: base.JWT_ISSUER,
        aud: base.JWT_AUDIENCE,
        ...claims,
      };
      const signed = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
      return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
    };

    it('accepts a token that lives up to JWT_MAX_LIFETIME_HOURS, with or without iat', async () => {
      await expect(verifier.verify(raw({ iat: now(), exp: now() + 24 * HOUR }))).resolves.toMatchObject({
        sub: 'zhang.wei',
      });
      await expect(verifier.verify(raw({ exp: now() + 24 * HOUR - 5 }))).resolves.toMatchObject({ sub: 'zhang.wei' });
      // Issued an hour ago for a day: within the limit from iat.
      await expect(verifier.verify(raw({ iat: now() - HOUR, exp: now() + 23 * HOUR }))).resolves.toMatchObject({
        sub: 'zhang.wei',
      });
    });

    it('refuses a token without exp', async () => {
      await expect(verifier.verify(raw({ iat: now() }))).rejects.toThrow(/no expiry/);
      await expect(verifier.verify(raw({ iat: now(), exp: 'tomorrow' }))).rejects.toThrow(InvalidToken);
    });

    it('refuses a token that lives longer than JWT_MAX_LIFETIME_HOURS', async () => {
      const century = 100 * 366 * 24 * HOUR;
      await expect(verifier.verify(raw({ iat: now(), exp: now() + century }))).rejects.toThrow(/longer than 24 hours/);
      await expect(verifier.verify(raw({ exp: now() + century }))).rejects.toThrow(/longer than 24 hours/);
      await expect(verifier.verify(raw({ iat: now() - 30 * HOUR, exp: now() + HOUR }))).rejects.toThrow(
        /longer than 24 hours/,
      );
      const strict = new TokenVerifier({ ...withSecret, JWT_MAX_LIFETIME_HOURS: 1 });
      await expect(strict.verify(raw({ iat: now(), exp: now() + 2 * HOUR }))).rejects.toThrow(/longer than 1 hours/);
    });

    it('refuses iat or nbf in the future beyond 60 s of clock skew, and accepts them within it', async () => {
      const year = 366 * 24 * HOUR;
      await expect(verifier.verify(raw({ iat: now() + year, exp: now() + year + HOUR }))).rejects.toThrow(
        /iat lies in the future/,
      );
      await expect(verifier.verify(raw({ iat: now() + 120, exp: now() + HOUR }))).rejects.toThrow(
        /iat lies in the future/,
      );
      await expect(verifier.verify(raw({ nbf: now() + 120, exp: now() + HOUR }))).rejects.toThrow(
        /nbf lies in the future/,
      );
      await expect(verifier.verify(raw({ iat: 'now', exp: now() + HOUR }))).rejects.toThrow(/iat is not a time/);
      await expect(
        verifier.verify(raw({ iat: now() + 30, nbf: now() + 30, exp: now() + HOUR })),
      ).resolves.toMatchObject({ sub: 'zhang.wei' });
    });

    it('refuses a scope that is not a single UUID instead of reading it as no scope', async () => {
      const exp = now() + HOUR;
      const district = '7d1f3c2a-9b4e-4f6a-8c5d-1e2f3a4b5c6d';
      for (const scope of [[district], '', 42, 'pudong', null, { id: district }]) {
        await expect(verifier.verify(raw({ exp, scope }))).rejects.toThrow(/scope is not an organisation id/);
      }
      await expect(verifier.verify(raw({ exp, scope: district }))).resolves.toEqual({
        sub: 'zhang.wei',
        roles: ['registrar'],
        scope: district,
      });
      await expect(verifier.verify(raw({ exp }))).resolves.toEqual({ sub: 'zhang.wei', roles: ['registrar'] });
    });

    it('mints within JWT_MAX_LIFETIME_HOURS only', () => {
      expect(() => signToken(withSecret, { sub: 'a', roles: ['admin'] }, 25 * HOUR)).toThrow(/at most/);
      const short = { ...withSecret, JWT_MAX_LIFETIME_HOURS: 2 };
      const payload = jwt.decode(signToken(short, { sub: 'a', roles: ['admin'] })) as jwt.JwtPayload;
      expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(2 * HOUR);
    });
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
      expiresIn: '1h',
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
