import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { RegistryConfig } from '@registry/config';
import { RegistryCoreModule, type RegistryDatabase } from '@registry/runtime';
import { HealthController } from './health/health.controller';
import { ProblemDetailsFilter } from './problems/problem-details.filter';

@Module({})
export class AppModule {
  static register(config: RegistryConfig, database: RegistryDatabase): DynamicModule {
    return {
      module: AppModule,
      imports: [RegistryCoreModule.forRoot(config, database)],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}
