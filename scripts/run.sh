#!/usr/bin/env bash
# The main job: build the concordat command and run it on the sample agreements.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Concordat.Cli -c Release -nologo -v q
concordat() { dotnet artifacts/bin/Concordat.Cli/release/Concordat.Cli.dll "$@"; }
# A sample workspace (keys, the signed sample agreement, a synthetic dataset, a recipient identity),
# then the gateway on 127.0.0.1:8080 with the next commands to try; Ctrl+C stops it.
concordat quickstart --workspace "${CONCORDAT_WORKSPACE:-artifacts/quickstart}" "$@"
