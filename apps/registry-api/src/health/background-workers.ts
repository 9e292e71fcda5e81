import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Projector } from '@registry/projections';
import type { KafkaRelay } from '@registry/relay';

export const PROJECTOR = Symbol('PROJECTOR');
/** The in-process Kafka relay, or null when KAFKA_BROKERS is unset or apps/relay runs it. */
export const RELAY = Symbol('RELAY');

/** Stops the in-process projector and relay before the database closes (module destruction precedes shutdown hooks). */
@Injectable()
export class BackgroundWorkers implements OnModuleDestroy {
  constructor(
    @Inject(PROJECTOR) private readonly projector: Projector,
    @Inject(RELAY) private readonly relay: KafkaRelay | null,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.projector.stop(), this.relay?.close()]);
  }
}
