import { applyCounterDeltas, counterDeltas, sameJson, sharedPrefix, timeline, unitLinks } from '../index';

describe('timelines in business time', () => {
  it('folds facts in effective-date order, a late fact landing in its place', () => {
    const facts = [
      { on: '2020-01-01', set: 'a' },
      { on: '2022-01-01', set: 'c' },
      { on: '2021-01-01', set: 'b' }, // recorded last, effective in between
    ];
    expect(
      timeline(
        facts,
        '',
        (_s, f) => f.set,
        (s) => s || null,
      ),
    ).toEqual([
      { from: '2020-01-01', to: '2021-01-01', value: 'a' },
      { from: '2021-01-01', to: '2022-01-01', value: 'b' },
      { from: '2022-01-01', to: null, value: 'c' },
    ]);
  });

  it('turns a change of segments into counter deltas that cancel where nothing changed', () => {
    const before = [{ from: '2020-01-01', to: null, value: 'x' }];
    const after = [
      { from: '2020-01-01', to: '2021-01-01', value: 'x' },
      { from: '2021-01-01', to: null, value: 'y' },
    ];
    expect(counterDeltas(before, after, (v) => [[v, [1]]])).toEqual(
      expect.arrayContaining([
        { key: 'x', on: '2021-01-01', delta: [-1] },
        { key: 'y', on: '2021-01-01', delta: [1] },
      ]),
    );
    expect(counterDeltas(before, before, (v) => [[v, [1]]])).toEqual([]);
  });

  it('applies deltas to stored counter rows canonically: no zero rows, adjacent equal rows merged', () => {
    const stored = [
      { from: '2020-01-01', to: '2021-01-01', counts: [1, 0] },
      { from: '2021-01-01', to: null, counts: [2, 1] },
    ];
    expect(applyCounterDeltas(stored, [{ on: '2020-06-01', delta: [1, 1] }], 2)).toEqual([
      { from: '2020-01-01', to: '2020-06-01', counts: [1, 0] },
      { from: '2020-06-01', to: '2021-01-01', counts: [2, 1] },
      { from: '2021-01-01', to: null, counts: [3, 2] },
    ]);
    expect(applyCounterDeltas(stored, [{ on: '2021-01-01', delta: [-1, -1] }], 2)).toEqual([
      { from: '2020-01-01', to: null, counts: [1, 0] },
    ]);
    expect(
      applyCounterDeltas(
        [{ from: '2020-01-01', to: null, counts: [1, 0] }],
        [
          { on: '2019-01-01', delta: [0, 0] },
          { on: '2020-01-01', delta: [-1, 0] },
        ],
        2,
      ),
    ).toEqual([]);
  });

  it('gives each unit an organisation covered the intervals it covered it', () => {
    const links = unitLinks([
      {
        kind: 'established',
        on: '2020-01-01',
        name: 'J',
        level: 'branch',
        form: 'joint',
        regionCode: '310104',
        parentId: null,
        unitIds: ['u1', 'u2'],
      },
      { kind: 'unit-left', on: '2021-01-01', unitId: 'u2' },
      { kind: 'unit-joined', on: '2022-01-01', unitId: 'u2' },
      { kind: 'dissolved', on: '2023-01-01' },
    ]);
    expect(links).toEqual([
      { unitId: 'u1', from: '2020-01-01', to: '2023-01-01' },
      { unitId: 'u2', from: '2020-01-01', to: '2021-01-01' },
      { unitId: 'u2', from: '2022-01-01', to: '2023-01-01' },
    ]);
  });

  it('compares values as JSON whatever the order of their keys (jsonb gives its own order back)', () => {
    const written = { state: 'single', shouldEstablish: false, members: 3, fullMembers: 2 };
    const readBack = { state: 'single', members: 3, fullMembers: 2, shouldEstablish: false };
    expect(sameJson(written, readBack)).toBe(true);
    expect(sameJson(written, { ...readBack, members: 4 })).toBe(false);
    expect(sameJson({ a: [1, { b: 2, c: 3 }] }, { a: [1, { c: 3, b: 2 }] })).toBe(true);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson(null, {})).toBe(false);

    // A timeline read back from jsonb shares its prefix with the recomputed one: no deltas for it.
    const before = [
      { from: '2020-01-01', to: '2021-01-01', value: readBack },
      { from: '2021-01-01', to: null, value: { ...readBack, members: 4 } },
    ];
    const after = [
      { from: '2020-01-01', to: '2021-01-01', value: written },
      { from: '2021-01-01', to: '2022-01-01', value: { ...written, members: 4 } },
      { from: '2022-01-01', to: null, value: { ...written, members: 5 } },
    ];
    expect(sharedPrefix(before, after)).toBe(1);
    expect(counterDeltas(before, after, (v) => [['k', [v.members]]])).toEqual([
      { key: 'k', on: '2022-01-01', delta: [1] },
    ]);
  });
});
