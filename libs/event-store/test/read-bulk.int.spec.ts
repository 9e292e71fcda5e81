import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { PostgresEventStore, type RecordedEvent } from '@registry/event-store';
import { createPool } from '@registry/postgres';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

async function collect(pages: AsyncIterable<RecordedEvent[]>): Promise<RecordedEvent[][]> {
  const all: RecordedEvent[][] = [];
  for await (const page of pages) all.push(page);
  return all;
}

// The rebuild's reader parses COPY's text format itself: it must give exactly what readAll gives.
describe('reading the log in bulk (COPY)', () => {
  let database: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = createPool({ url: database.url, max: 4 });
    store = new PostgresEventStore(pool, { pollIntervalMs: 100 });
    const awkward = [
      'tab\there',
      'new\nline',
      'back\\slash',
      'quote"d',
      '\r\n',
      '两新组织 𠀀 😀',
      '\\N',
      '\u0001\u001f',
    ];
    for (let i = 0; i < 25; i++) {
      const category = i % 3 === 0 ? 'unit' : 'member';
      await store.append(
        `${category}-${randomUUID()}`,
        [
          {
            id: randomUUID(),
            type: 'Tested',
            data: { n: i, text: awkward[i % awkward.length] ?? '', nested: { list: [1, 'a\tb', null] } },
            metadata: { actor: `actor\t${i}` },
          },
        ],
        'no-stream',
      );
    }
  });

  afterAll(async () => {
    await store.close();
    await pool.end();
    await database.drop();
  });

  it('gives every event as readAll does, in log order, in pages of the size asked', async () => {
    const { events } = await store.readAll({ limit: 1000 });
    const pages = await collect(store.readBulk({ after: 0n, pageSize: 10 }));
    expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(events);
  });

  it('starts after a position and keeps only the categories asked for', async () => {
    const { events } = await store.readAll({ limit: 1000 });
    const from = events[4]!.position;
    const units = (await collect(store.readBulk({ after: from, categories: ['unit'], pageSize: 100 }))).flat();
    expect(units).toEqual(events.filter((e) => e.position > from && e.streamId.startsWith('unit-')));
    expect(units.length).toBeGreaterThan(3);
  });

  it('refuses a category that is not a plain name (it is written into the statement)', async () => {
    await expect(
      collect(store.readBulk({ after: 0n, categories: ["unit') OR ('1'='1"], pageSize: 10 })),
    ).rejects.toThrow(/bad category/);
  });
});
