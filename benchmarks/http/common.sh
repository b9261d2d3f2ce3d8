# Sourced by the scripts of this folder (not run on its own): the Release build, a throwaway workspace, the real
# gateway as its own process pinned to one core, and the setup through the gateway's administrative API.
#
# Knobs (environment variables):
#   PORT=5599            where the gateway listens, on 127.0.0.1
#   SERVER_CPU=0         the core the gateway is pinned to (taskset -c)
#   CLIENT_CPU=1         the core the client (benchmark client, wrk) is pinned to
#   BUILD=1              build the CLI (and the benchmark client) in Release first; 0 uses what artifacts/ holds
#   STARTUP_TIMEOUT=60   seconds to wait for the gateway to answer
#   KEEP_WORKSPACE=0     1 keeps the temporary workspace (and the gateway's output in it) after the run
#   GATEWAY_LOG_LEVEL=Warning  the gateway's console log level (Logging__LogLevel__Default); Information writes
#                        lines for every request, as `concordat serve` does by default
#   GATEWAY_ENV=         more environment for the gateway alone, as NAME=VALUE words (for profiling, e.g.
#                        "DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0" for perf)
# Needs: dotnet, curl, jq, taskset (installed with apt-get when missing and running as root).

PORT=${PORT:-5599}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
BUILD=${BUILD:-1}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-60}
KEEP_WORKSPACE=${KEEP_WORKSPACE:-0}
GATEWAY_LOG_LEVEL=${GATEWAY_LOG_LEVEL:-Warning}
GATEWAY_ENV=${GATEWAY_ENV:-}

http_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
http_cli_dll=$http_repo/artifacts/bin/Concordat.Cli/release/Concordat.Cli.dll
http_bench_dll=$http_repo/artifacts/bin/Concordat.Benchmarks/release/Concordat.Benchmarks.dll
http_agreement=$http_repo/benchmarks/http/bench-agreement.yaml
# The agreement's parties (it has no approvers): each signs with a key made at setup time.
http_signers=(hospital pseudonymised-lab baseline-lab)
http_dataset=patients
http_base=http://127.0.0.1:$PORT
http_workspace=
http_server_pid=

http_log() { echo "[http-bench] $*" >&2; }

http_die() {
  echo "error: $*" >&2
  exit 1
}

# http_need COMMAND PACKAGE: installs PACKAGE with apt-get when COMMAND is missing.
http_need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  [[ $(id -u) -eq 0 ]] || http_die "\`$1\` is missing: install the Debian package \`$2\`"
  http_log "installing $2"
  apt-get install -y -qq "$2" >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq "$2" >/dev/null; } ||
    http_die "cannot install \`$2\` with apt-get"
}

# http_build [bench]: the CLI in Release, and the benchmark client too when asked.
http_build() {
  [[ $BUILD == 1 ]] || { [[ -f $http_cli_dll ]] || http_die "BUILD=0 but $http_cli_dll is missing"; return 0; }
  http_log "building the CLI in Release"
  dotnet build -c Release -nologo -v q "$http_repo/src/Concordat.Cli" >/dev/null || http_die "the CLI does not build (run: dotnet build -c Release src/Concordat.Cli)"
  if [[ ${1:-} == bench ]]; then
    http_log "building the benchmark client in Release"
    dotnet build -c Release -nologo -v q "$http_repo/benchmarks/Concordat.Benchmarks" >/dev/null ||
      http_die "the benchmarks do not build (run: dotnet build -c Release benchmarks/Concordat.Benchmarks)"
  fi
}

http_cli() { dotnet "$http_cli_dll" "$@"; }

# http_stop_gateway: SIGTERM, then SIGKILL after 10 s; reaps the process.
http_stop_gateway() {
  if [[ -n $http_server_pid ]] && kill -0 "$http_server_pid" 2>/dev/null; then
    kill -TERM "$http_server_pid" 2>/dev/null || true
    # A child that has exited stays a zombie (and answers kill -0) until it is reaped: watch its state instead.
    local state
    for _ in $(seq 50); do
      state=$(awk '{ print $3 }' "/proc/$http_server_pid/stat" 2>/dev/null || true)
      [[ -z $state || $state == Z ]] && break
      sleep 0.2
    done
    kill -KILL "$http_server_pid" 2>/dev/null || true
    wait "$http_server_pid" 2>/dev/null || true
  fi
  http_server_pid=
}

http_cleanup() {
  local status=$?
  http_stop_gateway
  if [[ -n $http_workspace && -d $http_workspace ]]; then
    if [[ $status -ne 0 && -f $http_workspace/gateway.out ]]; then
      echo "last lines of the gateway's output:" >&2
      tail -n 20 "$http_workspace/gateway.out" >&2
    fi
    if [[ $KEEP_WORKSPACE == 1 ]]; then http_log "workspace kept: $http_workspace"; else rm -rf "$http_workspace"; fi
  fi
}

# http_launch_gateway POLL_SECONDS: `concordat serve` on $http_workspace, pinned to SERVER_CPU; returns once
# GET /v1/log/checkpoint gets an HTTP answer, polling every POLL_SECONDS.
http_launch_gateway() {
  # Invariant: env and taskset exec dotnet, so $! is the gateway's own pid (its /proc entries are the server's).
  # shellcheck disable=SC2086 # GATEWAY_ENV is NAME=VALUE words, split on purpose.
  env Logging__LogLevel__Default="$GATEWAY_LOG_LEVEL" ${GATEWAY_ENV:-} taskset -c "$SERVER_CPU" dotnet "$http_cli_dll" serve --workspace "$http_workspace" --urls "$http_base" \
    >>"$http_workspace/gateway.out" 2>&1 &
  http_server_pid=$!
  local deadline=$((SECONDS + STARTUP_TIMEOUT))
  until curl -s -o /dev/null --max-time 2 "$http_base/v1/log/checkpoint"; do
    kill -0 "$http_server_pid" 2>/dev/null || http_die "the gateway did not start (exited early; its output is below)"
    ((SECONDS < deadline)) || http_die "the gateway did not answer on $http_base within ${STARTUP_TIMEOUT} s"
    sleep "$1"
  done
}

# http_start_gateway [POLL_SECONDS]: a fresh workspace and `concordat serve` on it, pinned to SERVER_CPU; waits until
# it answers (polling every POLL_SECONDS, 0.2 by default).
http_start_gateway() {
  if curl -s -o /dev/null --max-time 2 "$http_base/"; then
    http_die "something already answers on $http_base: stop it or choose another PORT"
  fi
  http_workspace=$(mktemp -d "${TMPDIR:-/tmp}/concordat-http-bench.XXXXXX")
  trap http_cleanup EXIT
  trap 'exit 130' INT TERM
  http_launch_gateway "${1:-0.2}"
  # Security: secrets go to curl through header files (owner-only), never on a command line.
  (umask 077 && printf 'Authorization: Bearer %s\n' "$(cat "$http_workspace/admin.key")" >"$http_workspace/admin.header")
  http_log "gateway pid $http_server_pid on $http_base, pinned to core $SERVER_CPU, log level $GATEWAY_LOG_LEVEL; workspace $http_workspace"
}

# http_agreement_up: a fresh key per signer (pinned in the workspace's trusted-keys), signs the benchmark agreement
# with `concordat agreement sign`, and uploads it with `concordat agreement upload`.
http_agreement_up() {
  local signer signatures=$http_workspace/http-bench.sigs.json
  mkdir -p "$http_workspace/parties"
  for signer in "${http_signers[@]}"; do
    http_cli key new --name "$signer" --out "$http_workspace/parties/$signer" >/dev/null
    echo "$signer $(cat "$http_workspace/parties/$signer.pub")" >>"$http_workspace/trusted-keys"
    # The agreement's lint warnings (AGR3008: the baseline grant is untransformed on purpose) show once, below.
    http_cli agreement sign "$http_agreement" --key "$http_workspace/parties/$signer.key" --as "$signer" --signatures "$signatures" \
      >/dev/null 2>"$http_workspace/sign.err" || { cat "$http_workspace/sign.err" >&2; http_die "cannot sign the agreement as \`$signer\`"; }
  done
  grep '^warning' "$http_workspace/sign.err" >&2 || true
  http_cli agreement upload "$http_agreement" --signatures "$signatures" --workspace "$http_workspace" --url "$http_base" >&2
}

# http_import_patients ROWS: ROWS synthetic patient rows (seed 42) imported as the benchmark dataset through the gateway.
http_import_patients() {
  http_log "importing $1 rows"
  dotnet "$http_bench_dll" http-patients-csv "$1" "$http_workspace/patients.csv" >&2
  http_cli dataset import "$http_dataset" "$http_workspace/patients.csv" --workspace "$http_workspace" --url "$http_base" >&2
  rm -f "$http_workspace/patients.csv"
}

# http_post PATH HEADER_FILE BODY: POSTs JSON; prints the body; fails with the gateway's answer unless 2xx.
http_post() {
  local out status
  out=$(curl -s -w '\n%{http_code}' -H @"$2" -H 'content-type: application/json' -d "$3" "$http_base$1")
  status=${out##*$'\n'}
  [[ $status == 2* ]] || http_die "POST $1 answered $status: ${out%$'\n'*}"
  echo "${out%$'\n'*}"
}

# http_identity RECIPIENT: a service identity (role training); writes WORKSPACE/RECIPIENT.basic, the header with
# its HTTP Basic credentials.
http_identity() {
  local body
  body=$(http_post "/v1/recipients/$1/identities" "$http_workspace/admin.header" '{"role":"training"}')
  (umask 077 && printf 'Authorization: Basic %s\n' \
    "$(printf '%s:%s' "$(jq -r .clientId <<<"$body")" "$(jq -r .clientSecret <<<"$body")" | base64 -w0)" \
    >"$http_workspace/$1.basic")
}

# The token request every benchmark sends: the dataset, the grants' purpose and jurisdiction.
http_token_request="{\"dataset\":\"$http_dataset\",\"purpose\":\"training\",\"jurisdiction\":\"GB\"}"

# http_token RECIPIENT: a fresh bearer token for the identity's recipient, in WORKSPACE/RECIPIENT.token.
http_token() {
  local body
  body=$(http_post /v1/tokens "$http_workspace/$1.basic" "$http_token_request")
  (umask 077 && jq -r .token <<<"$body" >"$http_workspace/$1.token")
}

# http_cpu_seconds PID: user + system CPU time of a process, in seconds.
http_cpu_seconds() {
  local stat
  stat=$(<"/proc/$1/stat")
  # Fields after "pid (comm) ": utime and stime are the 12th and 13th (fields 14 and 15 of proc(5)).
  awk -v ticks="$(getconf CLK_TCK)" '{ printf "%.2f", ($12 + $13) / ticks }' <<<"${stat##*) }"
}

# http_memory_mb PID FIELD: VmRSS or VmHWM of a process, in MB.
http_memory_mb() { awk -v f="$2:" '$1 == f { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# http_reset_peak PID: resets VmHWM (proc(5), clear_refs "5"), so the next reading is the peak since now.
# Prints "yes" when it could, "no" when the kernel refused (VmHWM is then the peak since start).
http_reset_peak() { if echo 5 >"/proc/$1/clear_refs" 2>/dev/null; then echo yes; else echo no; fi; }

# http_field LINE KEY: the value of KEY in a line of key=value pairs.
http_field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

# http_machine: what the report needs to say about the machine and how its cores were shared.
http_machine() {
  echo "machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)), $(dotnet --version 2>/dev/null | sed 's/^/.NET SDK /'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "cores: gateway pinned to core $SERVER_CPU (taskset -c $SERVER_CPU), client pinned to core $CLIENT_CPU (taskset -c $CLIENT_CPU); gateway log level $GATEWAY_LOG_LEVEL"
}

# http_wrk_setup: the tools the wrk scripts need, the build, a gateway with the benchmark agreement, and the identity
# pseudonymised-lab with one token taken by hand first: a setup mistake then fails with the gateway's own answer, not
# as wrk errors.
http_wrk_setup() {
  http_need taskset util-linux
  http_need curl curl
  http_need jq jq
  http_need wrk wrk
  http_build
  http_start_gateway
  http_agreement_up
  http_identity pseudonymised-lab
  http_token pseudonymised-lab
}

# http_wrk_summary OUT STATUS: prints wrk's output OUT and then its summary line; dies when wrk (exit STATUS) did not
# finish or saw a failed request.
http_wrk_summary() {
  cat "$1" >&2
  local line
  line=$(grep '^summary ' "$1" || true)
  [[ -n $line ]] || http_die "wrk did not finish (exit $2)"
  (($2 == 0)) || http_die "wrk saw failed requests: $(http_field "$line" errors_status) answered 4xx/5xx, $(http_field "$line" errors_socket) socket errors (the gateway's reasons are in its log: KEEP_WORKSPACE=1)"
  echo "$line"
}
