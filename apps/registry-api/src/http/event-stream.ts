import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Request, Response } from 'express';
import { categoriesOf } from '@registry/commands';
import { publicBaseUrlOf, type RegistryConfig } from '@registry/config';
import { toPublicEvent } from '@registry/contracts';
import { REGISTRY_CONFIG, REGISTRY_DATABASE, type RegistryDatabase } from '@registry/runtime';
import { Problem } from '../problems/problem-details.filter';
import { principalOf } from './auth';
import { type StreamRefusal, StreamSlots } from './stream-slots';
import { InvalidRequest, isGlobalPosition } from './validation';

const HEARTBEAT_MS = 15_000;
/** Events read from the log at a time: a stream holds one page, and writes it before reading the next. */
const PAGE_SIZE = 200;
const FULL_RETRY_AFTER_SECONDS = '5';

/**
 * The event feed as server-sent events, live. Not a query through the bus: it answers with a
 * stream it keeps writing to until the client goes, not with a value.
 */
@Injectable()
export class EventStream implements OnModuleDestroy {
  private readonly slots: StreamSlots;
  /** How to end each open stream, for shutdown. */
  private readonly open = new Set<() => void>();

  constructor(
    @Inject(REGISTRY_DATABASE) private readonly database: RegistryDatabase,
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
  ) {
    this.slots = new StreamSlots({ perPrincipal: config.SSE_MAX_STREAMS_PER_PRINCIPAL, total: config.SSE_MAX_STREAMS });
  }

  serve(
    query: { readonly after: string; readonly category?: string },
    lastEventId: string | undefined,
    request: Request,
    response: Response,
  ): void {
    if (lastEventId !== undefined && !isGlobalPosition(lastEventId)) {
      throw new InvalidRequest(
        [{ field: 'Last-Event-ID', reason: 'must be a global position (the id of the last event received)' }],
        'the Last-Event-ID header is invalid',
      );
    }
    const slot = this.slots.take(principalOf(request).sub);
    if (!slot.granted) throw this.tooManyStreams(slot.refusal);
    const after = BigInt(lastEventId ?? query.after);
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-store, no-transform');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write('retry: 2000\n\n');

    let ended = false;
    let stopWaiting: (() => void) | undefined;
    /** Resolves true once the chunk is on its way and the socket wants more; false when the stream has ended. */
    const write = (chunk: string): Promise<boolean> => {
      if (ended) return Promise.resolve(false);
      if (response.write(chunk)) return Promise.resolve(true);
      return new Promise((resolve) => {
        const drained = (): void => {
          stopWaiting = undefined;
          resolve(!ended);
        };
        stopWaiting = () => {
          response.off('drain', drained);
          drained();
        };
        response.once('drain', drained);
      });
    };
    const subscription = this.database.eventStore.subscribe({
      after,
      categories: categoriesOf(query.category),
      batchSize: PAGE_SIZE,
      handle: async (events) => {
        for (const recorded of events) {
          // Every stored event has a public contract (a unit test holds the domain to it); a miss here is a bug, said loudly.
          const event = toPublicEvent(recorded, publicBaseUrlOf(this.config));
          if (!(await write(`id: ${event.position}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`))) return;
        }
      },
    });
    const heartbeat = setInterval(() => {
      if (!response.writableNeedDrain) response.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
    const end = (): void => {
      if (ended) return;
      ended = true;
      this.open.delete(end);
      clearInterval(heartbeat);
      slot.release();
      stopWaiting?.();
      void subscription.stop();
      // A client that stopped reading would hold the connection (and a shutdown) open forever.
      if (response.writableNeedDrain) response.destroy();
      else response.end();
    };
    this.open.add(end);
    response.on('close', end);
    subscription.done.then(end, (error: unknown) => {
      // Headers are gone: say it in the stream, then close; the client resumes from its last id.
      if (!ended) {
        response.write(
          `event: error\ndata: ${JSON.stringify({ detail: error instanceof Error ? error.message : String(error) })}\n\n`,
        );
      }
      end();
    });
  }

  /** Ends every open stream before the database closes; clients reconnect elsewhere with Last-Event-ID. */
  onModuleDestroy(): void {
    for (const end of [...this.open]) end();
  }

  private tooManyStreams(refusal: StreamRefusal): Problem {
    const detail =
      refusal === 'principal-full'
        ? `at most ${this.config.SSE_MAX_STREAMS_PER_PRINCIPAL} event streams may be open at once for one caller; close one first`
        : `the registry serves at most ${this.config.SSE_MAX_STREAMS} event streams at once`;
    return Problem.of(429, 'too-many-streams', 'Too many event streams', detail, {
      'Retry-After': FULL_RETRY_AFTER_SECONDS,
    });
  }
}
