import type { EventToAppend, JsonObject } from './event-store';

/**
 * Reads one stored shape of an event type as the next: version `fromVersion` in, `fromVersion + 1`
 * out. Stored bytes and hashes never change; the store applies its upcasters on every read.
 */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  upcast(data: JsonObject, event: { readonly recordedAt: Date; readonly metadata: JsonObject }): JsonObject;
}

/** The metadata key that holds an event's schema version; absent means 1. */
export const SCHEMA_VERSION = 'schemaVersion';

const versionOf = (metadata: JsonObject): number => {
  const version = metadata[SCHEMA_VERSION];
  return typeof version === 'number' && Number.isInteger(version) && version >= 1 ? version : 1;
};

/** The registered upcasters, chained per type from version 1 to the current one. */
export class Upcasters {
  private readonly chains = new Map<string, Upcaster[]>();

  constructor(upcasters: readonly Upcaster[] = []) {
    for (const upcaster of upcasters)
      this.chains.set(upcaster.type, [...(this.chains.get(upcaster.type) ?? []), upcaster]);
    for (const [type, chain] of this.chains) {
      chain.sort((a, b) => a.fromVersion - b.fromVersion);
      chain.forEach((upcaster, i) => {
        if (upcaster.fromVersion !== i + 1)
          throw new Error(
            `the upcasters of ${type} must read versions 1, 2, … in turn; found ${upcaster.fromVersion} at ${i + 1}`,
          );
      });
    }
  }

  /** The version new events of the type are written in. */
  currentVersion(type: string): number {
    return (this.chains.get(type)?.length ?? 0) + 1;
  }

  /** The event in its type's current shape (the same object when it already is). */
  upcast<
    E extends {
      readonly type: string;
      readonly data: JsonObject;
      readonly metadata: JsonObject;
      readonly recordedAt: Date;
    },
  >(event: E): E {
    const chain = this.chains.get(event.type);
    if (!chain) return event;
    const stored = versionOf(event.metadata);
    if (stored > chain.length) return event;
    let data = event.data;
    for (const upcaster of chain.slice(stored - 1)) data = upcaster.upcast(data, event);
    return { ...event, data, metadata: { ...event.metadata, [SCHEMA_VERSION]: chain.length + 1 } };
  }

  /** An event about to be stored, marked with its type's current version when that is above 1. */
  stamp(event: EventToAppend): EventToAppend {
    const version = this.currentVersion(event.type);
    if (version === 1) return event;
    return { ...event, metadata: { ...event.metadata, [SCHEMA_VERSION]: version } };
  }
}
