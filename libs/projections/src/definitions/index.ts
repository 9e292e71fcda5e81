import type { ProjectionDefinition } from '../projection';
import { coverageProjection } from './coverage.projection';
import { duesProjection } from './dues.projection';
import { flowingProjection } from './flowing.projection';
import { hierarchyProjection } from './hierarchy.projection';
import { membersProjection } from './members.projection';
import { transfersProjection } from './transfers.projection';

/** Every read model of the registry. */
export function registryProjections(): ProjectionDefinition[] {
  return [
    hierarchyProjection,
    coverageProjection(),
    membersProjection,
    transfersProjection,
    duesProjection,
    flowingProjection,
  ];
}

export {
  coverageProjection,
  duesProjection,
  flowingProjection,
  hierarchyProjection,
  membersProjection,
  transfersProjection,
};
