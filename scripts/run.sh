#!/usr/bin/env bash
# The main job: build the concordat command and run it on the sample agreements.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Concordat.Cli -c Release -nologo -v q
concordat() { dotnet artifacts/bin/Concordat.Cli/release/Concordat.Cli.dll "$@"; }
concordat --help
