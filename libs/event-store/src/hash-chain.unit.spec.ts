import { canonicalJson, chainHash, contentDigest, GENESIS_HASH } from '@registry/event-store';

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null, 'x'], c: -0.5 }, u: undefined } as never)).toBe(
      '{"a":{"c":-0.5,"d":[true,null,"x"]},"b":1}',
    );
  });

  it('encodes the same value the same way whatever the key order', () => {
    expect(canonicalJson({ month: '2024-01', amountFen: 2300 })).toBe(
      canonicalJson({ amountFen: 2300, month: '2024-01' }),
    );
  });

  it('escapes strings as JSON does', () => {
    expect(canonicalJson({ 'k"ey': 'line\nbreak \u0001 党支部' })).toBe(
      JSON.stringify({ 'k"ey': 'line\nbreak \u0001 党支部' }),
    );
  });

  it('refuses numbers JSON cannot hold', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow('non-finite');
  });
});

describe('hash chain', () => {
  const event = {
    streamId: 'member-1',
    id: 'A1B2C3D4-0000-4000-8000-000000000000',
    type: 'DuesPaid',
    data: { amountFen: 2300 },
    metadata: {},
  };

  it('digests content independently of id case and key order', () => {
    const same = contentDigest({ ...event, id: event.id.toLowerCase(), data: { amountFen: 2300 } });
    expect(contentDigest(event).equals(same)).toBe(true);
    expect(contentDigest({ ...event, data: { amountFen: 2301 } }).equals(same)).toBe(false);
  });

  it('chains: any change of content, place or predecessor changes the hash', () => {
    const link = {
      digest: contentDigest(event),
      streamVersion: 1,
      position: 1048576n,
      recordedAtMicros: 1_763_891_234_567_891n,
    };
    const hash = chainHash(GENESIS_HASH, link);
    expect(hash).toHaveLength(32);
    expect(chainHash(GENESIS_HASH, { ...link, streamVersion: 2 }).equals(hash)).toBe(false);
    expect(chainHash(GENESIS_HASH, { ...link, position: 1048577n }).equals(hash)).toBe(false);
    expect(chainHash(GENESIS_HASH, { ...link, recordedAtMicros: link.recordedAtMicros + 1n }).equals(hash)).toBe(false);
    expect(chainHash(hash, link).equals(hash)).toBe(false);
  });
});
