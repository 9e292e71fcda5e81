import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { loadConfig } from '@registry/config';
import type { RecordedEvent, SubscriptionOptions } from '@registry/event-store';
import type { RegistryDatabase } from '@registry/runtime';
import { Problem } from '../problems/problem-details.filter';
import { EventStream } from './event-stream';

/** A socket's side of an Express response: `write` says false while the client is not reading. */
class ClientSocket extends EventEmitter {
  readonly chunks: string[] = [];
  reading = true;
  writableNeedDrain = false;
  ended = false;

  status(): this {
    return this;
  }
  setHeader(): void {}
  flushHeaders(): void {}
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    this.writableNeedDrain = !this.reading;
    return this.reading;
  }
  end(): void {
    this.ended = true;
    this.emit('close');
  }
  destroy(): void {
    this.end();
  }
  readsAgain(): void {
    this.reading = true;
    this.writableNeedDrain = false;
    this.emit('drain');
  }
  get events(): string[] {
    return this.chunks.filter((chunk) => chunk.startsWith('id: ')).map((chunk) => chunk.split('\n')[0]!.slice(4));
  }
}

const unitId = '0190a6a2-7c1e-7a3b-9c2d-000000000002';
const closed = (position: number): RecordedEvent => ({
  id: `0190a6a2-7c1e-7a3b-9c2d-${position.toString().padStart(12, '0')}`,
  streamId: `unit-${unitId}`,
  streamVersion: position,
  position: BigInt(position),
  type: 'UnitClosed',
  data: { unitId, effectiveOn: '2024-01-01' },
  metadata: {},
  recordedAt: new Date('2026-12-05T08:00:00Z'),
  hash: 'ab'.repeat(32),
});

const settled = () => new Promise((resolve) => setImmediate(resolve));
const streams: EventStream[] = [];
afterEach(() => streams.splice(0).forEach((stream) => stream.onModuleDestroy()));

function harness(limits: Record<string, string> = {}) {
  const subscriptions: { options: SubscriptionOptions; stopped: boolean }[] = [];
  const database = {
    eventStore: {
      subscribe: (options: SubscriptionOptions) => {
        const subscription = { options, stopped: false };
        subscriptions.push(subscription);
        let stop: () => void = () => undefined;
        const done = new Promise<void>((resolve) => (stop = resolve));
        return {
          checkpoint: 0n,
          done,
          stop: () => {
            subscription.stopped = true;
            stop();
            return done;
          },
        };
      },
    },
  } as unknown as RegistryDatabase;
  const stream = new EventStream(database, loadConfig(limits));
  streams.push(stream);
  const open = (sub: string) => {
    const client = new ClientSocket();
    const request = { principal: { sub, roles: ['integrator'] } } as unknown as Request;
    stream.serve({ after: '0' }, undefined, request, client as unknown as Response);
    return client;
  };
  return { stream, subscriptions, open };
}

describe('EventStream', () => {
  it('writes the next event only once a client that stopped reading drains its socket', async () => {
    const { subscriptions, open } = harness();
    const client = open('integrator-shanghai');
    client.reading = false;
    let delivered = false;
    void subscriptions[0]!.options.handle([closed(1), closed(2), closed(3)], 3n).then(() => (delivered = true));
    await settled();
    expect(client.events).toEqual(['1']);
    client.readsAgain();
    client.reading = false;
    await settled();
    expect(client.events).toEqual(['1', '2']);
    expect(delivered).toBe(false);
    client.readsAgain();
    await settled();
    expect(client.events).toEqual(['1', '2', '3']);
    expect(delivered).toBe(true);
  });

  it('ends the stream and frees its slot when the client goes while the socket is full', async () => {
    const { subscriptions, open } = harness({ SSE_MAX_STREAMS_PER_PRINCIPAL: '1' });
    const client = open('integrator-shanghai');
    expect(() => open('integrator-shanghai')).toThrow(Problem);
    client.reading = false;
    const handled = subscriptions[0]!.options.handle([closed(1), closed(2)], 2n);
    await settled();
    client.emit('close');
    await handled;
    expect(client.events).toEqual(['1']);
    expect(subscriptions[0]!.stopped).toBe(true);
    expect(() => open('integrator-shanghai')).not.toThrow();
  });

  it('refuses a stream beyond the caps with a 429 problem and Retry-After', () => {
    const { open } = harness({ SSE_MAX_STREAMS_PER_PRINCIPAL: '1', SSE_MAX_STREAMS: '2' });
    open('integrator-shanghai');
    const refusal = (sub: string): unknown => {
      try {
        open(sub);
      } catch (error) {
        return error instanceof Problem ? { ...error.problem, headers: error.headers } : error;
      }
      return 'opened';
    };
    expect(refusal('integrator-shanghai')).toMatchObject({
      status: 429,
      type: expect.stringMatching(/\/too-many-streams$/) as unknown,
      detail: expect.stringContaining('at most 1 event streams') as unknown,
      headers: { 'Retry-After': '5' },
    });
    open('integrator-suzhou');
    expect(refusal('integrator-hangzhou')).toMatchObject({
      status: 429,
      detail: expect.stringContaining('at most 2 event streams at once') as unknown,
    });
  });

  it('ends every open stream on shutdown, cutting a client that stopped reading', () => {
    const { stream, subscriptions, open } = harness({ SSE_MAX_STREAMS: '2' });
    const reading = open('integrator-shanghai');
    const stuck = open('integrator-suzhou');
    stuck.reading = false;
    stuck.write(': keep-alive\n\n');
    const destroyed = jest.spyOn(stuck, 'destroy');
    stream.onModuleDestroy();
    expect([reading.ended, stuck.ended, destroyed.mock.calls.length]).toEqual([true, true, 1]);
    expect(subscriptions.map((s) => s.stopped)).toEqual([true, true]);
    expect(() => open('integrator-hangzhou')).not.toThrow();
  });
});
