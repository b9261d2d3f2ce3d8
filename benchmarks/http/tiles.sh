#!/usr/bin/env bash
# Tiles over HTTP: wrk (pinned to one core) GETs one full C2SP tile, anonymously, from the real gateway's /tlog
# (pinned to the other core): the goal is 20,000 requests/s for cached full tiles (docs/benchmarks.md). The log is
# filled first by token issuance (two entries per token), then a partner's full remote verification is timed. The
# gateway's CPU time per request (/proc/PID/stat over the timed run) is the figure to compare on a loaded machine.
#
# Run from the repository root:   bash benchmarks/http/tiles.sh
# Knobs (environment variables), besides those of common.sh (PORT, SERVER_CPU, CLIENT_CPU, BUILD, ...):
#   FILL=5s         how long tokens are issued to fill the log (at least 256 entries are needed for a full tile)
#   TILE=tile/0/000 the tile fetched (below /tlog/); tile/entries/000 measures an entry bundle
#   DURATION=30s    wrk -d
#   THREADS=1       wrk -t
#   CONNECTIONS=64  wrk -c
#   WARMUP=5s       an untimed wrk run first; 0 for none
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

FILL=${FILL:-5s}
TILE=${TILE:-tile/0/000}
DURATION=${DURATION:-30s}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-64}
WARMUP=${WARMUP:-5s}

http_wrk_setup

http_log "filling the log: wrk POST /v1/tokens for $FILL"
TOKENS_AUTHORIZATION=$(sed 's/^Authorization: //' "$http_workspace/pseudonymised-lab.basic") TOKENS_BODY=$http_token_request \
  HTTP_BENCH_SUMMARY=$http_repo/benchmarks/http/summary.lua taskset -c "$CLIENT_CPU" wrk -t1 -c16 -d"$FILL" \
  -s "$http_repo/benchmarks/http/tokens.lua" "$http_base/v1/tokens" >"$http_workspace/fill.out" || { cat "$http_workspace/fill.out"; http_die "token requests failed while filling the log"; }
size=$(curl -sf "$http_base/tlog/checkpoint" | sed -n 2p)
((size >= 256)) || http_die "the log has $size entries after FILL=$FILL: give a longer FILL"
tile_bytes=$(curl -sf -o /dev/null -w '%{size_download}' "$http_base/tlog/$TILE") || http_die "GET /tlog/$TILE failed"

run_wrk() {
  HTTP_BENCH_SUMMARY=$http_repo/benchmarks/http/summary.lua taskset -c "$CLIENT_CPU" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" --latency \
    -s "$http_repo/benchmarks/http/tiles.lua" "$http_base/tlog/$TILE" >"$2"
}

if [[ $WARMUP != 0 ]]; then
  http_log "warm-up: wrk -d$WARMUP (not measured)"
  run_wrk "$WARMUP" "$http_workspace/warmup.out" || { cat "$http_workspace/warmup.out"; http_die "requests failed during the warm-up"; }
fi

cpu_before=$(http_cpu_seconds "$http_server_pid")
out=$http_workspace/wrk.out
status=0
http_log "wrk -t$THREADS -c$CONNECTIONS -d$DURATION GET /tlog/$TILE on core $CLIENT_CPU"
run_wrk "$DURATION" "$out" || status=$?
cpu_after=$(http_cpu_seconds "$http_server_pid")
line=$(http_wrk_summary "$out" "$status")

http_log "a partner's full verification of the $size entries over HTTP"
verify_start=$(date +%s.%N)
taskset -c "$CLIENT_CPU" dotnet "$http_cli_dll" log verify --url "$http_base/tlog" --log-key "$http_workspace/log.pub" --full --json >"$http_workspace/verify.out" ||
  { cat "$http_workspace/verify.out"; http_die "log verify --url failed"; }
verify_end=$(date +%s.%N)

echo
echo "## HTTP tiles: GET /tlog/$TILE, wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
echo
http_machine
echo
requests=$(http_field "$line" requests)
echo "| tree size | tile bytes | requests | requests/s | p50 ms | p99 ms | max ms | failed | gateway CPU s | gateway CPU µs per request | log verify --url --full s (process start included) |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
echo "| $size | $tile_bytes | $requests | $(http_field "$line" requests_per_s) | $(http_field "$line" p50_ms) | $(http_field "$line" p99_ms) | $(http_field "$line" max_ms) | $(http_field "$line" errors_status), $(http_field "$line" errors_socket) | $(awk -v a="$cpu_before" -v b="$cpu_after" 'BEGIN { printf "%.2f", b - a }') | $(awk -v a="$cpu_before" -v b="$cpu_after" -v n="$requests" 'BEGIN { printf "%.1f", (b - a) * 1e6 / n }') | $(awk -v a="$verify_start" -v b="$verify_end" 'BEGIN { printf "%.2f", b - a }') |"
