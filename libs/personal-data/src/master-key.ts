import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The registry's master key (32 bytes). It never encrypts data itself: HKDF derives one key for
 * wrapping the per-member data keys and one for the resident-ID fingerprints, so neither use can
 * be turned against the other.
 */
export class MasterKey {
  readonly wrappingKey: Buffer;
  /** Names the key without revealing it (HKDF, a third derivation): recorded in the database. */
  readonly id: string;
  private readonly fingerprintKey: Buffer;

  private constructor(secret: Buffer) {
    if (secret.length !== 32) throw new RangeError('the master key must be 32 bytes');
    this.wrappingKey = Buffer.from(
      hkdfSync('sha256', secret, Buffer.alloc(0), 'liangxin-registry member-key wrapping', 32),
    );
    this.fingerprintKey = Buffer.from(
      hkdfSync('sha256', secret, Buffer.alloc(0), 'liangxin-registry resident-id fingerprint', 32),
    );
    this.id = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'liangxin-registry master key id', 8)).toString(
      'hex',
    );
  }

  static fromBase64(encoded: string): MasterKey {
    return new MasterKey(Buffer.from(encoded.trim(), 'base64'));
  }

  static generate(): MasterKey {
    return new MasterKey(randomBytes(32));
  }

  /** A new key and its file text (base64), for a rotation. */
  static generateEncoded(): { key: MasterKey; encoded: string } {
    const encoded = randomBytes(32).toString('base64');
    return { key: MasterKey.fromBase64(encoded), encoded };
  }

  /**
   * A keyed hash of a resident ID number for uniqueness checks: equal numbers give equal
   * fingerprints, and without the master key a fingerprint cannot be tested against guesses.
   */
  residentIdFingerprint(idNumber: string): string {
    return createHmac('sha256', this.fingerprintKey).update(idNumber.trim().toUpperCase(), 'utf8').digest('hex');
  }
}

/** Reads the master key file, creating it (mode 0600) with a fresh key when it does not exist. */
export function loadOrCreateMasterKeyFile(path: string): MasterKey {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return MasterKey.fromBase64(readFileSync(path, 'utf8'));
}
