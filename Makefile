.PHONY: demo test test-fast eval bench audit

# Embedded broker + worker + the seed articles, alerts printed as they arrive.
demo:
	scripts/setup.sh
	.venv/bin/wirewatch demo

# The whole suite: unit, model, agents, real brokers/workers/Prometheus, chart checks.
test:
	scripts/setup.sh --test
	.venv/bin/python -m pytest -ra

# Without real processes (no broker, no Prometheus).
test-fast:
	.venv/bin/python -m pytest -ra -m "not integration"

# Every locked dependency (constraints.txt) against PyPI's vulnerability data; needs PyPI's
# JSON API. Fails on a finding not accepted in security/known-issues.txt, on a package it
# could not ask about, and on a pin it could not audit (AUDIT_FLAGS=--allow-unaudited
# accepts those where the index serves only the project endpoint; the output lists them).
audit:
	.venv/bin/python scripts/audit.py $(AUDIT_FLAGS)
