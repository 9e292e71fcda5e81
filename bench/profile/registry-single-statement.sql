-- The single-statement append (libs/event-store/src/postgres/single-append.ts) with fixed content.
\set s random(1, 100000)
WITH head AS (
  INSERT INTO event_store.streams AS s (stream_id, version, last_hash)
  VALUES ('member-' || :s, 1, sha256('\x0000000000000000000000000000000000000000000000000000000000000000'::bytea || decode('aa11223344556677889900aabbccddeeff00112233445566778899aabbccddee', 'hex') || int8send(1) || int8send(pg_current_xact_id()::text::bigint * 1048576) || int8send((extract(epoch FROM now()) * 1000000)::bigint)))
  ON CONFLICT (stream_id) DO UPDATE SET version = s.version + 1,
    last_hash = sha256(s.last_hash || decode('aa11223344556677889900aabbccddeeff00112233445566778899aabbccddee', 'hex') || int8send(s.version + 1) || int8send(pg_current_xact_id()::text::bigint * 1048576) || int8send((extract(epoch FROM now()) * 1000000)::bigint))
  RETURNING version, last_hash
)
INSERT INTO event_store.events (position, stream_id, stream_version, category, event_id, event_type, data, metadata, recorded_at, hash)
SELECT pg_current_xact_id()::text::bigint * 1048576, 'member-' || :s, head.version, 'member', gen_random_uuid(), 'DuesPaid', '{"memberId":"0190a6a2-7c1e-7a3b-9c2d-1e2f3a4b5c6d","month":"2024-01","amountFen":2300,"channel":"wechat","paidOn":"2024-02-01"}'::jsonb, '{"actor":"bench","correlationId":"0190a6a2-7c1e-7a3b-9c2d-1e2f3a4b5c6d","causationId":"0190a6a2-7c1e-7a3b-9c2d-1e2f3a4b5c6d","requestId":"0190a6a2-7c1e-7a3b-9c2d-1e2f3a4b5c6d"}'::jsonb, now(), head.last_hash
FROM head RETURNING position, stream_version;
