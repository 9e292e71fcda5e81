import type { Pool } from 'pg';
import type { PostgresEventStore } from '@registry/event-store';
import type { PersonalDataVault } from '@registry/personal-data';
import { DEFAULT_MEETING_FREQUENCIES, type MeetingFrequencies } from '@registry/domain';
import { DEFAULT_POINTS_SETTINGS, type PointsSettings, waitForProjections } from '@registry/projections';

/** What query handlers read: the projections' tables (through the `reporting` views), the streams, the vault. */
export interface ReadSources {
  readonly pool: Pool;
  readonly eventStore: PostgresEventStore;
  readonly personalData: PersonalDataVault;
}

export interface AnswerSettings {
  readonly points: PointsSettings;
  readonly meetingFrequencies: MeetingFrequencies;
  /** The base of the events' `dataschema` URIs (`PUBLIC_BASE_URL`). */
  readonly publicBaseUrl: string;
}

export const DEFAULT_ANSWER_SETTINGS: AnswerSettings = {
  points: DEFAULT_POINTS_SETTINGS,
  meetingFrequencies: DEFAULT_MEETING_FREQUENCIES,
  publicBaseUrl: 'http://127.0.0.1:3000',
};

/**
 * The read side as query handlers see it. The API hands over its open database; the CLI opens one
 * on the first query only, so commands that read nothing start at once.
 */
export class ReadSide {
  constructor(
    readonly sources: () => Promise<ReadSources>,
    private readonly readYourWritesTimeoutMs: number,
    /** Settings that shape answers, not read models: changing one needs no rebuild. */
    readonly settings: AnswerSettings = DEFAULT_ANSWER_SETTINGS,
  ) {}

  /** Reads the read models once they have reached `minPosition` (read-your-writes), if one was given. */
  async readModels<T>(
    projections: readonly string[],
    minPosition: string | undefined,
    read: (db: Pool) => Promise<T>,
  ): Promise<T> {
    const { pool } = await this.sources();
    if (minPosition !== undefined)
      await waitForProjections(pool, projections, BigInt(minPosition), this.readYourWritesTimeoutMs);
    return read(pool);
  }
}

/** The organisations in the subtree of `organizationId` as it stands now, from the command side's lookups. */
export async function subtreeNow(db: Pick<Pool, 'query'>, organizationId: string): Promise<string[]> {
  const { rows } = await db.query<{ organization_id: string }>(
    `WITH RECURSIVE down(organization_id, depth) AS (
       SELECT organization_id, 0 FROM command_side.organizations WHERE organization_id::text = $1
       UNION ALL
       SELECT o.organization_id, down.depth + 1 FROM command_side.organizations o JOIN down ON o.parent_id = down.organization_id
        WHERE down.depth < 64)
     SELECT organization_id FROM down`,
    [organizationId],
  );
  return rows.map((row) => row.organization_id);
}
