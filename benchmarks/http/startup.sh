#!/usr/bin/env bash
# Start-up time of `concordat serve` (Release, pinned to one core): from launching the process to its first HTTP
# answer on GET /v1/log/checkpoint, polled every 5 ms. The first start creates the workspace (keys, databases);
# the agreement is then uploaded and a dataset imported, and every later start opens that workspace as an
# operator's restart would.
#
# It measures the command as scripts/run.sh publishes it (ReadyToRun, artifacts/publish/concordat).
#
# Run from the repository root:   bash benchmarks/http/startup.sh
# Knobs (environment variables), besides those of common.sh (PORT, SERVER_CPU, BUILD, ...):
#   RUNS=10   restarts measured on the populated workspace
#   CLI_DLL   the command to measure instead, e.g. artifacts/bin/Concordat.Cli/release/Concordat.Cli.dll (plain build)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

RUNS=${RUNS:-10}

http_need taskset util-linux
http_need curl curl
http_need jq jq
http_build bench
# What scripts/run.sh runs: the command published ReadyToRun (precompiled, so start-up JITs little).
if [[ $BUILD == 1 ]]; then
  http_log "publishing the CLI ReadyToRun (as scripts/run.sh does)"
  dotnet publish "$http_repo/src/Concordat.Cli" -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true \
    -o "$http_repo/artifacts/publish/concordat" -nologo -v q >/dev/null || http_die "the CLI does not publish"
fi
http_cli_dll=${CLI_DLL:-$http_repo/artifacts/publish/concordat/Concordat.Cli.dll}
[[ -f $http_cli_dll ]] || http_die "$http_cli_dll is missing: run with BUILD=1 (or bash scripts/run.sh) first"

now_ms() { echo $(($(date +%s%N) / 1000000)); }

started=$(now_ms)
http_start_gateway 0.005
first=$(($(now_ms) - started))
http_agreement_up
dotnet "$http_bench_dll" http-patients-csv 10000 "$http_workspace/patients.csv" >&2
http_cli dataset import "$http_dataset" "$http_workspace/patients.csv" --workspace "$http_workspace" --url "$http_base" >&2
http_stop_gateway

times=()
for run in $(seq "$RUNS"); do
  started=$(now_ms)
  http_launch_gateway 0.005
  times+=($(($(now_ms) - started)))
  http_log "restart $run: ${times[-1]} ms"
  http_stop_gateway
done

sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo
echo "## Gateway start-up: launch to first HTTP answer"
echo
http_machine
echo
echo "| start | runs | min ms | median ms | max ms |"
echo "| --- | ---: | ---: | ---: | ---: |"
echo "| first (creates the workspace) | 1 | $first | $first | $first |"
echo "| restart (agreement, dataset, log entries in place) | $RUNS | $(head -1 <<<"$sorted") | $(sed -n "$(((RUNS + 1) / 2))p" <<<"$sorted") | $(tail -1 <<<"$sorted") |"
