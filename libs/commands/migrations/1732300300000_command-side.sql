-- Up Migration
-- What command handlers must know beyond one stream, kept in the same transaction as the append
-- (docs/adr/0008-command-side-lookups.md). Every row here is derived from events, except the
-- idempotency records, which are responses.
CREATE SCHEMA IF NOT EXISTS command_side;

CREATE TABLE command_side.units (
  unit_id  uuid PRIMARY KEY,
  status   text NOT NULL CHECK (status IN ('operating', 'closed'))
);

-- Rows are locked FOR SHARE by commands that need the organisation to stay active (registering a
-- member into it, establishing a child under it) and FOR UPDATE by dissolving it, so a dissolution
-- and a registration cannot both pass their checks.
CREATE TABLE command_side.organizations (
  organization_id  uuid PRIMARY KEY,
  status           text NOT NULL CHECK (status IN ('active', 'dissolved')),
  parent_id        uuid,
  region_code      text NOT NULL
);
CREATE INDEX organizations_parent ON command_side.organizations (parent_id);

CREATE TABLE command_side.memberships (
  member_id        uuid PRIMARY KEY,
  organization_id  uuid,
  status           text NOT NULL CHECK (status IN ('member', 'left'))
);
CREATE INDEX memberships_organization ON command_side.memberships (organization_id) WHERE status = 'member';

-- One owner per unique value: a resident-ID fingerprint (HMAC, never the number), a letter number,
-- a credit code. Written in the transaction of the event that claims it.
CREATE TABLE command_side.reservations (
  kind       text NOT NULL,
  value      text NOT NULL,
  stream_id  text NOT NULL,
  PRIMARY KEY (kind, value)
);

-- Idempotency-Key: the first response to (caller, key), committed with the events it answers.
CREATE TABLE command_side.idempotency_keys (
  principal     text        NOT NULL,
  key           text        NOT NULL,
  request_hash  text        NOT NULL,
  status        integer,
  response      jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (principal, key)
);

-- Down Migration
DROP SCHEMA command_side CASCADE;
