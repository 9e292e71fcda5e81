import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Projector } from '@registry/projections';
import { REGISTRY_DATABASE, type RegistryDatabase } from '@registry/runtime';
import { Public } from '../http/auth';
import { PROJECTOR } from './background-workers';
import { registryMetrics } from './registry-metrics';

@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(REGISTRY_DATABASE) private readonly database: RegistryDatabase,
    @Inject(PROJECTOR) private readonly projector: Projector,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description:
      'Prometheus text format: log head; per projection its checkpoint, lag and state; per relay its checkpoint and state',
  })
  metrics(): Promise<string> {
    return registryMetrics(this.database, this.projector);
  }
}
