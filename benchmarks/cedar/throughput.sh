#!/usr/bin/env bash
# Issue 12's attribute workload (AttributeWorkload: 50 partners, 200 datasets in 20 collections, 5 groups, 200 grants,
# 8 attribute prohibitions) through Concordat and Cedar, one thread each: decisions/s, Concordat's compile time,
# Cedar's policy parse time and the ratio; run on a quiet machine (docs/benchmarks.md).
# Usage: bash benchmarks/cedar/throughput.sh [CEDAR_REQUESTS (default 20000)]
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d tests/node/node_modules ] || npm ci --prefix tests/node --no-audit --no-fund
if [ "${BUILD:-1}" = 1 ]; then dotnet build benchmarks/Concordat.Benchmarks -c Release -nologo -v q; fi
dotnet artifacts/bin/Concordat.Benchmarks/release/Concordat.Benchmarks.dll cedar-throughput "${1:-20000}"
