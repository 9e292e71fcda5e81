import type { StreamCategory } from '@registry/contracts';
import type { RecordedEvent } from '@registry/event-store';
import type { ProjectionTables } from './runtime/tables';

/** What a projection may ask of the registry while applying events. */
export interface ProjectionServices {
  /**
   * Members' names from the personal-data vault (one lookup for the lot), null for a member who has
   * been forgotten (the key is gone, so a rebuild cannot bring the name back).
   */
  memberNames(
    sealed: readonly { readonly memberId: string; readonly sealed: { keyId: string; ciphertext: string } }[],
  ): Promise<ReadonlyMap<string, string | null>>;
  /** Settings that shape read models; changing one needs a rebuild. */
  readonly settings: ProjectionSettings;
}

export interface ProjectionSettings {
  /** Full members at which a unit should have its own organisation (党章: 3; CIIC practice: 5). */
  readonly shouldEstablishFullMembers: number;
}

export const DEFAULT_PROJECTION_SETTINGS: ProjectionSettings = { shouldEstablishFullMembers: 3 };

export interface ReportingView {
  /** The view's name in the `reporting` schema. */
  readonly name: string;
  readonly comment: string;
  /** `SELECT …` over the generation's schema. */
  readonly select: string;
}

/**
 * A named, versioned read model. It owns the tables it creates in its schema and nothing else. The
 * runtime applies batches of events and the checkpoint in one transaction; a bulk rebuild runs the
 * same `apply` over tables held in memory and writes them once with COPY (ADR 0015). Applying an
 * event a second time must change nothing (the runtime never does so, but a replay test checks it).
 */
export interface ProjectionDefinition {
  readonly name: string;
  /** Raise it when the tables or their meaning change: a new version is built beside the old one. */
  readonly version: number;
  readonly description: string;
  /** The stream categories whose events it applies: the runtime reads no others. */
  readonly categories: readonly StreamCategory[];
  /**
   * Seconds a bulk rebuild takes per million events of the generated registry (docs/BENCHMARKS.md),
   * default 10: only used to share `rebuild all` out between processes.
   */
  readonly rebuildWeight?: number;
  /** The tables, with their primary keys and constraints. */
  createTables(schema: string): string;
  /** Secondary indexes: a bulk rebuild creates them after the rows are written. */
  createIndexes(schema: string): string;
  views(schema: string): readonly ReportingView[];
  apply(tables: ProjectionTables, events: readonly RecordedEvent[], services: ProjectionServices): Promise<void>;
}
