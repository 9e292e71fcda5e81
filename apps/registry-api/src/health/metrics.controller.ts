import { Controller, Get, Header, Headers, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { RegistryConfig } from '@registry/config';
import { bearerMatches, REGISTRY_CONFIG } from '@registry/runtime';
import { Public } from '../http/auth';
import { Problem } from '../problems/problem-details.filter';
import { ProcessMetrics } from './process-metrics';

@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    @Inject(ProcessMetrics) private readonly process: ProcessMetrics,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiBearerAuth()
  @ApiUnauthorizedResponse({
    description: 'METRICS_TOKEN is set and `Authorization: Bearer <METRICS_TOKEN>` was not sent',
  })
  @ApiOkResponse({
    description:
      'Prometheus text format: process and event-loop metrics, HTTP request durations by route and status; log head; per projection its checkpoint, lag and state; per relay its checkpoint and state',
  })
  async metrics(@Headers('authorization') authorization?: string): Promise<string> {
    const expected = this.config.METRICS_TOKEN;
    if (expected !== undefined && !bearerMatches(authorization, expected)) {
      throw Problem.of(401, 'unauthenticated', 'Unauthenticated', 'send Authorization: Bearer <METRICS_TOKEN>', {
        'WWW-Authenticate': 'Bearer',
      });
    }
    return this.process.text();
  }
}
