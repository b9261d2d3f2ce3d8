#!/usr/bin/env bash
# The main job: publish the concordat command (ReadyToRun, so the gateway starts in under a second) and run the
# quickstart.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet publish src/Concordat.Cli -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true \
  -o artifacts/publish/concordat -nologo -v q
concordat() { dotnet artifacts/publish/concordat/Concordat.Cli.dll "$@"; }
# A sample workspace (keys, the signed sample agreement, a synthetic dataset, a recipient identity),
# then the gateway on 127.0.0.1:8080 with the next commands to try; Ctrl+C stops it.
concordat quickstart --workspace "${CONCORDAT_WORKSPACE:-artifacts/quickstart}" "$@"
