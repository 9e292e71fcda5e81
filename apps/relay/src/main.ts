import 'reflect-metadata';
import { runLogFollower } from '@registry/runtime';
import { RelayModule } from './relay.module';

runLogFollower({
  name: 'relay',
  purpose: 'the Kafka relay (it arrives with the integration issue; nothing is published yet)',
  module: (config, database) => RelayModule.register(config, database),
});
