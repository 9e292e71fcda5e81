import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ThrottlerModule } from '@nestjs/throttler';
import { TerminusModule } from '@nestjs/terminus';
import { COMMAND_HANDLERS, CommandExecutor, QUERY_HANDLERS, ReadSide } from '@registry/commands';
import { answerSettingsOf, type RegistryConfig, ruleSettingsOf } from '@registry/config';
import { ForgettingLedger, PersonalDataVault } from '@registry/personal-data';
import {
  Readiness,
  RegistryCoreModule,
  type RegistryDatabase,
  RegistryObservations,
  TokenVerifier,
} from '@registry/runtime';
import type { Projector } from '@registry/projections';
import type { KafkaRelay } from '@registry/relay';
import { HealthController } from './health/health.controller';
import { MetricsController } from './health/metrics.controller';
import { ProcessMetrics } from './health/process-metrics';
import { BackgroundWorkers, PROJECTOR, RELAY } from './health/background-workers';
import { AdminController } from './http/admin.controller';
import { RebuildJobs } from './http/rebuild-jobs';
import { AuthGuard } from './http/auth';
import { ApplicantsController } from './http/applicants.controller';
import { GridsController } from './http/grids.controller';
import { InflowingMembersController } from './http/inflowing-members.controller';
import { MembersController } from './http/members.controller';
import { OrganizationsController } from './http/organizations.controller';
import { CoverageController, OrganizationQueriesController, ReportsController } from './http/queries.controller';
import { RateLimitGuard, rateLimitOptions } from './http/rate-limits';
import { OrganizationScope, ScopeGuard } from './http/scope';
import { EventFeedController } from './http/event-feed.controller';
import { EventStream } from './http/event-stream';
import { SchemasController } from './http/schemas.controller';
import { StreamsController } from './http/streams.controller';
import { UnitsController } from './http/units.controller';
import { ProblemDetailsFilter } from './problems/problem-details.filter';

@Module({})
export class AppModule {
  static register(
    config: RegistryConfig,
    database: RegistryDatabase,
    projector: Projector,
    relay: KafkaRelay | null,
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RegistryCoreModule.forRoot(config, database),
        CqrsModule.forRoot(),
        ThrottlerModule.forRoot(rateLimitOptions(config)),
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [
        HealthController,
        MetricsController,
        UnitsController,
        OrganizationsController,
        OrganizationQueriesController,
        MembersController,
        InflowingMembersController,
        ApplicantsController,
        GridsController,
        CoverageController,
        ReportsController,
        StreamsController,
        EventFeedController,
        SchemasController,
        AdminController,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_GUARD, useClass: AuthGuard },
        // After AuthGuard (the caller is the token's sub), before ScopeGuard's queries.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: ScopeGuard },
        { provide: PROJECTOR, useValue: projector },
        { provide: RELAY, useValue: relay },
        BackgroundWorkers,
        { provide: Readiness, useValue: new Readiness() },
        {
          provide: RegistryObservations,
          useValue: new RegistryObservations(
            { eventStore: database.eventStore, pool: database.pool, projector, relays: true },
            config.METRICS_REFRESH_MS,
          ),
        },
        {
          provide: ProcessMetrics,
          inject: [RegistryObservations],
          useFactory: (observations: RegistryObservations) => new ProcessMetrics(observations, database.eventStore),
        },
        OrganizationScope,
        { provide: RebuildJobs, useFactory: () => new RebuildJobs(config, database) },
        EventStream,
        { provide: TokenVerifier, useFactory: () => new TokenVerifier(config) },
        // One executor per process: it caches folded stream states (ADR 0008).
        {
          provide: CommandExecutor,
          useFactory: () => new CommandExecutor(database.eventStore, database.pool, ruleSettingsOf(config)),
        },
        { provide: PersonalDataVault, useValue: database.personalData },
        { provide: ForgettingLedger, useValue: database.forgettingLedger },
        {
          provide: ReadSide,
          useFactory: () =>
            new ReadSide(() => Promise.resolve(database), config.READ_YOUR_WRITES_TIMEOUT_MS, answerSettingsOf(config)),
        },
        ...COMMAND_HANDLERS,
        ...QUERY_HANDLERS,
      ],
    };
  }
}
