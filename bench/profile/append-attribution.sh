#!/usr/bin/env bash
# Where an append's server time goes, without Node: pgbench runs each script for 8 s with 1 and 16
# clients against PROFILE_DATABASE_URL's server (default: a local PostgreSQL with trust auth).
# Usage: bench/profile/append-attribution.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
admin=${PROFILE_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
db_url=${admin%/*}/registry_append_attribution
psql "$admin" -qc 'DROP DATABASE IF EXISTS registry_append_attribution' -c 'CREATE DATABASE registry_append_attribution'
(cd "$root" && npx tsx -e "import('./libs/event-store/src/postgres/migrate').then((m) => m.migrateEventStore('$db_url'))" >/dev/null)
psql "$db_url" -q -f "$here/setup.sql"
for clients in 1 16; do
  for script in bare-insert-1-index bare-insert-4-indexes bare-insert-4-indexes-and-head registry-single-statement registry-append-function; do
    tps=$(pgbench "$db_url" -n -M prepared -c "$clients" -j 2 -T 8 -f "$here/$script.sql" 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
    printf '%-32s clients %-2s tps %s\n' "$script" "$clients" "$tps"
  done
done
psql "$admin" -qc 'DROP DATABASE registry_append_attribution'
