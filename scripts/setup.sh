#!/usr/bin/env bash
# Set up a development environment on a fresh Debian machine: the system packages
# the tests need, and a virtual environment in .venv with wirewatch and its extras.
#   scripts/setup.sh          runtime + embedded broker (enough for `wirewatch demo`)
#   scripts/setup.sh --test   plus everything the test suite uses
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-run}
PYTHON=${PYTHON:-python3}

need_apt=()
if [ "$mode" = "--test" ]; then
  command -v prometheus >/dev/null || need_apt+=(prometheus)
  command -v promtool >/dev/null || need_apt+=(prometheus)
  command -v kcat >/dev/null || need_apt+=(kcat)
  # Apache Kafka for the integration suite: a Java to run it, Maven to resolve its jars.
  command -v java >/dev/null || need_apt+=(openjdk-17-jre-headless)
  command -v mvn >/dev/null || need_apt+=(maven)
  command -v openssl >/dev/null || need_apt+=(openssl)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: please install: ${need_apt[*]} (apt-get, as root)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ "$mode" = "--test" ]; then
  .venv/bin/python -m pip install -q -c constraints.txt -e ".[embedded,test,deploy]"
  PYTHON="$PYTHON" bash scripts/deploy-tools.sh
  # Apache Kafka's jars, resolved once with Maven into ~/.cache/wirewatch/kafka (or
  # $WIREWATCH_KAFKA_CACHE); later runs reuse them. The latest 4.x and the 3.9 line.
  for v in 4.4.0 3.9.1; do
    .venv/bin/wirewatch broker --kind apache-kafka --version "$v" --resolve-only
  done
else
  .venv/bin/python -m pip install -q -c constraints.txt -e ".[embedded]"
fi
