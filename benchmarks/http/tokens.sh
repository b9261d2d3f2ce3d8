#!/usr/bin/env bash
# Token issuance over HTTP: wrk (pinned to one core) POSTs client credentials and a token request to the real
# gateway's /v1/tokens (pinned to the other core). Every issuance logs its decision and the token durably before it
# answers, so this also measures the log's group commit under HTTP.
#
# Run from the repository root:   bash benchmarks/http/tokens.sh
# Knobs (environment variables), besides those of common.sh (PORT, SERVER_CPU, CLIENT_CPU, BUILD, ...):
#   DURATION=30s    wrk -d
#   THREADS=1       wrk -t
#   CONNECTIONS=64  wrk -c
#   TIMEOUT=5s      wrk --timeout (a slower answer counts as an error)
#   WARMUP=5s       an untimed wrk run first (same settings), so the JIT's work is not measured; 0 for none
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DURATION=${DURATION:-30s}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-64}
TIMEOUT=${TIMEOUT:-5s}
WARMUP=${WARMUP:-5s}

http_wrk_setup

# log_size: the tree size of the gateway's latest checkpoint.
log_size() { curl -sf "$http_base/v1/log/checkpoint" | sed -n 2p; }

# run_wrk DURATION OUT: wrk pinned to CLIENT_CPU; returns wrk's exit code (1 when any request failed).
run_wrk() {
  # Security: the Basic credentials reach wrk through its environment, which only its owner can read.
  TOKENS_AUTHORIZATION=$(sed 's/^Authorization: //' "$http_workspace/pseudonymised-lab.basic") TOKENS_BODY=$http_token_request \
    HTTP_BENCH_SUMMARY=$http_repo/benchmarks/http/summary.lua taskset -c "$CLIENT_CPU" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" --timeout "$TIMEOUT" --latency \
    -s "$http_repo/benchmarks/http/tokens.lua" "$http_base/v1/tokens" >"$2"
}

if [[ $WARMUP != 0 ]]; then
  http_log "warm-up: wrk -d$WARMUP (not measured)"
  run_wrk "$WARMUP" "$http_workspace/warmup.out" || { cat "$http_workspace/warmup.out"; http_die "requests failed during the warm-up"; }
fi

size_before=$(log_size)
cpu_before=$(http_cpu_seconds "$http_server_pid")
out=$http_workspace/wrk.out
status=0
http_log "wrk -t$THREADS -c$CONNECTIONS -d$DURATION on core $CLIENT_CPU"
run_wrk "$DURATION" "$out" || status=$?
cpu_after=$(http_cpu_seconds "$http_server_pid")
size_after=$(log_size)
peak=$(http_memory_mb "$http_server_pid" VmHWM)
line=$(http_wrk_summary "$out" "$status")

requests=$(http_field "$line" requests)
entries=$((size_after - size_before))
echo
echo "## HTTP token issuance: POST /v1/tokens, wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
echo
http_machine
echo
echo "| requests | requests/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | failed (status ≥ 400, socket) | log entries appended | entries per request | gateway CPU s | gateway peak RSS MB |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
echo "| $requests | $(http_field "$line" requests_per_s) | $(http_field "$line" p50_ms) | $(http_field "$line" p90_ms) | $(http_field "$line" p99_ms) | $(http_field "$line" p999_ms) | $(http_field "$line" max_ms) | $(http_field "$line" errors_status), $(http_field "$line" errors_socket) | $entries | $(awk -v e="$entries" -v r="$requests" 'BEGIN { printf "%.2f", e / r }') | $(awk -v a="$cpu_before" -v b="$cpu_after" 'BEGIN { printf "%.2f", b - a }') | $peak |"
