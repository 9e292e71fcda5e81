import { type DynamicModule, Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { RegistryConfig } from '@registry/config';
import type { RegistryDatabase } from './registry-database';

export const REGISTRY_CONFIG = Symbol('REGISTRY_CONFIG');
export const REGISTRY_DATABASE = Symbol('REGISTRY_DATABASE');
export const EVENT_STORE = Symbol('EVENT_STORE');

class DatabaseCloser implements OnApplicationShutdown {
  constructor(private readonly database: RegistryDatabase) {}

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}

/** Makes the validated configuration, the database and the event store injectable everywhere. */
@Global()
@Module({})
export class RegistryCoreModule {
  static forRoot(config: RegistryConfig, database: RegistryDatabase): DynamicModule {
    return {
      module: RegistryCoreModule,
      providers: [
        { provide: REGISTRY_CONFIG, useValue: config },
        { provide: REGISTRY_DATABASE, useValue: database },
        { provide: EVENT_STORE, useValue: database.eventStore },
        { provide: DatabaseCloser, useFactory: () => new DatabaseCloser(database) },
      ],
      exports: [REGISTRY_CONFIG, REGISTRY_DATABASE, EVENT_STORE],
    };
  }
}
