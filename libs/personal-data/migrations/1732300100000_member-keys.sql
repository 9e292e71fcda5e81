-- Up Migration
-- Per-member data keys, wrapped by the master key (libs/personal-data, ADR 0007). Deleting a row
-- forgets the person: the events keep only ciphertext that nothing can open any more.
CREATE SCHEMA IF NOT EXISTS personal_data;

CREATE TABLE personal_data.member_keys (
  member_id    text        PRIMARY KEY,
  wrapped_key  bytea       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- Who was forgotten, and when: no personal data, only the fact.
CREATE TABLE personal_data.forgotten_members (
  member_id     text        PRIMARY KEY,
  forgotten_at  timestamptz NOT NULL DEFAULT now(),
  forgotten_by  text        NOT NULL
);

-- Down Migration
DROP SCHEMA personal_data CASCADE;
