import { type Upcaster, Upcasters } from './upcasting';

const recordedAt = new Date('2024-03-01T02:00:00Z');
const renamed: Upcaster = {
  type: 'Thing',
  fromVersion: 1,
  upcast: ({ label, ...rest }) => ({ ...rest, name: label ?? null }),
};
const dated: Upcaster = { type: 'Thing', fromVersion: 2, upcast: (data) => ({ ...data, on: '2024-03-01' }) };

describe('upcasters', () => {
  const upcasters = new Upcasters([dated, renamed]);
  const event = (data: object, metadata: object = {}) => ({
    type: 'Thing',
    data: data as never,
    metadata: metadata as never,
    recordedAt,
  });

  it('reads version 1 through every step to the current shape, and marks the version read', () => {
    expect(upcasters.upcast(event({ label: 'a' }))).toMatchObject({
      data: { name: 'a', on: '2024-03-01' },
      metadata: { schemaVersion: 3 },
    });
    expect(upcasters.upcast(event({ name: 'b' }, { schemaVersion: 2 })).data).toEqual({ name: 'b', on: '2024-03-01' });
  });

  it('leaves events of the current version, and of types it does not know, as they are', () => {
    const current = event({ name: 'c', on: '2024-01-01' }, { schemaVersion: 3 });
    expect(upcasters.upcast(current)).toBe(current);
    const other = { ...current, type: 'Other' };
    expect(upcasters.upcast(other)).toBe(other);
  });

  it('stamps new events with their type’s current version, and only when it is above 1', () => {
    expect(upcasters.currentVersion('Thing')).toBe(3);
    expect(upcasters.stamp({ id: 'x', type: 'Thing', data: {}, metadata: { actor: 'a' } }).metadata).toEqual({
      actor: 'a',
      schemaVersion: 3,
    });
    const plain = { id: 'y', type: 'Other', data: {} };
    expect(upcasters.stamp(plain)).toBe(plain);
  });

  it('refuses a chain with a gap', () => {
    expect(() => new Upcasters([dated])).toThrow('must read versions 1, 2, … in turn');
  });
});
