#!/usr/bin/env bash
# Runs the whole Concordat test suite on a fresh Debian machine: installs what the tests need when it is
# missing (PostgreSQL for the PostgreSQL store tests, Node.js and the npm peers of tests/node), builds with warnings as errors, runs every test
# project, and ends with one line "N passed, N failed, N skipped" summed over all projects.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "installing PostgreSQL (Debian package postgresql)..."
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi

if ! command -v node >/dev/null 2>&1; then
  echo "installing Node.js (Debian packages nodejs, npm)..."
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi
# The independent Python verifier of evidence packs (tests/Concordat.Tests/Evidence/evidence_verify.py) needs
# Python 3 with `cryptography` (Debian package python3-cryptography).
if ! python3 -c 'import cryptography' >/dev/null 2>&1; then
  echo "installing Python's cryptography (Debian package python3-cryptography)..."
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3 python3-cryptography >/dev/null
fi
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
