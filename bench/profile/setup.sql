-- Tables for the append-cost attribution (pgbench).
DROP TABLE IF EXISTS bare1, bare4, heads;
CREATE TABLE bare1 (position bigserial primary key, stream_id text, v bigint, id uuid, t text, category text, data jsonb, metadata jsonb, at timestamptz default now(), hash bytea);
CREATE TABLE bare4 (LIKE bare1 INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
CREATE UNIQUE INDEX ON bare4 (id);
CREATE UNIQUE INDEX ON bare4 (stream_id, v);
CREATE INDEX ON bare4 (category, position);
CREATE TABLE heads (stream_id text primary key, version bigint, last_hash bytea);
INSERT INTO heads SELECT 'm-' || i, 0, '\x00'::bytea FROM generate_series(1, 100000) i;
