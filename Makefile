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

# pip-audit over every locked dependency (constraints.txt); needs a reachable vulnerability
# service (PyPI's JSON API, or OSV with `scripts/audit.sh -s osv`). Fails closed.
audit:
	scripts/audit.sh
