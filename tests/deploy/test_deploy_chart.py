"""The Helm chart: lint, render, schema, and the properties each manifest must keep."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

CHART = Path(__file__).resolve().parents[2] / "helm" / "wirewatch"
LINT_WARNING = 2


def lint_problems(report: dict[str, Any]) -> list[str]:
    return [f"{m['path']}: {m['error']}" for m in report["messages"]
            if m["severity"] >= LINT_WARNING] + list(report["errors"])


def test_lint_strict_default_values(helm, tools):
    report = helm.lint(CHART, strict=True, kube_version="v" + tools.kube_version)
    assert report["total_charts_linted"] == 1
    assert lint_problems(report) == []


def test_lint_strict_full_values(helm, full_values, tools):
    report = helm.lint(CHART, full_values, strict=True, kube_version="v" + tools.kube_version)
    assert lint_problems(report) == []


def test_lint_reports_a_broken_chart(helm, tmp_path):
    """The lint call really checks templates: a chart with a broken template is reported."""
    with helm.Chart.load(CHART) as chart:
        copy_dir = chart.save_dir(tmp_path)
    broken = tmp_path / "wirewatch" / "templates" / "broken.yaml"
    broken.write_text("{{ .Values.nope.deeper }}\n", encoding="utf-8")
    report = helm.lint(copy_dir, strict=True)
    assert lint_problems(report), report


def test_default_render_kinds(default_manifests):
    kinds = sorted(m["kind"] for m in default_manifests)
    assert kinds == sorted(["ConfigMap", "Deployment", "NetworkPolicy", "PodDisruptionBudget",
                            "Pod", "Service", "ServiceAccount"])


def test_full_render_kinds(full_manifests):
    kinds = sorted(m["kind"] for m in full_manifests)
    assert kinds == sorted(["ConfigMap", "ConfigMap", "ConfigMap", "Deployment", "NetworkPolicy",
                            "PodDisruptionBudget", "Pod", "PrometheusRule", "ScaledObject",
                            "Secret", "Service", "ServiceAccount", "ServiceMonitor"])


def test_every_value_is_documented():
    """Each key in values.yaml has a `# --` comment, directly or on an ancestor map."""
    lines = (CHART / "values.yaml").read_text(encoding="utf-8").splitlines()
    documented_at: dict[int, bool] = {}
    undocumented = []
    comment_block: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("#"):
            comment_block.append(stripped)
            continue
        match = re.match(r"^( *)([A-Za-z][\w-]*):", line)
        if match and not stripped.startswith("- "):
            indent = len(match.group(1))
            for deeper in [i for i in documented_at if i >= indent]:
                del documented_at[deeper]
            own = any(c.startswith("# --") for c in comment_block)
            inherited = any(documented_at.values())
            if not own and not inherited and not line.rstrip().endswith(":"):
                undocumented.append(match.group(2))
            documented_at[indent] = own
        if stripped and not stripped.startswith("#"):
            comment_block = []
    assert undocumented == []


def test_schema_is_strict_everywhere():
    schema = json.loads((CHART / "values.schema.json").read_text(encoding="utf-8"))
    loose = []

    def walk(node: dict[str, Any], where: str) -> None:
        if node.get("type") == "object" and "properties" in node:
            if node.get("additionalProperties") is not False:
                loose.append(where)
            for key, child in node["properties"].items():
                walk(child, f"{where}.{key}")

    walk(schema, "values")
    assert loose == []


def test_defaults_validate_against_schema(helm):
    with helm.Chart.load(CHART) as chart:
        chart.validate_schema(None)
        assert chart.values["kafka"]["brokers"]


BAD_VALUES = {
    "unknown top-level key": {"replicas": 3},
    "unknown nested key": {"kafka": {"topics": {"article": "x"}}},
    "replica count as text": {"replicaCount": "three"},
    "negative replicas": {"replicaCount": -1},
    "broker without port": {"kafka": {"brokers": "kafka"}},
    "empty broker list": {"kafka": {"brokers": ""}},
    "unknown SASL mechanism": {"kafka": {"sasl": {"mechanism": "GSSAPI"}}},
    "bad log level": {"config": {"logLevel": "verbose"}},
    "bad pull policy": {"image": {"pullPolicy": "Sometimes"}},
    "bad digest": {"image": {"digest": "latest"}},
    "topic with a space": {"kafka": {"topics": {"articles": "news articles"}}},
    "scrape interval without unit": {"serviceMonitor": {"interval": "30"}},
    "CPU target over 100%": {"autoscaling": {"targetCPUUtilizationPercentage": 150}},
}


@pytest.mark.parametrize("overrides", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_schema_rejects_bad_values(helm, overrides):
    with helm.Chart.load(CHART) as chart:
        with pytest.raises(helm.HelmError):
            chart.validate_schema(overrides)
        with pytest.raises(helm.HelmError):
            chart.render(overrides, name="ww", namespace="news")


INCONSISTENT = {
    "two autoscalers": ({"autoscaling": {"enabled": True}, "keda": {"enabled": True}}, "exclusive"),
    "heartbeat too slow": ({"kafka": {"heartbeatIntervalSeconds": 20}}, "a third"),
    "SASL without credentials": ({"kafka": {"sasl": {"enabled": True}}}, "kafka.sasl"),
    "TLS without a CA": ({"kafka": {"tls": {"enabled": True}}}, "kafka.tls"),
}


@pytest.mark.parametrize("case", INCONSISTENT.values(), ids=INCONSISTENT.keys())
def test_render_fails_on_inconsistent_values(helm, render_raw, case):
    overrides, message = case
    with pytest.raises(helm.HelmError, match=re.escape(message)):
        render_raw(overrides)


def test_selector_labels_are_stable(default_manifests, only):
    deployment = only(default_manifests, "Deployment")
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert selector == {"app.kubernetes.io/name": "wirewatch", "app.kubernetes.io/instance": "ww"}
    assert not any("chart" in k or "version" in k for k in selector)
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert selector.items() <= pod_labels.items()
    service = only(default_manifests, "Service")
    assert service["spec"]["selector"] == selector
    assert only(default_manifests, "PodDisruptionBudget")["spec"]["selector"]["matchLabels"] == selector


def test_helm_test_pod_is_not_selected_by_the_service(default_manifests, only):
    pod = only(default_manifests, "Pod")
    selector = only(default_manifests, "Service")["spec"]["selector"]
    assert not selector.items() <= pod["metadata"]["labels"].items()
    assert pod["metadata"]["annotations"]["helm.sh/hook"] == "test"
    script = pod["spec"]["containers"][0]["command"][-1]
    assert "http://ww-wirewatch:6066/metrics" in script


@pytest.mark.parametrize("which", ["default", "full"])
def test_worker_pod_is_hardened(which, default_manifests, full_manifests, only):
    manifests = default_manifests if which == "default" else full_manifests
    pod = only(manifests, "Deployment")["spec"]["template"]["spec"]
    assert pod["automountServiceAccountToken"] is False
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    assert pod["terminationGracePeriodSeconds"] >= 60
    (container,) = pod["containers"]
    sc = container["securityContext"]
    assert sc["allowPrivilegeEscalation"] is False
    assert sc["readOnlyRootFilesystem"] is True
    assert sc["runAsNonRoot"] is True
    assert sc["capabilities"]["drop"] == ["ALL"]
    assert container["livenessProbe"]["httpGet"] == {"path": "/livez", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert container["resources"]["requests"] and container["resources"]["limits"]
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    for path in ("/var/lib/wirewatch", "/tmp"):
        assert "emptyDir" in volumes[mounts[path]], path
    assert [p["name"] for p in container["ports"]] == ["http"]
    assert "command" not in container and "args" not in container


def test_service_account_has_no_token(default_manifests, only):
    assert only(default_manifests, "ServiceAccount")["automountServiceAccountToken"] is False


def test_default_settings(default_manifests, only):
    env = only(default_manifests, "ConfigMap")["data"]
    assert env["WIREWATCH_BROKER"] == "kafka:9092"
    assert env["WIREWATCH_SECURITY_PROTOCOL"] == "PLAINTEXT"
    assert env["WIREWATCH_DATA_DIR"] == "/var/lib/wirewatch"
    assert env["WIREWATCH_WEB_PORT"] == "6066"
    assert env["WIREWATCH_MAX_ARTICLE_BYTES"] == "1000000"
    assert "WIREWATCH_RULES_FILE" not in env, "empty alertRules must keep the image's shipped rules"
    assert all(k.startswith("WIREWATCH_") and isinstance(v, str) for k, v in env.items())


def test_settings_names_match_the_application(default_manifests, full_manifests, only):
    """Every variable the chart sets is a field of the application's settings object."""
    from streams.settings import ENV_PREFIX, Settings

    known = {ENV_PREFIX + name.upper() for name in Settings.model_fields}
    for manifests in (default_manifests, full_manifests):
        env = set(only(manifests, "ConfigMap", "wirewatch")["data"])
        deployment = only(manifests, "Deployment")["spec"]["template"]["spec"]["containers"][0]
        env |= {e["name"] for e in deployment.get("env", []) if e["name"].startswith(ENV_PREFIX)}
        assert env - known == set()


def test_full_settings_wire_secrets_as_files(full_manifests, only):
    env = only(full_manifests, "ConfigMap", "ww-wirewatch")["data"]
    assert env["WIREWATCH_SECURITY_PROTOCOL"] == "SASL_SSL"
    assert env["WIREWATCH_SASL_MECHANISM"] == "SCRAM-SHA-512"
    assert env["WIREWATCH_RULES_FILE"] == "/etc/wirewatch/rules/rules.yaml"
    pod = only(full_manifests, "Deployment")["spec"]["template"]["spec"]
    container = pod["containers"][0]
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    sasl = volumes[mounts["/etc/wirewatch/sasl"]]["secret"]
    assert sasl["secretName"] == "wirewatch-kafka-user"
    assert sasl["items"] == [{"key": "password", "path": "password"}]
    assert env["WIREWATCH_SASL_PASSWORD_FILE"] == "/etc/wirewatch/sasl/password"
    tls = volumes[mounts["/etc/wirewatch/tls"]]["secret"]
    assert {i["path"] for i in tls["items"]} == {"ca.crt", "tls.crt", "tls.key"}
    for key in ("WIREWATCH_SSL_CAFILE", "WIREWATCH_SSL_CERTFILE", "WIREWATCH_SSL_KEYFILE"):
        assert env[key].startswith("/etc/wirewatch/tls/")
    rules_cm = volumes[mounts["/etc/wirewatch/rules"]]["configMap"]["name"]
    rules = only(full_manifests, "ConfigMap", "-rules")
    assert rules["metadata"]["name"] == rules_cm
    assert yaml.safe_load(rules["data"]["rules.yaml"])["casualty"][0]["name"] == "mass-casualty"
    username = {e["name"]: e for e in container["env"]}["WIREWATCH_SASL_USERNAME"]
    assert username["valueFrom"]["secretKeyRef"] == {"name": "wirewatch-kafka-user", "key": "user"}
    assert not any(e.get("value") and "password" in e["name"].lower() for e in container["env"])


def test_alert_rules_value_is_valid_for_the_application(full_manifests, only):
    """The rules text the chart mounts parses with the worker's own rules loader."""
    from agents.alerts import parse_rules

    text = only(full_manifests, "ConfigMap", "-rules")["data"]["rules.yaml"]
    assert parse_rules(text, "values.alertRules").names == ["mass-casualty", "coercion"]


def test_chart_secret_used_without_existing_secret(render, only):
    manifests = render({"kafka": {"sasl": {"enabled": True, "username": "ww", "password": "s3cret"}}})
    secret = only(manifests, "Secret", "-sasl")
    assert set(secret["data"]) == {"username", "password"}
    env = only(manifests, "ConfigMap")["data"]
    assert env["WIREWATCH_SECURITY_PROTOCOL"] == "SASL_PLAINTEXT"
    assert "s3cret" not in json.dumps(only(manifests, "Deployment"))


def test_config_change_rolls_the_pods(render, only):
    def checksum(values):
        return only(render(values), "Deployment")["spec"]["template"]["metadata"]["annotations"]["checksum/config"]

    assert checksum(None) != checksum({"config": {"batchSize": 8}})


def test_image_digest_wins_over_tag(default_manifests, full_manifests, only):
    def image(manifests):
        return only(manifests, "Deployment")["spec"]["template"]["spec"]["containers"][0]["image"]

    assert image(default_manifests) == "ghcr.io/wirewatch/wirewatch:0.1.0"
    assert image(full_manifests).startswith("registry.example.com/news/wirewatch@sha256:")


def test_keda_replicas_capped_at_partitions(full_manifests, full_values, only):
    scaled = only(full_manifests, "ScaledObject")["spec"]
    assert full_values["keda"]["maxReplicaCount"] > full_values["kafka"]["topicPartitions"]
    assert scaled["maxReplicaCount"] == full_values["kafka"]["topicPartitions"] == 6
    trigger = scaled["triggers"][0]
    assert trigger["type"] == "kafka"
    assert trigger["metadata"]["topic"] == "wirewatch.articles"
    assert trigger["metadata"]["consumerGroup"] == "wirewatch-prod"
    assert trigger["authenticationRef"] == {"name": "wirewatch-kafka-auth"}
    assert "replicas" not in only(full_manifests, "Deployment")["spec"]


def test_hpa_scales_on_cpu_capped_at_partitions(render, only):
    manifests = render({"autoscaling": {"enabled": True, "maxReplicas": 10}})
    hpa = only(manifests, "HorizontalPodAutoscaler")["spec"]
    assert hpa["maxReplicas"] == 4
    assert hpa["metrics"][0]["resource"]["name"] == "cpu"
    assert hpa["scaleTargetRef"]["name"] == only(manifests, "Deployment")["metadata"]["name"]
    assert "replicas" not in only(manifests, "Deployment")["spec"]


def test_network_policy_limits_traffic(full_manifests, only):
    spec = only(full_manifests, "NetworkPolicy")["spec"]
    assert spec["policyTypes"] == ["Ingress", "Egress"]
    (ingress,) = spec["ingress"]
    assert ingress["ports"] == [{"port": "http", "protocol": "TCP"}]
    assert ingress["from"][0]["namespaceSelector"]["matchLabels"]
    ports = [(p["port"], p["protocol"]) for rule in spec["egress"] for p in rule["ports"]]
    assert sorted(ports, key=str) == sorted([(9093, "TCP"), (53, "UDP"), (53, "TCP")], key=str)


def test_monitoring_objects_carry_release_label(full_manifests, only):
    for kind in ("ServiceMonitor", "PrometheusRule"):
        assert only(full_manifests, kind)["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    endpoint = only(full_manifests, "ServiceMonitor")["spec"]["endpoints"][0]
    assert endpoint["port"] == "http" and endpoint["path"] == "/metrics"
    assert {"action": "replace", "targetLabel": "job", "replacement": "wirewatch"} in endpoint["relabelings"]


def test_prometheus_rule_is_the_shipped_rules_file(full_manifests, only):
    shipped = yaml.safe_load((CHART / "files" / "prometheus" / "rules.yaml").read_text(encoding="utf-8"))
    assert only(full_manifests, "PrometheusRule")["spec"] == shipped


def test_dashboards_configmap_ships_every_dashboard(full_manifests, only):
    cm = only(full_manifests, "ConfigMap", "-dashboards")
    assert cm["metadata"]["labels"]["grafana_dashboard"] == "1"
    assert cm["metadata"]["annotations"]["grafana_folder"] == "wirewatch"
    files = sorted(p.name for p in (CHART / "files" / "dashboards").glob("*.json"))
    assert sorted(cm["data"]) == files
    for name in files:
        on_disk = json.loads((CHART / "files" / "dashboards" / name).read_text(encoding="utf-8"))
        assert json.loads(cm["data"][name]) == on_disk


def test_notes_render(render_raw, full_values):
    notes = render_raw(full_values)["wirewatch/templates/NOTES.txt"]
    assert "ww-wirewatch" in notes and "SASL_SSL" in notes and "ServiceMonitor" in notes
    crowded = copy.deepcopy(full_values)
    crowded["keda"]["enabled"] = False
    crowded["replicaCount"] = 9
    assert "exceeds kafka.topicPartitions" in render_raw(crowded)["wirewatch/templates/NOTES.txt"]
