-- Up Migration
-- The event log. See docs/adr/0003-global-order-from-transaction-ids.md and 0004-hash-chain.md.
CREATE SCHEMA IF NOT EXISTS event_store;

CREATE TABLE event_store.streams (
  stream_id  text PRIMARY KEY,
  version    bigint NOT NULL CHECK (version >= 0),
  last_hash  bytea  NOT NULL
);

-- position = top-level transaction id * 2^20 + index of the event within that transaction.
-- It is unique, increases in commit-safe order, and everything below
-- pg_snapshot_xmin(pg_current_snapshot()) * 2^20 is final (no transaction can still add there).
CREATE TABLE event_store.events (
  position        bigint      PRIMARY KEY,
  stream_id       text        NOT NULL,
  stream_version  bigint      NOT NULL CHECK (stream_version >= 1),
  category        text        NOT NULL,
  event_id        uuid        NOT NULL UNIQUE,
  event_type      text        NOT NULL,
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL,
  recorded_at     timestamptz NOT NULL,
  hash            bytea       NOT NULL,
  UNIQUE (stream_id, stream_version)
);

CREATE INDEX events_category_position ON event_store.events (category, position);

-- The log is append-only. Crypto-shredding erases keys elsewhere; nothing here is ever updated.
CREATE FUNCTION event_store.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'event_store.events is append-only (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER events_append_only
  BEFORE UPDATE OR DELETE ON event_store.events
  FOR EACH ROW EXECUTE FUNCTION event_store.refuse_change();
CREATE TRIGGER events_no_truncate
  BEFORE TRUNCATE ON event_store.events
  FOR EACH STATEMENT EXECUTE FUNCTION event_store.refuse_change();

-- Appends p_events (a JSON array of {id, type, data, metadata, digest}) to one stream atomically,
-- in one round trip. Failures raise with SQLSTATE 'RG001' (wrong expected version) or 'RG002'
-- (an event id stored in another stream or only partly stored); nothing is written then.
-- p_expected: 'no-stream' | 'stream-exists' | 'any' | 'exact' (then p_expected_version).
CREATE FUNCTION event_store.append(
  p_stream_id text,
  p_expected text,
  p_expected_version bigint,
  p_events jsonb
) RETURNS TABLE (outcome text, stream_version bigint, first_position bigint, last_position bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_count      int := jsonb_array_length(p_events);
  v_current    bigint;
  v_hash       bytea;
  v_hashes     bytea[] := '{}';
  v_now        timestamptz := clock_timestamp();
  v_micros     bigint;
  v_offset     bigint;
  v_base       bigint;
  v_stored     int;
  v_same       boolean;
  v_first_pos  bigint;
  v_last_pos   bigint;
  v_last_ver   bigint;
  v_digest     text;
  v_ids        uuid[];
  i            int;
BEGIN
  IF v_count = 0 THEN
    RAISE EXCEPTION 'append needs at least one event' USING ERRCODE = 'invalid_parameter_value';
  END IF;

  IF p_expected IN ('no-stream', 'any') OR (p_expected = 'exact' AND p_expected_version = 0) THEN
    INSERT INTO event_store.streams (stream_id, version, last_hash)
    VALUES (p_stream_id, 0, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
    ON CONFLICT (stream_id) DO NOTHING;
  END IF;

  SELECT s.version, s.last_hash INTO v_current, v_hash
  FROM event_store.streams s WHERE s.stream_id = p_stream_id FOR UPDATE;

  IF NOT FOUND THEN
    RAISE EXCEPTION 'wrong expected version' USING ERRCODE = 'RG001', DETAIL = '0';
  END IF;

  -- A retry of an append whose answer was lost: same ids, already stored, answer as the first time.
  -- Probing the first id alone keeps this an equality lookup on the unique index (a generic plan
  -- for `= ANY(array)` estimates thousands of rows and scans the table). A batch whose first id is
  -- new but a later one is stored fails on that index below, as the conflict it is.
  IF EXISTS (SELECT 1 FROM event_store.events e WHERE e.event_id = (p_events -> 0 ->> 'id')::uuid) THEN
    v_ids := ARRAY(SELECT (x->>'id')::uuid FROM jsonb_array_elements(p_events) x);
    SELECT count(*), bool_and(e.stream_id = p_stream_id), min(e.position), max(e.position), max(e.stream_version)
    INTO v_stored, v_same, v_first_pos, v_last_pos, v_last_ver
    FROM unnest(v_ids) AS wanted(id)
    JOIN event_store.events e ON e.event_id = wanted.id;
    IF v_stored = v_count AND v_same THEN
      RETURN QUERY SELECT 'duplicate'::text, v_last_ver, v_first_pos, v_last_pos;
      RETURN;
    END IF;
    RAISE EXCEPTION 'event ids already stored elsewhere' USING ERRCODE = 'RG002';
  END IF;

  IF (p_expected = 'no-stream' AND v_current <> 0)
     OR (p_expected = 'stream-exists' AND v_current = 0)
     OR (p_expected = 'exact' AND v_current <> p_expected_version) THEN
    RAISE EXCEPTION 'wrong expected version' USING ERRCODE = 'RG001', DETAIL = v_current::text;
  END IF;

  v_offset := coalesce(nullif(current_setting('event_store.transaction_offset', true), '')::bigint, 0);
  IF v_offset + v_count > 1048576 THEN
    RAISE EXCEPTION 'more than 1048576 events in one transaction' USING ERRCODE = 'program_limit_exceeded';
  END IF;
  v_base := pg_current_xact_id()::text::bigint * 1048576 + v_offset;
  v_micros := (extract(epoch FROM v_now) * 1000000)::bigint;

  FOR i IN 1..v_count LOOP
    v_digest := p_events -> (i - 1) ->> 'digest';
    v_hash := sha256(v_hash || decode(v_digest, 'hex') || int8send(v_current + i)
                     || int8send(v_base + i - 1) || int8send(v_micros));
    v_hashes := v_hashes || v_hash;
  END LOOP;

  INSERT INTO event_store.events
    (position, stream_id, stream_version, category, event_id, event_type, data, metadata, recorded_at, hash)
  SELECT v_base + x.n - 1, p_stream_id, v_current + x.n, split_part(p_stream_id, '-', 1),
         (x.e->>'id')::uuid, x.e->>'type', x.e->'data', x.e->'metadata', v_now, v_hashes[x.n]
  FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, n);

  UPDATE event_store.streams SET version = v_current + v_count, last_hash = v_hash
  WHERE event_store.streams.stream_id = p_stream_id;

  PERFORM set_config('event_store.transaction_offset', (v_offset + v_count)::text, true);

  RETURN QUERY SELECT 'appended'::text, v_current + v_count, v_base, v_base + v_count - 1;
END $$;

-- Down Migration
DROP SCHEMA event_store CASCADE;
