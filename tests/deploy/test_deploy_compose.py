"""The laptop stack: compose mounts the chart's rules and dashboards, and no second copy exists."""
from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
FILES = REPO / "helm" / "wirewatch" / "files"
SKIP_DIRS = {".git", "node_modules", ".tools", ".venv", "__pycache__", ".pytest_cache"}


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def host_mounts(service: dict) -> dict[Path, str]:
    mounts = {}
    for volume in service.get("volumes", []):
        source, target = volume.split(":")[:2]
        if source.startswith("."):
            mounts[(DEPLOY / source).resolve()] = target
    return mounts


def test_compose_mounts_the_chart_files():
    services = compose()["services"]
    prometheus = host_mounts(services["prometheus"])
    assert prometheus[(FILES / "prometheus" / "rules.yaml").resolve()] == "/etc/prometheus/rules/wirewatch.yaml"
    grafana = host_mounts(services["grafana"])
    dashboards_target = grafana[(FILES / "dashboards").resolve()]
    provider = yaml.safe_load((DEPLOY / "grafana/provisioning/dashboards/wirewatch.yaml").read_text(encoding="utf-8"))
    assert provider["providers"][0]["options"]["path"] == dashboards_target
    for service in services.values():
        for source in host_mounts(service):
            assert source.exists(), source


def test_compose_prometheus_loads_the_mounted_rules(tools):
    config = yaml.safe_load((DEPLOY / "prometheus/prometheus.yml").read_text(encoding="utf-8"))
    assert config["rule_files"] == ["/etc/prometheus/rules/*.yaml"]
    jobs = {j["job_name"]: j for j in config["scrape_configs"]}
    assert jobs["wirewatch"]["static_configs"][0]["targets"] == ["wirewatch:6066"]
    result = tools.run([tools.path("promtool"), "check", "config", "--syntax-only",
                        str(DEPLOY / "prometheus/prometheus.yml")])
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_kafka_in_kraft_mode_and_a_hardened_worker():
    services = compose()["services"]
    kafka = services["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    worker = services["wirewatch"]
    assert worker["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    assert worker["environment"]["WIREWATCH_BROKER"] == "kafka:9092"
    assert worker["read_only"] is True and worker["cap_drop"] == ["ALL"]
    assert "/tmp" in worker["tmpfs"]
    assert any(v.endswith(":/var/lib/wirewatch") for v in worker["volumes"])
    datasource = yaml.safe_load((DEPLOY / "grafana/provisioning/datasources/prometheus.yaml").read_text(encoding="utf-8"))
    assert datasource["datasources"][0]["url"] == "http://prometheus:9090"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_rules_and_dashboards_have_no_second_copy():
    """One source: no file elsewhere in the repository repeats a shipped rule file or dashboard."""
    shipped = {digest(p): p for p in FILES.rglob("*") if p.is_file()}
    # Dashboards by name too: a re-exported dashboard differs in bytes but keeps its file name.
    names = {p.name for p in (FILES / "dashboards").glob("*.json")}
    duplicates = []
    for path in REPO.rglob("*"):
        if any(part in SKIP_DIRS for part in path.relative_to(REPO).parts) or not path.is_file():
            continue
        if FILES in path.parents:
            continue
        if path.name in names or (path.stat().st_size < 5_000_000 and digest(path) in shipped):
            duplicates.append(path.relative_to(REPO))
    assert duplicates == []
