-- Up Migration
-- An idempotent replay answers with the stored response under the route's own status, so the
-- status is no longer stored with it (docs/adr/0012-command-and-query-bus.md).
ALTER TABLE command_side.idempotency_keys DROP COLUMN status;

-- Down Migration
ALTER TABLE command_side.idempotency_keys ADD COLUMN status integer;
