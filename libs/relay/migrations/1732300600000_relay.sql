-- The Kafka relay's checkpoint, its stop on an event it cannot publish, and the events an admin skipped.
CREATE SCHEMA IF NOT EXISTS relay;

CREATE TABLE relay.checkpoints (
  name text PRIMARY KEY,
  -- Every event at or before this position has been acknowledged by the broker.
  position bigint NOT NULL DEFAULT 0,
  published bigint NOT NULL DEFAULT 0,
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'stopped')),
  failed_position bigint,
  failed_event_id uuid,
  failed_event_type text,
  failed_stream_id text,
  error text,
  failed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE relay.skipped_events (
  name text NOT NULL REFERENCES relay.checkpoints (name),
  position bigint NOT NULL,
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  stream_id text NOT NULL,
  error text NOT NULL,
  skipped_by text NOT NULL,
  skipped_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (name, position)
);
