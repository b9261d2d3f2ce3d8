#!/usr/bin/env bash
# Witness round trip over HTTP: the gateway's own witness submitter (Concordat.Benchmarks -- witness-round-trip, on a
# throwaway workspace's SQLite log, pinned to CLIENT_CPU) submits each new checkpoint with its consistency proof to
# `concordat witness serve` (pinned to SERVER_CPU) on loopback and verifies the cosignature it gets back; ROUNDS rounds
# are timed one by one, after 5 untimed ones (docs/benchmarks.md, "Witness round trip").
#
# Run from the repository root:   bash benchmarks/http/witness.sh
# Knobs (environment variables), besides those of common.sh (PORT, SERVER_CPU, CLIENT_CPU, BUILD, KEEP_WORKSPACE):
#   ROUNDS=1000   rounds timed
#   ENTRIES=1     entries appended before each round (the consistency proof grows with the tree's size, slowly)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ROUNDS=${ROUNDS:-1000}
ENTRIES=${ENTRIES:-1}
WARMUP_ROUNDS=5

witness_cleanup() {
  local status=$?
  if [[ $status -ne 0 && -n $http_workspace && -f $http_workspace/witness.out ]]; then
    echo "last lines of the witness's output:" >&2
    tail -n 20 "$http_workspace/witness.out" >&2
  fi
  http_cleanup
}

http_need taskset util-linux
http_need curl curl
http_need jq jq
http_build bench
if curl -s -o /dev/null --max-time 2 "$http_base/"; then
  http_die "something already answers on $http_base: stop it or choose another PORT"
fi
http_workspace=$(mktemp -d "${TMPDIR:-/tmp}/concordat-witness-bench.XXXXXX")
trap witness_cleanup EXIT
trap 'exit 130' INT TERM

log_pub=$(dotnet "$http_bench_dll" witness-round-trip prepare "$http_workspace/gateway")
http_cli key new --name bench-witness --out "$http_workspace/bench-witness" >/dev/null
# Invariant: taskset execs dotnet, so $! is the witness's own pid (its /proc entries are the server's).
taskset -c "$SERVER_CPU" dotnet "$http_cli_dll" witness serve --state "$http_workspace/witness-state" --key "$http_workspace/bench-witness.key" \
  --log "$log_pub" --urls "$http_base" >"$http_workspace/witness.out" 2>&1 &
http_server_pid=$!
deadline=$((SECONDS + STARTUP_TIMEOUT))
until grep -q '^cosigner key: ' "$http_workspace/witness.out"; do
  kill -0 "$http_server_pid" 2>/dev/null || http_die "the witness did not start (exited early)"
  ((SECONDS < deadline)) || http_die "the witness did not start within ${STARTUP_TIMEOUT} s"
  sleep 0.2
done
cosigner=$(sed -n 's/^cosigner key: //p' "$http_workspace/witness.out")
jq -n --arg url "$http_base" --arg key "$cosigner" '{witnesses: [{url: $url, key: $key}]}' >"$http_workspace/gateway/witnesses.json"
http_log "witness pid $http_server_pid on $http_base, pinned to core $SERVER_CPU; $ROUNDS rounds of $ENTRIES entries from core $CLIENT_CPU"

cpu_before=$(http_cpu_seconds "$http_server_pid")
line=$(taskset -c "$CLIENT_CPU" dotnet "$http_bench_dll" witness-round-trip run "$http_workspace/gateway" "$ROUNDS" "$ENTRIES") ||
  http_die "the round trips failed: ${line:-no output}"
cpu_after=$(http_cpu_seconds "$http_server_pid")
echo "$line" >&2

echo
echo "## Witness round trip: $ROUNDS rounds of $ENTRIES entries, the gateway's submitter to \`concordat witness serve\` over loopback HTTP"
echo
http_machine | sed "s/gateway pinned/witness pinned/; s/; gateway log level .*//"
echo
echo "| final tree size | p50 ms | p90 ms | p99 ms | max ms | mean ms | submitter CPU µs per round (appends and signing included) | witness CPU µs per round (warm-up rounds included) |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
echo "| $(http_field "$line" tree_size) | $(http_field "$line" p50_ms) | $(http_field "$line" p90_ms) | $(http_field "$line" p99_ms) | $(http_field "$line" max_ms) | $(http_field "$line" mean_ms) | $(http_field "$line" client_cpu_us_per_round) | $(awk -v a="$cpu_before" -v b="$cpu_after" -v n="$((ROUNDS + WARMUP_ROUNDS))" 'BEGIN { printf "%.0f", (b - a) * 1e6 / n }') |"
