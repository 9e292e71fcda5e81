-- Bare single-row INSERT: the ceiling (primary key only).
\set s random(1, 100000)
INSERT INTO bare1 (stream_id, v, id, t, category, data, metadata, hash) VALUES ('m-' || :s, nextval('bare1_position_seq'), gen_random_uuid(), 'DuesPaid', 'member', '{"memberId":"0190a6a2-7c1e-7a3b-9c2d-1e2f3a4b5c6d","month":"2024-01","amountFen":2300,"channel":"wechat","paidOn":"2024-02-01"}'::jsonb, '{"actor":"bench","correlationId":"0190a6a2-7c1e-7a3b-9c2d-1e2f3a4b5c6d","causationId":"0190a6a2-7c1e-7a3b-9c2d-1e2f3a4b5c6d","requestId":"0190a6a2-7c1e-7a3b-9c2d-1e2f3a4b5c6d"}'::jsonb, sha256('x'));
