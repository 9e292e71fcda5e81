-- Up Migration
-- The projector's bookkeeping: every generation of every projection, its checkpoint and its state.
-- A projection's own tables live in a schema per generation (projection_<name>_g<generation>);
-- the `reporting` schema holds stable views over the live generation of each.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE SCHEMA IF NOT EXISTS projections;
CREATE SCHEMA IF NOT EXISTS reporting;

CREATE TABLE projections.generations (
  name               text        NOT NULL,
  generation         integer     NOT NULL,
  version            integer     NOT NULL,
  schema_name        text        NOT NULL UNIQUE,
  state              text        NOT NULL CHECK (state IN ('building', 'live', 'retired')),
  position           bigint      NOT NULL DEFAULT 0,
  events_applied     bigint      NOT NULL DEFAULT 0,
  status             text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'stopped')),
  failed_position    bigint,
  failed_event_id    uuid,
  failed_event_type  text,
  failed_stream_id   text,
  error              text,
  failed_at          timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  live_since         timestamptz,
  retired_at         timestamptz,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (name, generation)
);
CREATE UNIQUE INDEX generations_one_live ON projections.generations (name) WHERE state = 'live';
CREATE UNIQUE INDEX generations_one_building ON projections.generations (name) WHERE state = 'building';

-- Events an operator chose to skip after inspecting a failure: kept for auditors.
CREATE TABLE projections.skipped_events (
  name        text        NOT NULL,
  generation  integer     NOT NULL,
  position    bigint      NOT NULL,
  event_id    uuid,
  event_type  text,
  error       text,
  skipped_by  text        NOT NULL,
  skipped_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (name, generation, position)
);

-- A read-only role for reporting jobs: it may read the views in `reporting` and nothing else.
-- Creating a role needs CREATEROLE; on a server where the registry's user lacks it, the role is
-- left to the DBA (docs/reporting.md) and the migration goes on.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'registry_reporting') THEN
    CREATE ROLE registry_reporting NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN
  RAISE NOTICE 'role registry_reporting not created: %', SQLERRM;
END $$;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'registry_reporting') THEN
    GRANT USAGE ON SCHEMA reporting TO registry_reporting;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'reporting grants skipped: %', SQLERRM;
END $$;
