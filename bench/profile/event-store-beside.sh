#!/usr/bin/env bash
# The event-store benchmark of an earlier commit beside this checkout's, alternating, so that a
# change in the machine shows in both and a change in the code shows in one.
#   bench/profile/event-store-beside.sh <commit> [pairs]
# Appends only by default (BENCH_LOG_SIZE small): set BENCH_LOG_SIZE to measure reads as well.
set -euo pipefail
commit=${1:?usage: bench/profile/event-store-beside.sh <commit> [pairs]}
pairs=${2:-3}
here=$(git rev-parse --show-toplevel)
earlier=${TMPDIR:-/tmp}/registry-bench-$(git rev-parse --short "$commit")
if [ ! -d "$earlier" ]; then
  mkdir -p "$earlier"
  git -C "$here" archive "$commit" | tar -x -C "$earlier"
  ln -s "$here/node_modules" "$earlier/node_modules"
fi
export BENCH_LOG_SIZE=${BENCH_LOG_SIZE:-4000} BENCH_READ_ROUNDS=${BENCH_READ_ROUNDS:-1}
for pair in $(seq "$pairs"); do
  for side in "$earlier" "$here"; do
    label=$([ "$side" = "$here" ] && echo "HEAD" || echo "$commit")
    printf '%s\tpair %s\t' "$label" "$pair"
    # The registry's rate and its ratio to each system, per append workload, then the result line.
    (cd "$side" && PATH="$here/node_modules/.bin:$PATH" tsx bench/event-store.bench.ts 2>&1 |
      awk -F'|' '/^\| append/ { gsub(/ +/, " "); printf "%s:%s%s ", $2, $4, $5 } index($0, "{\"append") == 1 { print; found = 1 }
                 END { if (!found) print "(no result line)" }') || true
  done
done
