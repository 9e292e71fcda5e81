import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Projector, ProjectionStatus } from '@registry/projections';
import { REGISTRY_DATABASE, type RegistryDatabase } from '@registry/runtime';
import { PROJECTOR } from './projector-lifecycle';
import { Public } from '../http/auth';

class EventStoreHealth {
  @ApiProperty({ enum: ['up'] }) status!: 'up';
  @ApiProperty({ enum: ['embedded', 'external'] }) mode!: 'embedded' | 'external';
  @ApiProperty({ description: 'newest readable global position, decimal string', example: '786432' })
  headPosition!: string;
}

class ProjectionHealth {
  @ApiProperty() name!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: ['running', 'stopped'] }) status!: 'running' | 'stopped';
  @ApiProperty({ description: 'global position applied through, decimal string' }) position!: string;
  @ApiProperty({ nullable: true, type: Number }) lagEvents!: number | null;
  @ApiProperty() lagSeconds!: number;
  @ApiProperty({ nullable: true, type: Object, description: 'the event it stopped on and the error' }) failure!: unknown;
}

class Health {
  @ApiProperty({ enum: ['ok', 'degraded'], description: 'degraded: a projection stopped on an event it cannot apply' }) status!: 'ok' | 'degraded';
  @ApiProperty() eventStore!: EventStoreHealth;
  @ApiProperty({ type: [ProjectionHealth] }) projections!: ProjectionHealth[];
}

function projectionHealth(s: ProjectionStatus): ProjectionHealth {
  return {
    name: s.name,
    version: s.version,
    status: s.status,
    position: s.position,
    lagEvents: s.lagEvents,
    lagSeconds: Math.round(s.lagSeconds * 1000) / 1000,
    failure: s.failure && { ...s.failure, position: s.failure.position.toString() },
  };
}

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(REGISTRY_DATABASE) private readonly database: RegistryDatabase,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @Get()
  @ApiOkResponse({ type: Health, description: 'the registry and its event store answer' })
  @ApiServiceUnavailableResponse({ description: 'the event store does not answer' })
  async health(): Promise<Health> {
    try {
      const head = await this.database.eventStore.headPosition();
      const projections = (await this.projector.status(10_000)).map(projectionHealth);
      return {
        status: projections.some((p) => p.status === 'stopped') ? 'degraded' : 'ok',
        eventStore: { status: 'up', mode: this.database.mode, headPosition: head.toString() },
        projections,
      };
    } catch {
      throw new ServiceUnavailableException('the event store does not answer');
    }
  }
}
