import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { RegistryCommands } from '@registry/commands';
import type { RegistryConfig } from '@registry/config';
import { RegistryCoreModule, type RegistryDatabase, TokenVerifier } from '@registry/runtime';
import { HealthController } from './health/health.controller';
import { AuthGuard } from './http/auth';
import { MemberReader } from './http/member-reader';
import { MembersController } from './http/members.controller';
import { OrganizationsController } from './http/organizations.controller';
import { UnitsController } from './http/units.controller';
import { ProblemDetailsFilter } from './problems/problem-details.filter';

@Module({})
export class AppModule {
  static register(config: RegistryConfig, database: RegistryDatabase): DynamicModule {
    return {
      module: AppModule,
      imports: [RegistryCoreModule.forRoot(config, database)],
      controllers: [HealthController, UnitsController, OrganizationsController, MembersController],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_GUARD, useClass: AuthGuard },
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
