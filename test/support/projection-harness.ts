import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresEventStore } from '@registry/event-store';
import {
  DEFAULT_PROJECTION_SETTINGS,
  generationsOf,
  installProjections,
  type ProjectionDefinition,
  type ProjectionServices,
  rebuildProjection,
  registryProjections,
} from '@registry/projections';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface ProjectionHarness {
  readonly url: string;
  readonly pool: Pool;
  readonly store: PostgresEventStore;
  readonly definitions: ProjectionDefinition[];
  readonly services: ProjectionServices;
  /** Appends one event as the command side would (effective date in the metadata). */
  record(streamId: string, type: string, data: Record<string, unknown>): Promise<bigint>;
  /** Rebuilds every projection from the whole log (a new generation each time) and makes it live. */
  rebuildAll(): Promise<void>;
  /** Every row of every table of each live generation, sorted, keyed by projection and table. */
  snapshot(): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startProjectionHarness(
  names: ReadonlyMap<string, string> = new Map(),
): Promise<ProjectionHarness> {
  const database: TestDatabase = await createTestDatabase();
  const pool = new Pool({ connectionString: database.url, max: 8 });
  const store = new PostgresEventStore(pool, { pollIntervalMs: 50 });
  const definitions = registryProjections();
  const services: ProjectionServices = {
    memberName: (memberId) => Promise.resolve(names.get(memberId) ?? null),
    settings: DEFAULT_PROJECTION_SETTINGS,
  };
  await installProjections(pool, definitions);
  return {
    url: database.url,
    pool,
    store,
    definitions,
    services,
    record: async (streamId, type, data) => {
      const result = await store.append(
        streamId,
        [{ id: randomUUID(), type, data: data as never, metadata: { actor: 'test' } }],
        'any',
      );
      return result.position;
    },
    rebuildAll: async () => {
      for (const definition of definitions) await rebuildProjection(pool, store, definition, services);
    },
    snapshot: () => snapshotOf(pool, definitions),
    close: async () => {
      await store.close();
      await pool.end();
      await database.drop();
    },
  };
}

/** Table contents of the live generations, independent of the generation's schema name. */
export async function snapshotOf(
  pool: Pool,
  definitions: readonly ProjectionDefinition[],
): Promise<Record<string, unknown>> {
  const live = (
    await generationsOf(
      pool,
      definitions.map((d) => d.name),
    )
  ).filter((g) => g.state === 'live');
  const snapshot: Record<string, unknown> = {};
  for (const generation of live) {
    const { rows: tables } = await pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
      [generation.schemaName],
    );
    for (const { table_name } of tables) {
      const { rows } = await pool.query<{ row: string }>(
        `SELECT t::text AS row FROM ${generation.schemaName}.${table_name} t ORDER BY 1`,
      );
      snapshot[`${generation.name}.${table_name}`] = rows.map((r) => r.row);
    }
  }
  return snapshot;
}
