import { createHash, hash } from 'node:crypto';
import type { JsonValue } from './event-store';

/**
 * Canonical JSON: object keys sorted by code unit, no insignificant white space, numbers and
 * strings as JSON.stringify writes them. The same value always encodes to the same bytes,
 * whichever store returned it (PostgreSQL's jsonb reorders keys, EventStoreDB keeps them).
 */
export function canonicalJson(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('non-finite numbers have no JSON form');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      break;
  }
  // A hot path (every appended event, every verified one): plain loops, no intermediate arrays.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += canonicalJson(value[i] as JsonValue);
    }
    return `${out}]`;
  }
  const record = value as { readonly [key: string]: JsonValue | undefined };
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

export interface EventContent {
  readonly streamId: string;
  readonly id: string;
  readonly type: string;
  readonly data: JsonValue;
  readonly metadata: JsonValue;
}

/** SHA-256 of the event's content; the writer computes it, the store chains it. */
export function contentDigest(event: EventContent): Buffer {
  const encoded = canonicalJson([event.streamId, event.id.toLowerCase(), event.type, event.data, event.metadata]);
  return hash('sha256', encoded, 'buffer');
}

export const GENESIS_HASH = Buffer.alloc(32);

export interface ChainLink {
  readonly digest: Buffer;
  readonly streamVersion: number;
  readonly position: bigint;
  readonly recordedAtMicros: bigint;
}

function int64(value: bigint): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigInt64BE(value);
  return buffer;
}

/**
 * hash = SHA-256(previous hash ‖ content digest ‖ int64 version ‖ int64 position ‖ int64 recorded-at µs).
 * The PostgreSQL append function computes the same bytes with sha256() and int8send().
 */
export function chainHash(previousHash: Buffer, link: ChainLink): Buffer {
  return createHash('sha256')
    .update(previousHash)
    .update(link.digest)
    .update(int64(BigInt(link.streamVersion)))
    .update(int64(link.position))
    .update(int64(link.recordedAtMicros))
    .digest();
}
