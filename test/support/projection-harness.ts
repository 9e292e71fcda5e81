import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresEventStore, type RecordedEvent } from '@registry/event-store';
import { REGISTRY_UPCASTERS } from '@registry/commands';
import { inTransaction } from '@registry/postgres';
import {
  DEFAULT_PROJECTION_SETTINGS,
  generationsOf,
  installProjections,
  type ProjectionDefinition,
  type ProjectionServices,
  rebuildProjection,
  type RebuildOptions,
  registryProjections,
  sqlOf,
  sqlTables,
} from '@registry/projections';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface ProjectionHarness {
  readonly url: string;
  readonly pool: Pool;
  readonly store: PostgresEventStore;
  readonly definitions: ProjectionDefinition[];
  readonly services: ProjectionServices;
  /**
   * Appends one event as the command side would. The log records the database's clock; pass
   * `recordedAt` to record the event at another instant (see `recordAt`).
   */
  record(
    streamId: string,
    type: string,
    data: Record<string, unknown>,
    options?: { readonly recordedAt?: Date },
  ): Promise<bigint>;
  /** Rebuilds every projection from the whole log (a new generation each time) and makes it live. */
  rebuildAll(options?: RebuildOptions): Promise<void>;
  /** Every row of every table of each live generation (of the named projections), sorted, keyed by projection and table. */
  snapshot(names?: readonly string[]): Promise<Record<string, unknown>>;
  /** Applies the whole log once more onto the live tables of the named projections (all by default). */
  applyAgain(names?: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export async function startProjectionHarness(
  names: ReadonlyMap<string, string> = new Map(),
): Promise<ProjectionHarness> {
  const database: TestDatabase = await createTestDatabase();
  const pool = new Pool({ connectionString: database.url, max: 8 });
  // An idle client cut by the database's drop at the end (WITH FORCE) is not a failure of the test.
  pool.on('error', () => undefined);
  const store = new PostgresEventStore(pool, { pollIntervalMs: 50, upcasters: REGISTRY_UPCASTERS });
  const definitions = registryProjections();
  const services: ProjectionServices = {
    memberNames: (sealed) =>
      Promise.resolve(new Map(sealed.map(({ memberId }) => [memberId, names.get(memberId) ?? null]))),
    settings: DEFAULT_PROJECTION_SETTINGS,
  };
  await installProjections(pool, definitions);
  return {
    url: database.url,
    pool,
    store,
    definitions,
    services,
    record: async (streamId, type, data, options = {}) => {
      const result = await store.append(
        streamId,
        [{ id: randomUUID(), type, data: data as never, metadata: { actor: 'test' } }],
        'any',
      );
      if (options.recordedAt) await recordAt(pool, result.position, options.recordedAt);
      return result.position;
    },
    rebuildAll: async (options) => {
      for (const definition of definitions) await rebuildProjection(pool, store, definition, services, options);
    },
    snapshot: (names) =>
      snapshotOf(
        pool,
        definitions.filter((d) => !names || names.includes(d.name)),
      ),
    applyAgain: async (names) => {
      for (const definition of definitions.filter((d) => !names || names.includes(d.name))) {
        for (let after = 0n; ;) {
          const { events, caughtUp } = await store.readAll({ after, limit: 10_000 });
          await applyOntoLive(pool, definition, events, services);
          after = events.at(-1)?.position ?? after;
          if (caughtUp) break;
        }
      }
    },
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

/**
 * Moves the recording time of the event at `position`, so that a test can record an event at a
 * chosen instant (say 01:30 in Beijing, still the previous day in UTC). The log takes its time from
 * the database and refuses updates; in this throwaway database the append-only trigger is skipped
 * the way a replica skips it. The hash chain no longer verifies afterwards: projections never check it.
 */
async function recordAt(pool: Pool, position: bigint, recordedAt: Date): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SET LOCAL session_replication_role = replica');
    const { rowCount } = await client.query('UPDATE event_store.events SET recorded_at = $2 WHERE position = $1', [
      position.toString(),
      recordedAt,
    ]);
    if (rowCount !== 1) throw new Error(`no event at position ${position}`);
  });
}

/** Applies `events` once more onto the live tables of `definition`, as a replay would. */
async function applyOntoLive(
  pool: Pool,
  definition: ProjectionDefinition,
  events: readonly RecordedEvent[],
  services: ProjectionServices,
): Promise<void> {
  const live = (await generationsOf(pool, [definition.name])).find((g) => g.state === 'live');
  if (!live) throw new Error(`projection ${definition.name} has no live generation`);
  await inTransaction(pool, (client) => definition.apply(sqlTables(sqlOf(client), live.schemaName), events, services));
}
