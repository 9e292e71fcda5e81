import { Inject, Injectable } from '@nestjs/common';
import { streamIdFor } from '@registry/contracts';
import { fold, memberDecider, type MemberEvent } from '@registry/domain';
import type { RecordedEvent } from '@registry/event-store';
import { EVENT_STORE, REGISTRY_DATABASE, type RegistryDatabase } from '@registry/runtime';
import type { PostgresEventStore } from '@registry/event-store';
import { Problem } from '../problems/problem-details.filter';

export interface MemberHistoryEntry {
  readonly streamVersion: number;
  readonly position: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly effectiveOn: string | null;
  readonly actor: string | null;
  readonly requestId: string | null;
  readonly correlationId: string | null;
  readonly data: Record<string, unknown>;
}

const metadataText = (event: RecordedEvent, key: string): string | null => {
  const value = event.metadata[key];
  return typeof value === 'string' ? value : null;
};

/** Reads a member straight from their stream (the member projection comes with the read side). */
@Injectable()
export class MemberReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(REGISTRY_DATABASE) private readonly database: RegistryDatabase,
  ) {}

  private async events(memberId: string): Promise<readonly RecordedEvent[]> {
    const events = await this.store.readStream(streamIdFor('member', memberId));
    if (events.length === 0)
      throw Problem.of(404, 'rules/member-not-found', 'Not found', `member ${memberId} is not registered`);
    return events;
  }

  async member(
    memberId: string,
    withPersonalData: boolean,
  ): Promise<{ view: Record<string, unknown>; streamVersion: number }> {
    const events = await this.events(memberId);
    const state = fold(
      memberDecider,
      events.map((event) => event as unknown as MemberEvent),
    );
    if (state.status === 'unregistered')
      throw Problem.of(404, 'rules/member-not-found', 'Not found', `member ${memberId} is not registered`);
    const { personal, ...registration } = state.registration;
    const streamVersion = events[events.length - 1]!.streamVersion;
    const view: Record<string, unknown> = {
      id: memberId,
      streamVersion,
      status: state.status,
      standing: state.standing,
      gender: registration.gender,
      joinedOn: registration.joinedOn,
      confirmedOn: state.confirmedOn,
      orgId: state.orgId,
      unitId: state.unitId,
      occupation: registration.occupation ?? null,
      registeredOn: registration.effectiveOn,
      origin: registration.origin ?? null,
      pendingTransfer: state.pendingTransfer,
      transfers: state.transfers,
      flowing: state.flowing,
      lostContactSince: state.lostContactSince,
      dues: {
        assessments: state.assessments.map(({ from, monthlyDuesFen }) => ({ from, monthlyDuesFen })),
        paidMonths: [...state.paidMonths].sort(),
      },
      left: state.left,
    };
    if (withPersonalData) {
      const opened = state.personalDataForgotten
        ? ({ erased: true } as const)
        : await this.database.personalData.open(memberId, personal);
      view.personal = opened.erased ? { erased: true } : opened.fields;
    }
    return { view, streamVersion };
  }

  /** Oldest first, with recorded time, effective date and actor. Personal fields stay sealed here. */
  async history(memberId: string): Promise<MemberHistoryEntry[]> {
    const events = await this.events(memberId);
    return events.map((event) => {
      const data: Record<string, unknown> = { ...event.data };
      if ('personal' in data) data.personal = { sealed: true };
      return {
        streamVersion: event.streamVersion,
        position: event.position.toString(),
        type: event.type,
        recordedAt: event.recordedAt.toISOString(),
        effectiveOn: metadataText(event, 'effectiveOn'),
        actor: metadataText(event, 'actor'),
        requestId: metadataText(event, 'requestId'),
        correlationId: metadataText(event, 'correlationId'),
        data,
      };
    });
  }
}
