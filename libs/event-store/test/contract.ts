import { randomUUID } from 'node:crypto';
import {
  EventIdConflict,
  InvalidAppend,
  WrongExpectedVersion,
  type EventStore,
  type EventToAppend,
  type ExpectedVersion,
  type RecordedEvent,
} from '@registry/event-store';
import { until } from '../../../test/support/until';

export interface ContractFixture {
  readonly store: EventStore;
  /**
   * Appends several batches in ONE transaction and holds the commit for `holdMs`, so that later
   * transactions can commit first. Adapters whose positions are assigned at commit need no such
   * thing and may append the batches one by one.
   */
  appendHoldingCommit(
    batches: readonly { streamId: string; events: readonly EventToAppend[]; expected: ExpectedVersion }[],
    holdMs: number,
  ): Promise<void>;
  /** Changes one stored event behind the store's back, as someone with write access to the database would. */
  readonly tamper?: {
    alterData(event: RecordedEvent): Promise<void>;
    deleteEvent(event: RecordedEvent): Promise<void>;
  };
  dispose(): Promise<void>;
}

export function event(type: string, data: Record<string, string | number | boolean | null> = {}): EventToAppend {
  return { id: randomUUID(), type, data, metadata: { actor: 'contract-test', correlationId: randomUUID() } };
}

function stream(category = 'member'): string {
  return `${category}-${randomUUID()}`;
}

async function readEverything(store: EventStore, options: { categories?: string[] } = {}): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let after = 0n;
  for (;;) {
    const page = await store.readAll({ after, limit: 1000, ...options });
    all.push(...page.events);
    after = page.checkpoint;
    if (page.caughtUp) return all;
  }
}

/**
 * The behaviour every EventStore adapter must have. Each test gets a fresh, empty store.
 * `makeFixture` returns undefined when the adapter's server cannot be reached: the suite is then
 * reported as skipped, with `skipReason`, never as passed.
 */
export interface ContractOptions {
  /** The fixture provides `tamper`; adapters whose storage cannot be altered from a test omit it. */
  readonly canTamper: boolean;
  readonly skipReason?: string;
}

export function eventStoreContract(
  adapter: string,
  makeFixture: (() => Promise<ContractFixture>) | undefined,
  { canTamper, skipReason }: ContractOptions,
): void {
  const describeIfReachable = makeFixture ? describe : describe.skip;
  if (!makeFixture) {
    console.warn(`[contract] ${adapter} event store contract SKIPPED: ${skipReason ?? 'no server'}`);
  }

  describeIfReachable(`EventStore contract: ${adapter}`, () => {
    let fixture: ContractFixture;
    let store: EventStore;

    beforeEach(async () => {
      fixture = await makeFixture!();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture?.dispose();
    });

    describe('expected version', () => {
      it('creates a stream with no-stream and reports version and position', async () => {
        const id = stream();
        const first = event('MemberRegistered', { name: 'erased-in-test' });
        const result = await store.append(id, [first], 'no-stream');
        expect(result.streamVersion).toBe(1);
        expect(result.position).toBeGreaterThan(0n);
        expect(result.duplicate).toBe(false);
        const [stored] = await store.readStream(id);
        expect(stored).toMatchObject({
          id: first.id,
          streamId: id,
          streamVersion: 1,
          position: result.position,
          type: 'MemberRegistered',
          data: first.data,
          metadata: first.metadata,
        });
        expect(stored!.recordedAt).toBeInstanceOf(Date);
        expect(stored!.hash).toMatch(/^[0-9a-f]{64}$/);
      });

      it('refuses no-stream on an existing stream and writes nothing', async () => {
        const id = stream();
        await store.append(id, [event('A')], 'no-stream');
        await expect(store.append(id, [event('B')], 'no-stream')).rejects.toEqual(
          expect.objectContaining({ name: 'WrongExpectedVersion', streamId: id, actual: 1 }),
        );
        expect(await store.readStream(id)).toHaveLength(1);
      });

      it('accepts the exact version and refuses any other, writing nothing', async () => {
        const id = stream();
        await store.append(id, [event('A'), event('B')], 'no-stream');
        const third = await store.append(id, [event('C')], 2);
        expect(third.streamVersion).toBe(3);
        const stale = store.append(id, [event('D')], 2);
        await expect(stale).rejects.toBeInstanceOf(WrongExpectedVersion);
        await expect(stale).rejects.toMatchObject({ expected: '2', actual: 3 });
        expect((await store.readStream(id)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it('treats exact version 0 as no-stream', async () => {
        const id = stream();
        expect((await store.append(id, [event('A')], 0)).streamVersion).toBe(1);
        await expect(store.append(id, [event('B')], 0)).rejects.toBeInstanceOf(WrongExpectedVersion);
      });

      it('requires an existing stream for stream-exists', async () => {
        const id = stream();
        await expect(store.append(id, [event('A')], 'stream-exists')).rejects.toMatchObject({
          name: 'WrongExpectedVersion',
          actual: 'no-stream',
        });
        expect(await store.readStream(id)).toHaveLength(0);
        await store.append(id, [event('A')], 'any');
        expect((await store.append(id, [event('B')], 'stream-exists')).streamVersion).toBe(2);
      });

      it('appends with any whatever the version', async () => {
        const id = stream();
        await store.append(id, [event('A')], 'any');
        expect((await store.append(id, [event('B')], 'any')).streamVersion).toBe(2);
      });

      it('lets exactly one of many concurrent writers win each version', async () => {
        const id = stream();
        await store.append(id, [event('Opened')], 'no-stream');
        const outcomes = await Promise.allSettled(
          Array.from({ length: 20 }, () => store.append(id, [event('Raced')], 1)),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const refused = outcomes.filter((o) => o.status === 'rejected');
        expect(refused).toHaveLength(19);
        for (const outcome of refused) expect(outcome.reason).toBeInstanceOf(WrongExpectedVersion);
        expect(await store.readStream(id)).toHaveLength(2);
      });
    });

    describe('atomic multi-event append', () => {
      it('gives consecutive versions and increasing positions', async () => {
        const id = stream();
        const events = Array.from({ length: 5 }, (_, i) => event('DuesPaid', { month: `2024-0${i + 1}` }));
        const result = await store.append(id, events, 'no-stream');
        const stored = await store.readStream(id);
        expect(stored.map((e) => e.id)).toEqual(events.map((e) => e.id));
        expect(stored.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
        for (let i = 1; i < stored.length; i++) expect(stored[i]!.position).toBeGreaterThan(stored[i - 1]!.position);
        expect(result.firstPosition).toBe(stored[0]!.position);
        expect(result.position).toBe(stored[4]!.position);
      });

      it('writes none of the events when the append is refused', async () => {
        const id = stream();
        await store.append(id, [event('A')], 'no-stream');
        await expect(store.append(id, [event('B'), event('C'), event('D')], 7)).rejects.toBeInstanceOf(
          WrongExpectedVersion,
        );
        expect(await store.readStream(id)).toHaveLength(1);
        expect((await readEverything(store)).length).toBe(1);
      });

      it('refuses malformed appends before writing anything', async () => {
        const id = stream();
        await expect(store.append(id, [], 'any')).rejects.toBeInstanceOf(InvalidAppend);
        await expect(store.append(id, [{ id: 'not-a-uuid', type: 'A', data: {} }], 'any')).rejects.toBeInstanceOf(
          InvalidAppend,
        );
        const twice = event('A');
        await expect(store.append(id, [twice, twice], 'any')).rejects.toBeInstanceOf(InvalidAppend);
        expect(await store.readStream(id)).toHaveLength(0);
      });
    });

    describe('idempotent retry by event id', () => {
      it('returns the original result and writes nothing when the same events come again', async () => {
        const id = stream();
        const events = [event('A'), event('B')];
        const first = await store.append(id, events, 'no-stream');
        const retry = await store.append(id, events, 'no-stream');
        expect(retry).toEqual({ ...first, duplicate: true });
        expect(await store.readStream(id)).toHaveLength(2);
      });

      it('stores one copy when the same append races with itself', async () => {
        const id = stream();
        const events = [event('A'), event('B')];
        const results = await Promise.all(Array.from({ length: 8 }, () => store.append(id, events, 'no-stream')));
        expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
        expect(new Set(results.map((r) => r.position))).toEqual(new Set([results[0]!.position]));
        expect(await store.readStream(id)).toHaveLength(2);
      });

      it('answers a retried single event as the first time, whatever was expected', async () => {
        const id = stream();
        const single = event('MemberRegistered');
        const first = await store.append(id, [single], 'no-stream');
        for (const expected of ['no-stream', 0, 'stream-exists', 'any', 7] as const) {
          expect(await store.append(id, [single], expected)).toEqual({ ...first, duplicate: true });
        }
        expect(await store.readStream(id)).toHaveLength(1);
      });

      it.each(['any', 'no-stream'] as const)(
        'stores one copy when a single event races with itself (%s)',
        async (expected) => {
          const id = stream();
          const single = event('MemberRegistered');
          const results = await Promise.all(Array.from({ length: 8 }, () => store.append(id, [single], expected)));
          expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
          expect(new Set(results.map((r) => r.position)).size).toBe(1);
          expect(new Set(results.map((r) => r.streamVersion))).toEqual(new Set([1]));
          expect(await store.readStream(id)).toHaveLength(1);
        },
      );

      it('refuses a single event id already stored in another stream', async () => {
        const single = event('A');
        await store.append(stream(), [single], 'no-stream');
        await expect(store.append(stream(), [single], 'any')).rejects.toBeInstanceOf(EventIdConflict);
        await expect(store.append(stream(), [single], 'no-stream')).rejects.toBeInstanceOf(EventIdConflict);
        expect((await readEverything(store)).length).toBe(1);
      });

      it('refuses a batch whose ids are partly stored, or stored in another stream', async () => {
        const id = stream();
        const stored = event('A');
        await store.append(id, [stored], 'no-stream');
        await expect(store.append(id, [stored, event('B')], 'any')).rejects.toBeInstanceOf(EventIdConflict);
        await expect(store.append(stream(), [stored], 'any')).rejects.toBeInstanceOf(EventIdConflict);
        expect((await readEverything(store)).length).toBe(1);
      });
    });

    describe('reading', () => {
      it('reads a stream between versions and up to a recorded time', async () => {
        const id = stream('organization');
        await store.append(id, [event('A'), event('B')], 'no-stream');
        const [, second] = await store.readStream(id);
        await new Promise((resolve) => setTimeout(resolve, 20));
        await store.append(id, [event('C'), event('D')], 2);
        expect((await store.readStream(id, { fromVersion: 2, toVersion: 3 })).map((e) => e.type)).toEqual(['B', 'C']);
        expect((await store.readStream(id, { fromVersion: 4 })).map((e) => e.type)).toEqual(['D']);
        expect((await store.readStream(id, { recordedUpTo: second!.recordedAt })).map((e) => e.type)).toEqual([
          'A',
          'B',
        ]);
        expect(await store.readStream(stream())).toEqual([]);
      });

      it('reads $all in position order, after a position, with a limit', async () => {
        const appended: string[] = [];
        for (let i = 0; i < 7; i++) {
          const e = event('Numbered', { i });
          appended.push(e.id);
          await store.append(stream(), [e], 'no-stream');
        }
        const all = await readEverything(store);
        expect(all.map((e) => e.id)).toEqual(appended);
        const firstPage = await store.readAll({ limit: 3 });
        expect(firstPage.events.map((e) => e.id)).toEqual(appended.slice(0, 3));
        expect(firstPage.caughtUp).toBe(false);
        expect(firstPage.checkpoint).toBe(firstPage.events[2]!.position);
        const rest = await store.readAll({ after: firstPage.checkpoint, limit: 100 });
        expect(rest.events.map((e) => e.id)).toEqual(appended.slice(3));
        expect(rest.caughtUp).toBe(true);
        expect(await store.headPosition()).toBe(all[6]!.position);
      });

      it('filters $all by category and type, and its checkpoint moves past what the filter skips', async () => {
        const member = stream('member');
        const unit = stream('unit');
        await store.append(member, [event('MemberRegistered'), event('DuesPaid')], 'no-stream');
        await store.append(unit, [event('UnitRegistered')], 'no-stream');
        await store.append(member, [event('DuesPaid')], 2);
        const units = await store.readAll({ categories: ['unit'] });
        expect(units.events.map((e) => e.streamId)).toEqual([unit]);
        const dues = await store.readAll({ types: ['DuesPaid'] });
        expect(dues.events.map((e) => e.type)).toEqual(['DuesPaid', 'DuesPaid']);
        const none = await store.readAll({ categories: ['transfer'] });
        expect(none.events).toEqual([]);
        expect(none.checkpoint).toBeGreaterThanOrEqual(await store.headPosition());
      });
    });

    describe('subscription', () => {
      it('delivers past and live events once each, in order, and resumes from a checkpoint', async () => {
        const before = [event('Past1'), event('Past2')];
        await store.append(stream(), before, 'no-stream');
        const seen: RecordedEvent[] = [];
        let stored = 0n;
        const first = store.subscribe({
          handle: async (events, checkpoint) => {
            seen.push(...events);
            stored = checkpoint;
          },
        });
        const live = event('Live1');
        await store.append(stream(), [live], 'no-stream');
        await until(() => seen.length === 3, 10_000, 'three events');
        await first.stop();
        expect(seen.map((e) => e.id)).toEqual([...before.map((e) => e.id), live.id]);
        // It may have moved further, past stretches of the log with no events; never behind.
        expect(first.checkpoint).toBeGreaterThanOrEqual(stored);

        const whileAway = [event('Away1'), event('Away2')];
        await store.append(stream(), whileAway, 'no-stream');
        const resumed: RecordedEvent[] = [];
        const second = store.subscribe({ after: stored, handle: async (events) => void resumed.push(...events) });
        await until(() => resumed.length === 2, 10_000, 'events appended while away');
        await new Promise((resolve) => setTimeout(resolve, 100));
        await second.stop();
        expect(resumed.map((e) => e.id)).toEqual(whileAway.map((e) => e.id));
      });

      it('delivers only the filtered categories', async () => {
        const seen: RecordedEvent[] = [];
        const subscription = store.subscribe({ categories: ['unit'], handle: async (e) => void seen.push(...e) });
        await store.append(stream('member'), [event('MemberRegistered')], 'no-stream');
        const unitEvent = event('UnitRegistered');
        await store.append(stream('unit'), [unitEvent], 'no-stream');
        await until(() => seen.length === 1, 10_000, 'the unit event');
        await subscription.stop();
        expect(seen.map((e) => e.id)).toEqual([unitEvent.id]);
      });

      it('stops with the handler error and does not move past the failed batch', async () => {
        await store.append(stream(), [event('Poison')], 'no-stream');
        const subscription = store.subscribe({
          handle: async () => {
            throw new Error('projection cannot apply this');
          },
        });
        await expect(subscription.done).rejects.toThrow('projection cannot apply this');
        expect(subscription.checkpoint).toBe(0n);
      });

      it('sees every event exactly once, in readAll order, under concurrent writers with late commits', async () => {
        const writers = 8;
        const eventsPerWriter = 2000;
        const delivered: RecordedEvent[] = [];
        const subscription = store.subscribe({ batchSize: 500, handle: async (e) => void delivered.push(...e) });

        const writer = async (w: number): Promise<number> => {
          const streams = Array.from({ length: 5 }, () => ({
            id: stream(w % 2 === 0 ? 'member' : 'organization'),
            version: 0,
          }));
          let written = 0;
          let round = 0;
          while (written < eventsPerWriter) {
            round += 1;
            const target = streams[round % streams.length]!;
            if (round % 10 === 3) {
              // A multi-event transaction across two streams that commits late.
              const other = streams[(round + 1) % streams.length]!;
              const first = [event('Late', { w, round }), event('Late', { w, round })];
              const second = [event('Late', { w, round })];
              await fixture.appendHoldingCommit(
                [
                  { streamId: target.id, events: first, expected: target.version },
                  { streamId: other.id, events: second, expected: other.version },
                ],
                5 + (round % 4) * 10,
              );
              target.version += 2;
              other.version += 1;
              written += 3;
            } else if (round % 10 === 7) {
              const batch = Array.from({ length: 10 }, (_, i) => event('Batch', { w, round, i }));
              const result = await store.append(target.id, batch, target.version);
              target.version = result.streamVersion;
              written += batch.length;
            } else {
              const result = await store.append(target.id, [event('Single', { w, round })], 'any');
              target.version = result.streamVersion;
              written += 1;
            }
          }
          return written;
        };

        const totals = await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
        const total = totals.reduce((a, b) => a + b, 0);
        expect(total).toBeGreaterThanOrEqual(writers * eventsPerWriter);
        await until(() => delivered.length >= total, 120_000, `${total} events delivered`);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await subscription.stop();

        const log = await readEverything(store);
        expect(log).toHaveLength(total);
        expect(delivered.length).toBe(total);
        expect(new Set(delivered.map((e) => e.id)).size).toBe(total);
        expect(delivered.map((e) => e.id)).toEqual(log.map((e) => e.id));
      }, 300_000);
    });

    describe('tamper evidence', () => {
      it('verifies an untouched log', async () => {
        const id = stream();
        await store.append(id, [event('A', { amountFen: 2300 }), event('B')], 'no-stream');
        await store.append(stream('unit'), [event('C')], 'no-stream');
        const report = await store.verify();
        expect(report).toEqual({ ok: true, streamsChecked: 2, eventsChecked: 3, brokenLinks: [] });
      });

      const itTampers = canTamper ? it : it.skip;

      itTampers('names the event whose stored data was changed', async () => {
        const id = stream();
        await store.append(
          id,
          [event('DuesPaid', { amountFen: 2300 }), event('DuesPaid', { amountFen: 2300 })],
          'no-stream',
        );
        await store.append(id, [event('DuesPaid', { amountFen: 2300 })], 2);
        const untouched = stream('unit');
        await store.append(untouched, [event('UnitRegistered')], 'no-stream');
        const [, second] = await store.readStream(id);
        await fixture.tamper!.alterData(second!);
        const report = await store.verify();
        expect(report.ok).toBe(false);
        expect(report.eventsChecked).toBe(4);
        expect(report.brokenLinks).toEqual([
          expect.objectContaining({ streamId: id, streamVersion: 2, position: second!.position, eventId: second!.id }),
        ]);
      });

      itTampers('names the gap where an event was deleted', async () => {
        const id = stream();
        await store.append(id, [event('A'), event('B'), event('C')], 'no-stream');
        const [, second] = await store.readStream(id);
        await fixture.tamper!.deleteEvent(second!);
        const report = await store.verify();
        expect(report.brokenLinks).toEqual([
          expect.objectContaining({ streamId: id, streamVersion: 3, reason: 'version 2 is missing' }),
        ]);
      });
    });
  });
}
