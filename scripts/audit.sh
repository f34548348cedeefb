#!/usr/bin/env bash
# Audit every locked dependency (constraints.txt) for published vulnerabilities with
# pip-audit, which asks a vulnerability service (PyPI's by default, `-s osv` for OSV), so
# it needs network access to that service. Accepted findings are listed, with the reason,
# in security/known-issues.txt: they are reported but do not fail the audit. Anything
# else found, or a package that could not be audited, fails it (exit 1).
#   scripts/audit.sh [pip-audit options]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
PIP_AUDIT_VERSION="2.10.1"
VENV="$ROOT/deploy/.tools/audit-venv"

if ! [ -x "$VENV/bin/pip-audit" ] || ! "$VENV/bin/pip-audit" --version | grep -q "$PIP_AUDIT_VERSION"; then
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "pip-audit==$PIP_AUDIT_VERSION"
fi

ignores=()
while read -r id _; do
    [[ -z "$id" || "$id" == \#* ]] && continue
    ignores+=(--ignore-vuln "$id")
done < "$ROOT/security/known-issues.txt"

exec "$VENV/bin/pip-audit" --requirement "$ROOT/constraints.txt" --no-deps --disable-pip --strict \
    --progress-spinner off ${ignores[@]+"${ignores[@]}"} "$@"
