import { createHash, createPublicKey } from 'node:crypto';
import {
  ANCHOR_FORMAT,
  anchorDue,
  checkAnchorSignature,
  compareWithLog,
  formatAnchorLine,
  generateAnchorKey,
  HeadsHash,
  type LogHead,
  parseAnchor,
  parseAnchorFile,
  parsePublicKey,
  publicKeyId,
  publicKeyToPem,
  signAnchor,
  signedBytes,
} from './anchors';

const head = (streamId: string, version: number, seed: string) => ({
  streamId,
  version,
  hash: createHash('sha256').update(seed).digest(),
});

function headsHashOf(heads: readonly ReturnType<typeof head>[]): string {
  const hash = new HeadsHash();
  for (const h of heads) hash.add(h);
  return hash.digest();
}

const branch = 'organization-6f1c2a4e-0b1d-4c3e-9a55-1f2e3d4c5b6a';
const member = 'member-0c9e8d7f-6a5b-4c3d-8e2f-1a2b3c4d5e6f';
const log: LogHead = {
  position: 1_234_567_890_123n,
  streams: 2,
  events: 5,
  headsHash: headsHashOf([head(member, 3, 'dues'), head(branch, 2, 'founded')]),
};

describe('HeadsHash', () => {
  it('changes when any stream head changes: its hash, its version or its id', () => {
    const original = headsHashOf([head(member, 3, 'dues'), head(branch, 2, 'founded')]);
    expect(headsHashOf([head(member, 3, 'rewritten dues'), head(branch, 2, 'founded')])).not.toBe(original);
    expect(headsHashOf([head(member, 4, 'dues'), head(branch, 2, 'founded')])).not.toBe(original);
    expect(headsHashOf([head(`${member}0`, 3, 'dues'), head(branch, 2, 'founded')])).not.toBe(original);
    expect(headsHashOf([head(branch, 2, 'founded')])).not.toBe(original);
    expect(headsHashOf([head(member, 3, 'dues'), head(branch, 2, 'founded')])).toBe(original);
  });

  it('refuses streams out of UTF-8 byte order, which is what PostgreSQL sorts with COLLATE "C"', () => {
    const hash = new HeadsHash();
    hash.add(head('member-b', 1, 'x'));
    expect(() => hash.add(head('member-a', 1, 'y'))).toThrow('stream heads out of order: member-a after member-b');
    // In UTF-16 code units U+1F600 (a surrogate pair) sorts before U+FF5E; in UTF-8 bytes, after it.
    const bytes = new HeadsHash();
    bytes.add(head('unit-\uff5e', 1, 'x'));
    expect(() => bytes.add(head('unit-\u{1f600}', 1, 'y'))).not.toThrow();
  });

  it('counts the streams it hashed', () => {
    const hash = new HeadsHash();
    hash.add(head(member, 1, 'a'));
    hash.add(head('unit-1', 1, 'b'));
    expect(hash.streams).toBe(2);
  });
});

describe('signed anchors', () => {
  const key = generateAnchorKey();
  const anchoredAt = new Date('2026-12-05T02:00:00.000Z');

  it('sign the log head with the key they carry, and check out with it and with the key pinned', () => {
    const anchor = signAnchor(log, anchoredAt, key);
    expect(anchor).toMatchObject({
      format: ANCHOR_FORMAT,
      position: '1234567890123',
      streams: 2,
      events: 5,
      headsHash: log.headsHash,
      anchoredAt: '2026-12-05T02:00:00.000Z',
      keyId: publicKeyId(createPublicKey(key)),
    });
    expect(checkAnchorSignature(anchor)).toBeUndefined();
    expect(checkAnchorSignature(anchor, parsePublicKey(publicKeyToPem(createPublicKey(key))))).toBeUndefined();
  });

  it('fail when a signed field was changed', () => {
    const anchor = signAnchor(log, anchoredAt, key);
    for (const changed of [
      { ...anchor, position: '1234567890124' },
      { ...anchor, headsHash: '0'.repeat(64) },
      { ...anchor, streams: 3 },
      { ...anchor, events: 4 },
      { ...anchor, anchoredAt: '2026-12-06T02:00:00.000Z' },
    ])
      expect(checkAnchorSignature(changed)).toBe('the signature does not match its contents');
  });

  it('fail against a pinned key when another key signed them, even with a valid signature', () => {
    const intruderKey = generateAnchorKey();
    const forged = signAnchor(log, anchoredAt, intruderKey);
    expect(checkAnchorSignature(forged)).toBeUndefined();
    expect(checkAnchorSignature(forged, createPublicKey(key))).toBe(
      `signed by key ${forged.keyId}, not by the trusted key`,
    );
  });

  it('fail when the carried key is not the one the key id names', () => {
    const anchor = signAnchor(log, anchoredAt, key);
    const other = signAnchor(log, anchoredAt, generateAnchorKey());
    expect(checkAnchorSignature({ ...anchor, publicKey: other.publicKey })).toBe(
      'its keyId is not the fingerprint of its publicKey',
    );
  });

  it('sign canonical JSON, so the order of fields in the line does not matter', () => {
    const anchor = signAnchor(log, anchoredAt, key);
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(anchor).reverse()))) as typeof anchor;
    expect(signedBytes(reordered).equals(signedBytes(anchor))).toBe(true);
    expect(signedBytes(anchor).toString()).toBe(
      `{"anchoredAt":"2026-12-05T02:00:00.000Z","events":5,"format":"${ANCHOR_FORMAT}","headsHash":"${log.headsHash}","keyId":"${anchor.keyId}","position":"1234567890123","streams":2}`,
    );
  });
});

describe('comparing an anchor with the log as of its position', () => {
  const anchor = signAnchor(log, new Date('2026-12-05T02:00:00Z'), generateAnchorKey());

  it('matches the same log', () => {
    expect(compareWithLog(anchor, { ...log })).toBeUndefined();
  });

  it('names every difference', () => {
    expect(compareWithLog(anchor, { ...log, headsHash: '1'.repeat(64) })).toBe(
      'the log as of position 1234567890123 no longer matches: the stream heads hash differs',
    );
    expect(compareWithLog(anchor, { ...log, streams: 1, events: 3, headsHash: '1'.repeat(64) })).toBe(
      'the log as of position 1234567890123 no longer matches: the stream heads hash differs; 1 streams where 2 were anchored; 3 events where 5 were anchored',
    );
  });
});

describe('anchor lines', () => {
  const anchor = signAnchor(log, new Date('2026-12-05T02:00:00Z'), generateAnchorKey());

  it('round-trip', () => {
    expect(parseAnchor(formatAnchorLine(anchor))).toEqual(anchor);
  });

  it('name the field that is missing or malformed', () => {
    expect(() => parseAnchor('{"format":')).toThrow('not JSON');
    expect(() => parseAnchor('[]')).toThrow('not a JSON object');
    expect(() => parseAnchor(JSON.stringify({ ...anchor, format: 'x' }))).toThrow(`format is not ${ANCHOR_FORMAT}`);
    expect(() => parseAnchor(JSON.stringify({ ...anchor, position: 12 }))).toThrow('position is missing or malformed');
    expect(() => parseAnchor(JSON.stringify({ ...anchor, position: '-1' }))).toThrow(
      'position is missing or malformed',
    );
    expect(() => parseAnchor(JSON.stringify({ ...anchor, streams: 1.5 }))).toThrow('streams is missing or malformed');
    expect(() => parseAnchor(JSON.stringify({ ...anchor, headsHash: 'abc' }))).toThrow(
      'headsHash is missing or malformed',
    );
    expect(() => parseAnchor(JSON.stringify({ ...anchor, anchoredAt: 'yesterday' }))).toThrow(
      'anchoredAt is missing or malformed',
    );
  });

  it('in a file: each line an anchor or the reason it is not, a torn last line set apart', () => {
    const text = `${formatAnchorLine(anchor)}\nnot json\n${formatAnchorLine(anchor)}{"format":"liangxin`;
    const contents = parseAnchorFile(text);
    expect(contents.tornLastLine).toBe(true);
    expect(contents.lines).toEqual([
      { line: 1, anchor },
      { line: 3, problem: 'not JSON' },
      { line: 4, anchor },
    ]);
  });
});

describe('anchorDue: when the projector anchors', () => {
  const now = new Date('2026-12-05T12:00:00Z');
  const last = { anchoredAt: '2026-12-04T12:00:00.000Z', position: '100' };

  it('anchors a log that has events and no anchor yet', () => {
    expect(anchorDue(undefined, 5n, now, 24)).toBe(true);
  });

  it('anchors once the last anchor is an interval old and the log has moved', () => {
    expect(anchorDue(last, 200n, now, 24)).toBe(true);
  });

  it('does not anchor an empty log, a log that has not moved, before the interval, or when off', () => {
    expect(anchorDue(undefined, 0n, now, 24)).toBe(false);
    expect(anchorDue(last, 100n, now, 24)).toBe(false);
    expect(anchorDue(last, 200n, new Date('2026-12-05T11:59:59Z'), 24)).toBe(false);
    expect(anchorDue(undefined, 5n, now, 0)).toBe(false);
  });
});
