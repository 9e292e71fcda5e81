import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { REGISTRY_DATABASE, type RegistryDatabase } from '@registry/runtime';
import { Public } from '../http/auth';

class EventStoreHealth {
  @ApiProperty({ enum: ['up'] }) status!: 'up';
  @ApiProperty({ enum: ['embedded', 'external'] }) mode!: 'embedded' | 'external';
  @ApiProperty({ description: 'newest readable global position, decimal string', example: '786432' })
  headPosition!: string;
}

class Health {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
  @ApiProperty() eventStore!: EventStoreHealth;
}

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(REGISTRY_DATABASE) private readonly database: RegistryDatabase) {}

  @Get()
  @ApiOkResponse({ type: Health, description: 'the registry and its event store answer' })
  @ApiServiceUnavailableResponse({ description: 'the event store does not answer' })
  async health(): Promise<Health> {
    try {
      const head = await this.database.eventStore.headPosition();
      return { status: 'ok', eventStore: { status: 'up', mode: this.database.mode, headPosition: head.toString() } };
    } catch {
      throw new ServiceUnavailableException('the event store does not answer');
    }
  }
}
