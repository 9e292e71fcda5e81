-- Up Migration
-- The read horizon, ignoring transactions of other databases in the same cluster.
-- See docs/adr/0003-global-order-from-transaction-ids.md ("Only this database's writers hold readers back").
--
-- pg_snapshot_xmin is cluster-wide: a long transaction in any other database would stall every
-- reader here, although it cannot write to this database. This function returns
--   least(xmax of the snapshot, smallest in-progress xid that belongs to this database) * 2^20.
-- Callers must read events in a LATER statement than this call: an in-progress xid that has
-- finished by the time pg_stat_activity is read here is not counted, and is visible to any
-- snapshot taken afterwards.
CREATE FUNCTION event_store.read_horizon() RETURNS bigint
LANGUAGE sql VOLATILE PARALLEL UNSAFE AS $$
  -- pg_stat_activity is cached per transaction; a stale copy could omit a running writer.
  SELECT pg_stat_clear_snapshot();
  WITH snapshot AS (SELECT pg_current_snapshot() AS s),
  writers_here AS (
    SELECT backend_xid::text::bigint AS xid32 FROM pg_stat_activity
    WHERE backend_xid IS NOT NULL
      AND datid = (SELECT oid FROM pg_database WHERE datname = current_database())
    UNION ALL
    SELECT transaction::text::bigint FROM pg_prepared_xacts WHERE database = current_database()
  )
  SELECT least(
    pg_snapshot_xmax(snapshot.s)::text::bigint,
    (SELECT min(x::text::bigint) FROM pg_snapshot_xip(snapshot.s) AS x
      WHERE x::text::bigint % 4294967296 IN (SELECT xid32 FROM writers_here))
  ) * 1048576
  FROM snapshot;
$$;

-- Down Migration
DROP FUNCTION event_store.read_horizon();
