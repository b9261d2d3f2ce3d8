#!/usr/bin/env bash
# Delta Sharing egress and the exit export: the real gateway (`concordat serve`, pinned to one core) serves a table of
# ROWS synthetic patient rows to each benchmark recipient (three pseudonymised columns; no field rules) through the
# protocol: a share token from the client-credentials endpoint, a table query (the first writes the Parquet file, the
# second finds it cached), then the file through its pre-signed URL, fetched whole by curl and read by DuckDB as a
# connector reads it (HEAD, the footer by a range request, then 64 KiB ranges: every range is an egress entry and a
# signed attestation), both pinned to the other core. Then the gateway stops and `concordat export` writes the whole
# workspace (log, tiles, Parquet, attestations) and `concordat import` rebuilds it.
#
# Run from the repository root:   bash benchmarks/http/deltasharing.sh
# Knobs (environment variables), besides those of common.sh (PORT, SERVER_CPU, CLIENT_CPU, BUILD, ...):
#   ROWS=1000000   rows imported (SyntheticPatients, seed 42, 10 columns)
#   FETCHES=3      whole-file fetches per recipient (the best is reported)
#   DUCKDB=1       read each file with DuckDB through ranges (needs tests/node/node_modules: scripts/test.sh installs it); 0 to skip
#   EXPORT=1       time the exit export and the re-import; 0 to skip
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ROWS=${ROWS:-1000000}
FETCHES=${FETCHES:-3}
DUCKDB=${DUCKDB:-1}
EXPORT=${EXPORT:-1}

http_need taskset util-linux
http_need curl curl
http_need jq jq
[[ $DUCKDB == 0 || -d $http_repo/tests/node/node_modules/@duckdb ]] || http_die "DUCKDB=1 needs tests/node/node_modules (run scripts/test.sh once, or set DUCKDB=0)"
http_build bench
http_start_gateway
http_agreement_up

http_import_patients "$ROWS"

share=$(awk '/^id:/ { print $2; exit }' "$http_agreement")
query_url=$http_base/delta-sharing/shares/$share/schemas/default/tables/$http_dataset/query

# ms_since START_NS: milliseconds since a `date +%s%N` reading.
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

table=()
for recipient in pseudonymised-lab baseline-lab; do
  http_identity "$recipient"
  # Security: the share token goes to curl through an owner-only header file, never on a command line.
  token=$(curl -s -H @"$http_workspace/$recipient.basic" -d 'grant_type=client_credentials&scope=purpose:training jurisdiction:GB' \
    "$http_base/delta-sharing/oauth/token" | jq -r .access_token)
  [[ -n $token && $token != null ]] || http_die "no share token for $recipient"
  (umask 077 && printf 'Authorization: Bearer %s\n' "$token" >"$http_workspace/$recipient.share")

  start=$(date +%s%N)
  answer=$(curl -s -H @"$http_workspace/$recipient.share" -H 'content-type: application/json' -d '{}' "$query_url")
  first_ms=$(ms_since "$start")
  start=$(date +%s%N)
  answer=$(curl -s -H @"$http_workspace/$recipient.share" -H 'content-type: application/json' -d '{}' "$query_url")
  cached_ms=$(ms_since "$start")
  file=$(sed -n 3p <<<"$answer")
  url=$(jq -r .file.url <<<"$file")
  size=$(jq -r .file.size <<<"$file")
  records=$(jq -r '.file.stats | fromjson | .numRecords' <<<"$file")
  [[ $records == "$ROWS" ]] || http_die "$recipient's file holds $records rows, not $ROWS: $answer"

  best=
  for ((i = 1; i <= FETCHES; i++)); do
    seconds=$(taskset -c "$CLIENT_CPU" curl -s -o /dev/null -w '%{time_total}' "$url")
    best=$(awk -v a="${best:-$seconds}" -v b="$seconds" 'BEGIN { print (b < a ? b : a) }')
  done

  duckdb_s=-
  duckdb_requests=-
  if [[ $DUCKDB == 1 ]]; then
    line=$(cd "$http_repo/tests/node" && taskset -c "$CLIENT_CPU" node duckdb-count.mjs <<<"{\"url\":$(jq -Rn --arg u "$url" '$u')}")
    [[ $(jq -r .rows <<<"$line") == "$ROWS" ]] || http_die "DuckDB read $(jq -r .rows <<<"$line") rows from $recipient's file, not $ROWS"
    duckdb_s=$(jq -r .seconds <<<"$line")
    duckdb_requests=$(jq -r .requests <<<"$line")
  fi

  table+=("$recipient|$size|$first_ms|$cached_ms|$best|$(awk -v r="$ROWS" -v s="$best" 'BEGIN { printf "%.0f", r / s }')|$(awk -v b="$size" -v s="$best" 'BEGIN { printf "%.1f", b / s / 1e6 }')|$duckdb_s|$duckdb_requests")
done

echo
echo "## Delta Sharing: $ROWS rows of 10 columns as Parquet, loopback"
echo
http_machine
echo
echo "| recipient | file bytes | first query ms (writes the file) | cached query ms | whole-file fetch s (best of $FETCHES) | rows/s | MB/s | DuckDB ranged read s | DuckDB requests |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for row in "${table[@]}"; do
  IFS='|' read -r recipient size first cached best rps mbps duck requests <<<"$row"
  echo "| $recipient | $size | $first | $cached | $best | $rps | $mbps | $duck | $requests |"
done

if [[ $EXPORT == 1 ]]; then
  http_stop_gateway
  http_cli log checkpoint --workspace "$http_workspace" >/dev/null
  start=$(date +%s%N)
  http_cli export --workspace "$http_workspace" --out "$http_workspace/export" --json >"$http_workspace/export.json"
  export_ms=$(ms_since "$start")
  start=$(date +%s%N)
  http_cli import --from "$http_workspace/export" --workspace "$http_workspace/restored" --log-key "$http_workspace/log.pub" --json >"$http_workspace/import.json"
  import_ms=$(ms_since "$start")
  echo
  echo "| exit export ms | export MB | log entries | re-import ms |"
  echo "| ---: | ---: | ---: | ---: |"
  echo "| $export_ms | $(du -sm "$http_workspace/export" | cut -f1) | $(jq -r .logEntries "$http_workspace/export.json") | $import_ms |"
fi
