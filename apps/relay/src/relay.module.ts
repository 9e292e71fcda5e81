import { type DynamicModule, Module } from '@nestjs/common';
import type { RegistryConfig } from '@registry/config';
import { RegistryCoreModule, type RegistryDatabase } from '@registry/runtime';

@Module({})
export class RelayModule {
  static register(config: RegistryConfig, database: RegistryDatabase): DynamicModule {
    return { module: RelayModule, imports: [RegistryCoreModule.forRoot(config, database)] };
  }
}
