-- Up Migration
-- A secretary must be a full member (支部工作条例 art. 10), so the command side keeps each member's
-- standing. Existing members take theirs from the log where it is in this database.
ALTER TABLE command_side.memberships
  ADD COLUMN standing text NOT NULL DEFAULT 'probationary' CHECK (standing IN ('probationary', 'full'));

DO $$
BEGIN
  IF to_regclass('event_store.events') IS NOT NULL THEN
    UPDATE command_side.memberships m SET standing = 'full'
    WHERE EXISTS (
      SELECT 1 FROM event_store.events e
      WHERE e.stream_id = 'member-' || m.member_id
        AND (e.event_type = 'MemberConfirmed' OR (e.event_type = 'MemberRegistered' AND e.data->>'status' = 'full'))
    );
  END IF;
END
$$;

-- Down Migration
ALTER TABLE command_side.memberships DROP COLUMN standing;
