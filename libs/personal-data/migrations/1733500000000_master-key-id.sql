-- Up Migration
-- Which master key wraps the data keys: its id (derived from the key, never the key). A process with
-- another key refuses to start, and a seal checks it after inserting its data key, which a rotation's
-- table lock holds back until the new id is committed: nothing keeps a data key wrapped with the old key.
CREATE TABLE personal_data.master_key (
  singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
  key_id      text        NOT NULL,
  adopted_at  timestamptz NOT NULL DEFAULT now(),
  rotated_at  timestamptz
);

-- Down Migration
DROP TABLE personal_data.master_key;
