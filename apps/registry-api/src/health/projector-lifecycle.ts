import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Projector } from '@registry/projections';

export const PROJECTOR = Symbol('PROJECTOR');

/** Stops the in-process projector before the database closes (module destruction precedes shutdown hooks). */
@Injectable()
export class ProjectorLifecycle implements OnModuleDestroy {
  constructor(@Inject(PROJECTOR) private readonly projector: Projector) {}

  async onModuleDestroy(): Promise<void> {
    await this.projector.stop();
  }
}
