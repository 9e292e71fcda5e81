export * from './projection';
export * from './registry-projections';

// What several read models keep of the log: facts in business time.
export * from './model/timeline';
export * from './model/organization-facts';
export * from './model/member-facts';
export * from './model/inflow-facts';

// The runtime that builds, follows and rebuilds every read model.
export * from './runtime/sql';
export * from './runtime/domain-event';
export * from './runtime/tables';
export * from './runtime/sql-tables';
export * from './runtime/memory-tables';
export * from './runtime/event-log';
export * from './runtime/generations';
export * from './runtime/apply';
export * from './runtime/projection-runner';
export * from './runtime/projector';
export * from './runtime/rebuild';
export * from './runtime/migrate';

// One folder per read model: its projection and the queries over its reporting views.
export * from './hierarchy/hierarchy.projection';
export * from './hierarchy/hierarchy.queries';
export * from './coverage/coverage.projection';
export * from './coverage/coverage.queries';
export * from './coverage/unit-coverage';
export * from './members/members.projection';
export * from './members/members.queries';
export * from './transfers/transfers.projection';
export * from './transfers/transfers.queries';
export * from './dues/dues.projection';
export * from './dues/dues.queries';
export * from './flowing/flowing.projection';
export * from './flowing/flowing.queries';
export * from './development/development.projection';
export * from './development/development.queries';
export * from './leadership/leadership.projection';
export * from './leadership/leadership.queries';
export * from './appraisal/appraisal.projection';
export * from './appraisal/appraisal.queries';
export * from './meetings/meetings.projection';
export * from './meetings/meetings.queries';
export * from './grids/grids.projection';
export * from './grids/grids.queries';

export { NotInReadModel } from './queries/reporting';
export * from './queries/regions';
export * from './queries/csv';
