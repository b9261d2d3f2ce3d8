#!/usr/bin/env bash
# Egress over HTTP on loopback: the real gateway (`concordat serve`, pinned to one core) streams
# GET /v1/datasets/patients/rows to a streaming client into a null sink (pinned to the other core), for a recipient
# with three pseudonymised columns and for one with no field rules (the untransformed baseline), in CSV and NDJSON;
# then the seal probe: a recipient is sealed while its stream is under way.
#
# Run from the repository root:   bash benchmarks/http/egress.sh
# Knobs (environment variables), besides those of common.sh (PORT, SERVER_CPU, CLIENT_CPU, BUILD, ...):
#   ROWS=1000000   rows imported (SyntheticPatients, seed 42, 10 columns; every row passes the row rules)
#   WARMUP=2       rounds of untimed streams before the measured ones, one of each recipient and format per round (so
#                  every path the measured streams take has been compiled by the JIT's upper tier: after start-up the
#                  JIT's background queue takes several seconds of the pinned core, and with 300,000 rows one round
#                  did not always drain it); 0 for none
#   SEAL=1         run the seal probe at the end; 0 to skip it
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ROWS=${ROWS:-1000000}
WARMUP=${WARMUP:-2}
SEAL=${SEAL:-1}

http_need taskset util-linux
http_need curl curl
http_need jq jq
http_build bench
http_start_gateway
http_agreement_up

http_import_patients "$ROWS"

rows_url=$http_base/v1/datasets/$http_dataset/rows

# egress_stream RECIPIENT ACCEPT: one stream through the pinned client; prints its key=value line.
egress_stream() {
  local out
  out=$(taskset -c "$CLIENT_CPU" dotnet "$http_bench_dll" http-egress-client "$rows_url" "$http_workspace/$1.token" "$2") || {
    echo "$out" >&2
    http_die "the $1 stream ($2) failed"
  }
  echo "$out"
}

recipients=(pseudonymised-lab baseline-lab)
for recipient in "${recipients[@]}"; do
  http_identity "$recipient"
  http_token "$recipient"
done

for ((round = 1; round <= WARMUP; round++)); do
  http_log "warm-up streams, round $round of $WARMUP (not measured)"
  for recipient in "${recipients[@]}"; do
    for accept in text/csv application/x-ndjson; do
      egress_stream "$recipient" "$accept" >/dev/null
    done
  done
done

declare -A rate
table=()
peak_reset=
for recipient in "${recipients[@]}"; do
  for accept in text/csv application/x-ndjson; do
    format=${accept#*/}
    format=${format#x-}
    rss_before=$(http_memory_mb "$http_server_pid" VmRSS)
    peak_reset=$(http_reset_peak "$http_server_pid")
    cpu_before=$(http_cpu_seconds "$http_server_pid")
    http_log "streaming $recipient ($format)"
    line=$(egress_stream "$recipient" "$accept")
    cpu_after=$(http_cpu_seconds "$http_server_pid")
    rss_after=$(http_memory_mb "$http_server_pid" VmRSS)
    peak=$(http_memory_mb "$http_server_pid" VmHWM)
    echo "$recipient $format: $line"
    rows=$(http_field "$line" rows)
    [[ $rows == "$ROWS" ]] || http_die "$recipient ($format) received $rows rows, not $ROWS"
    rate[$recipient/$format]=$(http_field "$line" rows_per_s)
    server_cpu=$(awk -v a="$cpu_before" -v b="$cpu_after" 'BEGIN { printf "%.2f", b - a }')
    table+=("$recipient|$format|$rows|$(awk -v b="$(http_field "$line" bytes)" 'BEGIN { printf "%.1f", b / 1e6 }')|$(http_field "$line" seconds)|$(http_field "$line" headers_ms)|$(http_field "$line" rows_per_s)|$server_cpu|$(http_field "$line" client_cpu_s)|$rss_before → $rss_after|$peak")
  done
done

echo
echo "## HTTP egress: $ROWS rows of 10 columns, loopback"
echo
http_machine
echo "peak RSS: VmHWM of the gateway $([[ $peak_reset == yes ]] && echo "since the start of each stream (reset with clear_refs)" || echo "since the gateway started (clear_refs was refused)")"
echo
echo "| recipient | format | rows | MB sent | seconds | of which to headers ms | rows/s | pseudonymised / untransformed | gateway CPU s | client CPU s | gateway RSS MB (before → after) | gateway peak RSS MB |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for row in "${table[@]}"; do
  IFS='|' read -r recipient format rows mb seconds headers rps server_cpu client_cpu rss peak <<<"$row"
  ratio=$(awk -v p="${rate[pseudonymised-lab/$format]}" -v u="${rate[baseline-lab/$format]}" 'BEGIN { printf "%.2f", p / u }')
  [[ $recipient == pseudonymised-lab ]] || ratio="(baseline)"
  echo "| $recipient | $format | $rows | $mb | $seconds | $headers | $rps | $ratio | $server_cpu | $client_cpu | $rss | $peak |"
done

if [[ $SEAL == 1 ]]; then
  # The seal revokes every credential of the recipient: it comes last, with a fresh token.
  http_token pseudonymised-lab
  http_log "seal probe: sealing pseudonymised-lab during its stream"
  line=$(taskset -c "$CLIENT_CPU" dotnet "$http_bench_dll" http-seal-client "$http_base" "$http_dataset" \
    "$http_workspace/pseudonymised-lab.token" "$http_workspace/admin.key" pseudonymised-lab) || {
    echo "$line" >&2
    http_die "the seal probe failed"
  }
  echo
  echo "seal probe: $line"
  echo
  echo "| seal to enforcement (gateway, enforcementMilliseconds) | seal sent to stream stop seen by the client | seal round trip | streams stopped | bytes read after the seal was sent |"
  echo "| ---: | ---: | ---: | ---: | ---: |"
  echo "| $(http_field "$line" enforcement_ms) ms | $(http_field "$line" client_stream_stop_ms) ms | $(http_field "$line" seal_response_ms) ms | $(http_field "$line" streams_stopped) | $(http_field "$line" bytes_after_seal) |"
fi
