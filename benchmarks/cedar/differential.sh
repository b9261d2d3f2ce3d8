#!/usr/bin/env bash
# The Cedar differential of CedarDifferentialTests on more requests: Concordat's compiled index against
# @cedar-policy/cedar-wasm on random attribute agreements, every decision and determining clause compared.
# Usage: bash benchmarks/cedar/differential.sh [REQUESTS (default 100000)] [SEED (default random, printed)]
# Exits 1 on any difference, printing the seed, the agreement, its Cedar text and the request.
set -euo pipefail
cd "$(dirname "$0")/../.."
REQUESTS="${1:-100000}"
SEED="${2:-$(( (RANDOM << 15) | RANDOM ))}"
echo "seed $SEED"
[ -d tests/node/node_modules ] || npm ci --prefix tests/node --no-audit --no-fund
if [ "${BUILD:-1}" = 1 ]; then dotnet build benchmarks/Concordat.Benchmarks -c Release -nologo -v q; fi
dotnet artifacts/bin/Concordat.Benchmarks/release/Concordat.Benchmarks.dll cedar-differential "$REQUESTS" "$SEED"
