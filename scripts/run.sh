#!/usr/bin/env bash
# The main job: build the `concordat` .NET tool package from this repository, install it as a global tool (so
# `concordat` is on PATH the .NET way, in ~/.dotnet/tools), and run the quickstart with it. Each step says what it
# does while it does it.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==> %s\n' "$*"; }

# A version of its own per build, so the install always takes this build and never a cached package.
version="0.1.0-local.$(date -u +%Y%m%d%H%M%S)"
step "building the concordat tool package $version (dotnet pack; a minute or two on a fresh clone)"
rm -rf artifacts/tool
dotnet pack src/Concordat.Cli -c Release -o artifacts/tool -p:Version="$version" -nologo -v minimal -clp:NoSummary

step "installing it as a global tool from the local folder feed artifacts/tool"
dotnet tool update --global --add-source artifacts/tool --version "$version" Concordat.Cli
tools="${DOTNET_CLI_HOME:-$HOME}/.dotnet/tools"
case ":$PATH:" in
  *":$tools:"*) ;;
  *) export PATH="$PATH:$tools"
     echo "note: add $tools to PATH (for example in ~/.profile) to run \`concordat\` from any shell" ;;
esac

# A sample workspace (the demo keys, the signed sample agreement, a synthetic dataset, a recipient identity), then
# the gateway on 127.0.0.1:8080 with the next commands to try; Ctrl+C stops it. Running it again reuses the workspace.
step "concordat quickstart"
concordat quickstart --workspace "${CONCORDAT_WORKSPACE:-artifacts/quickstart}" "$@"
