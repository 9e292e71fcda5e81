-- Four indexes plus the stream head update, as one statement: everything but the function.
\set s random(1, 100000)
WITH h AS (UPDATE heads SET version = version + 1, last_hash = sha256(last_hash) WHERE stream_id = 'm-' || :s RETURNING stream_id, version, last_hash)
INSERT INTO bare4 (stream_id, v, id, t, category, data, metadata, hash) SELECT h.stream_id, nextval('bare1_position_seq'), gen_random_uuid(), 'DuesPaid', 'member', '{"memberId":"0190a6a2-7c1e-7a3b-9c2d-1e2f3a4b5c6d","month":"2024-01","amountFen":2300,"channel":"wechat","paidOn":"2024-02-01"}'::jsonb, '{"actor":"bench","correlationId":"0190a6a2-7c1e-7a3b-9c2d-1e2f3a4b5c6d","causationId":"0190a6a2-7c1e-7a3b-9c2d-1e2f3a4b5c6d","requestId":"0190a6a2-7c1e-7a3b-9c2d-1e2f3a4b5c6d"}'::jsonb, h.last_hash FROM h;
