import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { RegistryCommands } from '@registry/commands';
import type { RegistryConfig } from '@registry/config';
import { RegistryCoreModule, type RegistryDatabase, TokenVerifier } from '@registry/runtime';
import type { Projector } from '@registry/projections';
import type { KafkaRelay } from '@registry/relay';
import { HealthController } from './health/health.controller';
import { MetricsController } from './health/metrics.controller';
import { BackgroundWorkers, PROJECTOR, RELAY } from './health/background-workers';
import { AuthGuard } from './http/auth';
import { MemberReader } from './http/member-reader';
import { MembersController } from './http/members.controller';
import { OrganizationsController } from './http/organizations.controller';
import { CoverageController, OrganizationQueriesController, ReportsController } from './http/queries.controller';
import { ReadModels } from './http/read-models';
import { OrganizationScope, ScopeGuard } from './http/scope';
import { EventFeedController } from './http/event-feed.controller';
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
      imports: [RegistryCoreModule.forRoot(config, database)],
      controllers: [
        HealthController,
        MetricsController,
        UnitsController,
        OrganizationsController,
        OrganizationQueriesController,
        MembersController,
        CoverageController,
        ReportsController,
        StreamsController,
        EventFeedController,
        SchemasController,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: ScopeGuard },
        { provide: PROJECTOR, useValue: projector },
        { provide: RELAY, useValue: relay },
        BackgroundWorkers,
        OrganizationScope,
        ReadModels,
        { provide: TokenVerifier, useFactory: () => new TokenVerifier(config) },
        {
          provide: RegistryCommands,
          useFactory: () => new RegistryCommands(database.eventStore, database.pool, database.personalData),
        },
        MemberReader,
      ],
    };
  }
}
