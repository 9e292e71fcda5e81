import 'reflect-metadata';
import { runLogFollower } from '@registry/runtime';
import { ProjectorModule } from './projector.module';

runLogFollower({
  name: 'projector',
  purpose: 'read-model projections (they arrive with the projections issue; none is registered yet)',
  module: (config, database) => ProjectorModule.register(config, database),
});
