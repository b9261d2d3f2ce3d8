#!/usr/bin/env bash
# Soak test for the transparency log's durability: runs the SIGKILL crash test many more times than the suite does.
# Usage: scripts/soak-log.sh [RUNS] [SEED]   (defaults: 500 kills, seed from the clock)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-500}"
seed="${2:-$(date +%s)}"
echo "soak: $runs kills, seed $seed (rerun a failure with: scripts/soak-log.sh $runs $seed)"
dotnet build tests/Concordat.Storage.Tests -c Release -nologo -v q
CONCORDAT_CRASH_RUNS="$runs" CONCORDAT_CRASH_SEED="$seed" \
  dotnet test tests/Concordat.Storage.Tests -c Release --no-build --nologo \
  --filter "FullyQualifiedName~SqliteLogCrashTests"
