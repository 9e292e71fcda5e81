import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { canonicalJson } from './hash-chain';

/**
 * Signed anchors (ADR 0014): the log as of a position, summed up in one hash over every stream's
 * head and signed with an Ed25519 key, kept outside the database. Someone who rewrites an event and
 * recomputes its stream's chain changes that stream's head hash, so the log no longer matches.
 */
export const ANCHOR_FORMAT = 'liangxin-registry-anchor/1';

/** The log as of `position`: what an anchor signs. */
export interface LogHead {
  readonly position: bigint;
  readonly streams: number;
  readonly events: number;
  /** Hex SHA-256 over every stream's last event at or before `position` ({@link HeadsHash}). */
  readonly headsHash: string;
}

export interface StreamHead {
  readonly streamId: string;
  readonly version: number;
  /** The stored chain hash of the stream's last event at or before the position. */
  readonly hash: Buffer;
}

/**
 * SHA-256 over each stream head as `uint32 length of the UTF-8 stream id ‖ stream id ‖ int64
 * version ‖ 32-byte hash`, streams in UTF-8 byte order (PostgreSQL's `COLLATE "C"`), so the same
 * log gives the same bytes whatever the database's collation. Fed page by page.
 */
export class HeadsHash {
  private readonly hash = createHash('sha256').update(ANCHOR_FORMAT);
  private previous: Buffer | undefined;
  private count = 0;

  add(head: StreamHead): void {
    const id = Buffer.from(head.streamId, 'utf8');
    if (this.previous && Buffer.compare(this.previous, id) >= 0)
      throw new Error(`stream heads out of order: ${head.streamId} after ${this.previous.toString('utf8')}`);
    if (head.hash.length !== 32) throw new Error(`stream ${head.streamId}: a head hash must have 32 bytes`);
    const fixed = Buffer.alloc(12);
    fixed.writeUInt32BE(id.length, 0);
    fixed.writeBigInt64BE(BigInt(head.version), 4);
    this.hash.update(fixed.subarray(0, 4)).update(id).update(fixed.subarray(4)).update(head.hash);
    this.previous = id;
    this.count += 1;
  }

  get streams(): number {
    return this.count;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

export interface Anchor {
  readonly format: typeof ANCHOR_FORMAT;
  /** The global position of the log head, decimal. */
  readonly position: string;
  readonly streams: number;
  readonly events: number;
  readonly headsHash: string;
  /** ISO 8601, UTC. */
  readonly anchoredAt: string;
  /** Hex SHA-256 of the signing key's public key (SPKI DER). */
  readonly keyId: string;
  /** The public key, base64 SPKI DER: enough to check the signature, not to trust it ({@link checkAnchorSignature}). */
  readonly publicKey: string;
  /** Base64 Ed25519 signature over {@link signedBytes}. */
  readonly signature: string;
}

/** What is signed: the canonical JSON of every field but the signature and the key itself (its id is in). */
export function signedBytes(anchor: Omit<Anchor, 'signature' | 'publicKey'>): Buffer {
  const { format, position, streams, events, headsHash, anchoredAt, keyId } = anchor;
  return Buffer.from(canonicalJson({ format, position, streams, events, headsHash, anchoredAt, keyId }), 'utf8');
}

export function generateAnchorKey(): KeyObject {
  return generateKeyPairSync('ed25519').privateKey;
}

export function anchorKeyToPem(privateKey: KeyObject): string {
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export function publicKeyToPem(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** A PKCS #8 PEM Ed25519 private key; throws when it is anything else. */
export function anchorKeyFromPem(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`an anchor key must be Ed25519, not ${key.asymmetricKeyType}`);
  return key;
}

/** A public key as PEM (what `cli anchor --public-key` prints) or as base64 SPKI DER (an anchor's `publicKey`). */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----BEGIN')
    ? createPublicKey(trimmed)
    : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`an anchor key must be Ed25519, not ${key.asymmetricKeyType}`);
  return key;
}

export function publicKeyId(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

export function signAnchor(head: LogHead, anchoredAt: Date, privateKey: KeyObject): Anchor {
  const publicKey = createPublicKey(privateKey);
  const unsigned = {
    format: ANCHOR_FORMAT,
    position: head.position.toString(),
    streams: head.streams,
    events: head.events,
    headsHash: head.headsHash,
    anchoredAt: anchoredAt.toISOString(),
    keyId: publicKeyId(publicKey),
  } as const;
  return {
    ...unsigned,
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    signature: sign(null, signedBytes(unsigned), privateKey).toString('base64'),
  };
}

/**
 * Why the anchor's signature does not hold, or undefined when it does. With `trusted`, the anchor
 * must be signed by that key; without, by the key it carries (which proves only that the line is
 * whole: whoever rewrote the log could have signed a new line with a key of their own).
 */
export function checkAnchorSignature(anchor: Anchor, trusted?: KeyObject): string | undefined {
  let carried: KeyObject;
  try {
    carried = parsePublicKey(anchor.publicKey);
  } catch {
    return 'its publicKey is not an Ed25519 public key';
  }
  if (publicKeyId(carried) !== anchor.keyId) return 'its keyId is not the fingerprint of its publicKey';
  const key = trusted ?? carried;
  if (trusted && publicKeyId(trusted) !== anchor.keyId) return `signed by key ${anchor.keyId}, not by the trusted key`;
  const signature = Buffer.from(anchor.signature, 'base64');
  return verify(null, signedBytes(anchor), key, signature) ? undefined : 'the signature does not match its contents';
}

/** How the log as of the anchor's position differs from the anchor, or undefined when it matches. */
export function compareWithLog(anchor: Anchor, log: LogHead): string | undefined {
  const differences: string[] = [];
  if (log.headsHash !== anchor.headsHash) differences.push('the stream heads hash differs');
  if (log.streams !== anchor.streams) differences.push(`${log.streams} streams where ${anchor.streams} were anchored`);
  if (log.events !== anchor.events) differences.push(`${log.events} events where ${anchor.events} were anchored`);
  return differences.length === 0
    ? undefined
    : `the log as of position ${anchor.position} no longer matches: ${differences.join('; ')}`;
}

const HEX64 = /^[0-9a-f]{64}$/;
const POSITION = /^(0|[1-9]\d{0,18})$/;

/** Parses one anchor line; throws naming the first field that is missing or wrong. */
export function parseAnchor(line: string): Anchor {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error('not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
  const record = value as Record<string, unknown>;
  const text = (field: keyof Anchor, pattern?: RegExp): string => {
    const member = record[field];
    if (typeof member !== 'string' || (pattern && !pattern.test(member)))
      throw new Error(`${field} is missing or malformed`);
    return member;
  };
  const count = (field: keyof Anchor): number => {
    const member = record[field];
    if (typeof member !== 'number' || !Number.isSafeInteger(member) || member < 0)
      throw new Error(`${field} is missing or malformed`);
    return member;
  };
  if (record.format !== ANCHOR_FORMAT) throw new Error(`format is not ${ANCHOR_FORMAT}`);
  const anchoredAt = text('anchoredAt');
  if (Number.isNaN(Date.parse(anchoredAt))) throw new Error('anchoredAt is missing or malformed');
  return {
    format: ANCHOR_FORMAT,
    position: text('position', POSITION),
    streams: count('streams'),
    events: count('events'),
    headsHash: text('headsHash', HEX64),
    anchoredAt,
    keyId: text('keyId', HEX64),
    publicKey: text('publicKey'),
    signature: text('signature'),
  };
}

export function formatAnchorLine(anchor: Anchor): string {
  return `${JSON.stringify(anchor)}\n`;
}

export type AnchorLine =
  { readonly line: number; readonly anchor: Anchor } | { readonly line: number; readonly problem: string };

export interface AnchorFileContents {
  readonly lines: readonly AnchorLine[];
  /** A last line without its newline: cut short by a crash while it was written, and not counted. */
  readonly tornLastLine: boolean;
}

/** Every line of an anchor file (JSON lines), each an anchor or the reason it is not one. */
export function parseAnchorFile(text: string): AnchorFileContents {
  const lines = text.split('\n');
  const unterminated = lines.pop() ?? '';
  const parsed: AnchorLine[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      parsed.push({ line: index + 1, anchor: parseAnchor(line) });
    } catch (error) {
      parsed.push({ line: index + 1, problem: error instanceof Error ? error.message : String(error) });
    }
  });
  return { lines: parsed, tornLastLine: unterminated.trim() !== '' };
}

/**
 * Whether the schedule should anchor now: no anchor yet or the last is at least `intervalHours`
 * old, and the log has moved since (an anchor of the same position would add nothing).
 */
export function anchorDue(
  last: Pick<Anchor, 'anchoredAt' | 'position'> | undefined,
  headPosition: bigint,
  now: Date,
  intervalHours: number,
): boolean {
  if (intervalHours <= 0) return false;
  if (last && BigInt(last.position) === headPosition) return false;
  if (!last) return headPosition > 0n;
  return now.getTime() - Date.parse(last.anchoredAt) >= intervalHours * 3_600_000;
}
