import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Projector } from '@registry/projections';
import type { KafkaRelay } from '@registry/relay';
import { RegistryObservations } from '@registry/runtime';
import { ProcessMetrics } from './process-metrics';

export const PROJECTOR = Symbol('PROJECTOR');
/** The in-process Kafka relay, or null when KAFKA_BROKERS is unset or apps/relay runs it. */
export const RELAY = Symbol('RELAY');

/**
 * Starts the metrics' background reads with the app; stops them and the in-process projector and
 * relay before the database closes (module destruction precedes shutdown hooks).
 */
@Injectable()
export class BackgroundWorkers implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(PROJECTOR) private readonly projector: Projector,
    @Inject(RELAY) private readonly relay: KafkaRelay | null,
    @Inject(RegistryObservations) private readonly observations: RegistryObservations,
    @Inject(ProcessMetrics) private readonly metrics: ProcessMetrics,
  ) {}

  onModuleInit(): Promise<void> {
    return this.observations.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.observations.stop();
    this.metrics.stopObservingAppends();
    await Promise.all([this.projector.stop(), this.relay?.close()]);
  }
}
