import { Controller, Get, Headers, Inject, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Projector, ProjectionStatus } from '@registry/projections';
import {
  Readiness,
  READINESS_REASONS,
  REGISTRY_DATABASE,
  type RegistryDatabase,
  TokenVerifier,
} from '@registry/runtime';
import { type KafkaRelay, readCheckpoints, type RelayCheckpoint } from '@registry/relay';
import { PROJECTOR, RELAY } from './background-workers';
import { Public } from '../http/auth';
import { Problem, PROBLEM_TYPE_BASE } from '../problems/problem-details.filter';

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
  @ApiProperty({ nullable: true, type: Object, description: 'the event it stopped on and the error' })
  failure!: unknown;
}

class RelayHealth {
  @ApiProperty({ description: 'the checkpoint name (one per relay deployment)' }) name!: string;
  @ApiProperty({ enum: ['running', 'stopped'] }) status!: 'running' | 'stopped';
  @ApiProperty({ description: 'every event through this global position was acknowledged by Kafka, decimal string' })
  position!: string;
  @ApiProperty() published!: number;
  @ApiProperty({
    nullable: true,
    type: String,
    enum: ['starting', 'standby', 'running', 'broker-unreachable', 'stopped', 'closed'],
    description: 'the relay inside this process, if one runs here',
  })
  inThisProcess!: string | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ nullable: true, type: Object, description: 'the event it stopped on' }) failure!: unknown;
}

class Health {
  @ApiProperty({
    enum: ['ok', 'degraded'],
    description: 'degraded: a projection or the relay stopped on an event, or the relay here cannot reach Kafka',
  })
  status!: 'ok' | 'degraded';
  @ApiProperty({ required: false, description: 'admins only' }) eventStore?: EventStoreHealth;
  @ApiProperty({ required: false, type: [ProjectionHealth], description: 'admins only' })
  projections?: ProjectionHealth[];
  @ApiProperty({
    required: false,
    type: [RelayHealth],
    description: 'admins only; empty when no relay ever ran against this database',
  })
  relays?: RelayHealth[];
}

class Live {
  @ApiProperty({ enum: ['up'] }) status!: 'up';
}

class Ready {
  @ApiProperty({ enum: ['ready'] }) status!: 'ready';
}

function relayHealth(checkpoint: RelayCheckpoint, local: KafkaRelay | null): RelayHealth {
  const here = local?.checkpointName === checkpoint.name ? local : null;
  return {
    name: checkpoint.name,
    status: checkpoint.status,
    position: checkpoint.position.toString(),
    published: checkpoint.published,
    inThisProcess: here?.state ?? null,
    error: checkpoint.failure?.error ?? here?.error ?? null,
    failure: checkpoint.failure && { ...checkpoint.failure, position: checkpoint.failure.position.toString() },
  };
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
    @Inject(RELAY) private readonly relay: KafkaRelay | null,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    @Inject(Readiness) private readonly readiness: Readiness,
    @Inject(HealthCheckService) private readonly checks: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
  ) {}

  @Get('live')
  @ApiOkResponse({ type: Live, description: 'the process answers (a liveness probe: restart it when this fails)' })
  live(): Live {
    return { status: 'up' };
  }

  @Get('ready')
  @ApiOkResponse({
    type: Ready,
    description: 'the database answers, every migration this build ships is applied, and no shutdown has begun',
  })
  @ApiServiceUnavailableResponse({
    description: 'not ready: the problem lists the failing checks (`database`, `migrations`, `shutdown`)',
  })
  async ready(): Promise<Ready> {
    try {
      await this.checks.check([
        () => {
          const shutdown = this.indicators.check('shutdown');
          return this.readiness.draining ? shutdown.down() : shutdown.up();
        },
        () =>
          this.indicators
            .check('database')
            .attempt(async () => {
              await this.database.pool.query('SELECT 1');
            })
            .withTimeout(2_000),
        async () => {
          const missing = await this.readiness.missingMigrations(this.database.pool);
          const migrations = this.indicators.check('migrations');
          return missing.length === 0 ? migrations.up() : migrations.down({ missing: missing.slice(0, 20) });
        },
      ]);
      return { status: 'ready' };
    } catch (error) {
      const failing = Object.keys((error as { response?: { error?: object } }).response?.error ?? {});
      throw new Problem({
        type: `${PROBLEM_TYPE_BASE}/not-ready`,
        title: 'Not ready',
        status: 503,
        detail: failing.length > 0 ? `failing: ${failing.join(', ')}` : 'the readiness checks did not answer',
        errors: failing.map((check) => ({
          field: check,
          reason: (READINESS_REASONS as Readonly<Record<string, string>>)[check] ?? 'down',
        })),
      });
    }
  }

  @Get()
  @ApiBearerAuth()
  @ApiOkResponse({
    type: Health,
    description:
      'the registry and its event store answer; without an admin token only `status`, since the detail names failing events and streams',
  })
  @ApiUnauthorizedResponse({ description: 'a bearer token was sent and is not valid' })
  @ApiServiceUnavailableResponse({ description: 'the event store does not answer' })
  async health(@Headers('authorization') authorization?: string): Promise<Health> {
    const detailed = await this.isAdmin(authorization);
    const health = await this.inspect();
    return detailed ? health : { status: health.status };
  }

  /** No token: a load balancer's probe. A token that is sent must be valid, so a mistyped one is not mistaken for "no detail". */
  private async isAdmin(authorization: string | undefined): Promise<boolean> {
    if (authorization === undefined || authorization === '') return false;
    const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (token === undefined) {
      throw Problem.of(401, 'unauthenticated', 'Unauthenticated', 'send Authorization: Bearer <token>', {
        'WWW-Authenticate': 'Bearer',
      });
    }
    const principal = await this.verifier.verify(token);
    return principal.roles.includes('admin');
  }

  private async inspect(): Promise<Health> {
    try {
      const head = await this.database.eventStore.headPosition();
      const projections = (await this.projector.status(10_000)).map(projectionHealth);
      const relays = (await readCheckpoints(this.database.pool)).map((checkpoint) =>
        relayHealth(checkpoint, this.relay),
      );
      const degraded =
        projections.some((p) => p.status === 'stopped') ||
        relays.some((r) => r.status === 'stopped' || r.inThisProcess === 'broker-unreachable');
      return {
        status: degraded ? 'degraded' : 'ok',
        eventStore: { status: 'up', mode: this.database.mode, headPosition: head.toString() },
        projections,
        relays,
      };
    } catch {
      throw new ServiceUnavailableException('the event store does not answer');
    }
  }
}
