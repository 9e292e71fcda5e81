import type { ProjectionDefinition } from './projection';
import { appraisalProjection } from './appraisal/appraisal.projection';
import { coverageProjection } from './coverage/coverage.projection';
import { developmentProjection } from './development/development.projection';
import { duesProjection } from './dues/dues.projection';
import { flowingProjection } from './flowing/flowing.projection';
import { gridsProjection } from './grids/grids.projection';
import { hierarchyProjection } from './hierarchy/hierarchy.projection';
import { leadershipProjection } from './leadership/leadership.projection';
import { meetingsProjection } from './meetings/meetings.projection';
import { membersProjection } from './members/members.projection';
import { transfersProjection } from './transfers/transfers.projection';

/** Every read model of the registry. */
export function registryProjections(): ProjectionDefinition[] {
  return [
    hierarchyProjection,
    coverageProjection(),
    membersProjection,
    transfersProjection,
    duesProjection,
    flowingProjection,
    developmentProjection,
    leadershipProjection,
    appraisalProjection,
    meetingsProjection,
    gridsProjection,
  ];
}
