import { type DynamicModule, Module } from '@nestjs/common';
import type { RegistryConfig } from '@registry/config';
import { RegistryCoreModule, type RegistryDatabase } from '@registry/runtime';

@Module({})
export class ProjectorModule {
  static register(config: RegistryConfig, database: RegistryDatabase): DynamicModule {
    return { module: ProjectorModule, imports: [RegistryCoreModule.forRoot(config, database)] };
  }
}
