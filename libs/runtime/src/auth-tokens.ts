import { createPublicKey, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import jwt from 'jsonwebtoken';
import type { RegistryConfig } from '@registry/config';

export const ROLES = ['admin', 'registrar', 'auditor', 'reporter', 'integrator'] as const;
export type Role = (typeof ROLES)[number];

/** The caller, as the bearer token says. */
export interface Principal {
  readonly sub: string;
  readonly roles: readonly Role[];
  /** An organisation id: the caller acts inside that organisation's subtree only. */
  readonly scope?: string;
}

export class InvalidToken extends Error {
  override readonly name = 'InvalidToken';
}

type AuthConfig = Pick<
  RegistryConfig,
  'JWT_SECRET' | 'JWKS_URL' | 'JWT_ISSUER' | 'JWT_AUDIENCE' | 'JWT_MAX_LIFETIME_HOURS' | 'DATA_DIR'
>;

/** How far ahead of this clock the issuer's clock may run (`iat`, `nbf`). */
const CLOCK_SKEW_SECONDS = 60;
const DEFAULT_LIFETIME_SECONDS = 12 * 3600;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The embedded default's HS256 secret: generated once, kept with the data, readable by the owner only. */
export function loadOrCreateJwtSecret(path: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dirname(path), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

/** The HS256 secret (JWT_SECRET, else generated once into DATA_DIR): made here before several processes read it. */
export function sharedSecret(config: AuthConfig): string {
  return config.JWT_SECRET ?? loadOrCreateJwtSecret(join(config.DATA_DIR, 'jwt-secret.key'));
}

/** Mints a token for the embedded default (HS256); production tokens come from the identity provider. */
export function signToken(
  config: AuthConfig,
  principal: Principal,
  expiresInSeconds = Math.min(DEFAULT_LIFETIME_SECONDS, config.JWT_MAX_LIFETIME_HOURS * 3600),
): string {
  if (config.JWKS_URL && !config.JWT_SECRET) {
    throw new Error('tokens are verified against JWKS_URL: mint them with the identity provider that owns those keys');
  }
  if (expiresInSeconds > config.JWT_MAX_LIFETIME_HOURS * 3600) {
    throw new Error(`a token may live at most JWT_MAX_LIFETIME_HOURS (${config.JWT_MAX_LIFETIME_HOURS}) hours`);
  }
  return jwt.sign(
    { roles: principal.roles, ...(principal.scope ? { scope: principal.scope } : {}) },
    sharedSecret(config),
    {
      algorithm: 'HS256',
      subject: principal.sub,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      expiresIn: expiresInSeconds,
    },
  );
}

/** jsonwebtoken checks `exp` when present and `iss`/`aud`; this adds what it leaves optional or unchecked. */
function checkTimes(payload: jwt.JwtPayload, maxLifetimeHours: number, nowSeconds: number): void {
  const { exp, iat, nbf } = payload;
  if (typeof exp !== 'number') throw new InvalidToken('the token has no expiry (exp)');
  for (const [claim, value] of [
    ['iat', iat],
    ['nbf', nbf],
  ] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new InvalidToken(`the token's ${claim} is not a time`);
    if (value > nowSeconds + CLOCK_SKEW_SECONDS) throw new InvalidToken(`the token's ${claim} lies in the future`);
  }
  const lifetimeSeconds = exp - (iat ?? nowSeconds);
  if (lifetimeSeconds > maxLifetimeHours * 3600) {
    throw new InvalidToken(`the token lives longer than ${maxLifetimeHours} hours (JWT_MAX_LIFETIME_HOURS)`);
  }
}

function principalFrom(payload: jwt.JwtPayload): Principal {
  const roles = Array.isArray(payload.roles) ? payload.roles : [];
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new InvalidToken('the token has no subject');
  const known = roles.filter((role): role is Role => (ROLES as readonly unknown[]).includes(role));
  if (known.length === 0) throw new InvalidToken(`the token has none of the roles ${ROLES.join(', ')}`);
  const scope: unknown = payload.scope;
  if (scope === undefined) return { sub: payload.sub, roles: known };
  // A malformed scope must not read as "no scope", which would widen the caller to everything.
  if (typeof scope !== 'string' || !UUID.test(scope)) {
    throw new InvalidToken("the token's scope is not an organisation id (one UUID)");
  }
  return { sub: payload.sub, roles: known, scope };
}

const JWKS_REFRESH_MS = 30_000;

/** RS256 keys from a JSON Web Key Set, fetched again (at most every 30 s) when an unknown `kid` appears. */
class JwksKeys {
  private keys = new Map<string, KeyObject>();
  private fetchedAt = 0;

  constructor(private readonly url: string) {}

  async key(kid: string | undefined): Promise<KeyObject> {
    const id = kid ?? '';
    if (!this.keys.has(id) && Date.now() - this.fetchedAt > JWKS_REFRESH_MS) await this.refresh();
    const key =
      this.keys.get(id) ?? (kid === undefined && this.keys.size === 1 ? [...this.keys.values()][0] : undefined);
    if (!key) throw new InvalidToken(`no signing key ${kid ?? '(without kid)'} in the key set`);
    return key;
  }

  private async refresh(): Promise<void> {
    this.fetchedAt = Date.now();
    const response = await fetch(this.url, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new InvalidToken(`the key set answered ${response.status}`);
    const body = (await response.json()) as {
      keys?: (Record<string, unknown> & { kid?: string; kty?: string; use?: string })[];
    };
    const keys = new Map<string, KeyObject>();
    for (const jwk of body.keys ?? []) {
      if (jwk.kty !== 'RSA' || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
      keys.set(jwk.kid ?? '', createPublicKey({ key: jwk, format: 'jwk' }));
    }
    this.keys = keys;
  }
}

/** HS256 with the shared secret, or RS256 against JWKS_URL when that is configured. */
export class TokenVerifier {
  /** The secret is a KeyObject made once: jsonwebtoken would otherwise build one from the string on every call. */
  private readonly keys:
    | { readonly algorithm: 'RS256'; readonly jwks: JwksKeys }
    | { readonly algorithm: 'HS256'; readonly secret: KeyObject };

  constructor(private readonly config: AuthConfig) {
    this.keys = config.JWKS_URL
      ? { algorithm: 'RS256', jwks: new JwksKeys(config.JWKS_URL) }
      : { algorithm: 'HS256', secret: createSecretKey(Buffer.from(sharedSecret(config), 'utf8')) };
  }

  async verify(token: string): Promise<Principal> {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === 'string') throw new InvalidToken('the bearer token is not a JWT');
    const key = this.keys.algorithm === 'RS256' ? await this.keys.jwks.key(decoded.header.kid) : this.keys.secret;
    try {
      const payload = jwt.verify(token, key, {
        algorithms: [this.keys.algorithm],
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
        // checkTimes refuses `nbf` only beyond the allowed clock skew.
        ignoreNotBefore: true,
      });
      if (typeof payload === 'string') throw new InvalidToken('the token payload is not an object');
      checkTimes(payload, this.config.JWT_MAX_LIFETIME_HOURS, Math.floor(Date.now() / 1000));
      return principalFrom(payload);
    } catch (error) {
      if (error instanceof InvalidToken) throw error;
      throw new InvalidToken(error instanceof Error ? error.message : 'the token could not be verified');
    }
  }
}
