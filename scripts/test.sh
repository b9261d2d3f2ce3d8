#!/usr/bin/env bash
# Runs the whole Concordat test suite on a fresh Debian machine: installs what the tests need when it is
# missing (PostgreSQL, Node.js and the npm peers of tests/node, Python's cryptography, Chromium), builds with warnings as errors, runs every test
# project, and ends with one line "N passed, N failed, N skipped" summed over all projects.
set -euo pipefail
cd "$(dirname "$0")/.."

# Installs Debian packages ($2...) with the message $1, as root or through sudo; `apt-get update` runs once. Called
# only as a plain command (never after || or &&), so that `set -e` stops the script when an install fails.
updated=""
install_debian() {
  local what="$1"; shift
  echo "installing $what (Debian packages $*)..."
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  if [ -z "$updated" ]; then $SUDO apt-get update -qq; updated=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

# PostgreSQL for the PostgreSQL store tests.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then install_debian PostgreSQL postgresql; fi
if ! command -v node >/dev/null 2>&1; then install_debian Node.js nodejs npm; fi
# The independent Python verifier of evidence packs (tests/Concordat.Tests/Evidence/evidence_verify.py) needs
# Python 3 with `cryptography`.
if ! python3 -c 'import cryptography' >/dev/null 2>&1; then install_debian "Python's cryptography" python3 python3-cryptography; fi
# The browser tests (tests/Concordat.Browser.Tests) drive Debian's chromium through Playwright; no browser is downloaded.
if [ ! -x /usr/bin/chromium ]; then install_debian Chromium chromium; fi
# The peers from npm that tests compare against (tests/node/README.md), exactly as package-lock.json pins them.
npm ci --prefix tests/node --no-audit --no-fund --loglevel=error >/dev/null

results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build Concordat.slnx -c Release -nologo -v q
status=0
dotnet test Concordat.slnx -c Release --no-build --nologo \
  --logger "trx;LogFilePrefix=tests" --results-directory "$results" -- RunConfiguration.TreatNoTestsAsError=false || status=$?

python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
