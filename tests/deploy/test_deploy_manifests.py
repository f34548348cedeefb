"""Every rendered manifest validated against real schemas: Kubernetes' own (strict) and the CRDs'."""
from __future__ import annotations

import json
import re

import pytest

CRD_KINDS = {"ServiceMonitor", "PrometheusRule", "ScaledObject"}
RENDERS = {
    "default": None,
    "full": "full",
    "hpa": {"autoscaling": {"enabled": True}, "kafka": {"sasl": {"enabled": True, "username": "u", "password": "p"}}},
}


@pytest.fixture(scope="module", params=RENDERS, ids=RENDERS)
def manifests(request, render, full_values):
    values = RENDERS[request.param]
    return render(full_values if values == "full" else values)


def kubernetes_validate(tools, paths):
    return tools.run([tools.path("kubernetes-validate"), "--strict", "-k", tools.kube_version,
                      *map(str, paths)])


def test_core_manifests_pass_strict_kubernetes_validation(manifests, tools, write_manifests, tmp_path):
    core = [m for m in manifests if m["kind"] not in CRD_KINDS]
    paths = write_manifests(core, tmp_path)
    result = kubernetes_validate(tools, paths)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    passed = re.findall(r"passed for resource", output)
    assert len(passed) == len(core), output


def test_strict_validation_catches_an_unknown_field(default_manifests, only, tools, write_manifests, tmp_path):
    """The validator is strict: a misspelt field in the pod spec fails."""
    deployment = json.loads(json.dumps(only(default_manifests, "Deployment")))
    deployment["spec"]["template"]["spec"]["containers"][0]["readOnlyRootFileSystem"] = True
    result = kubernetes_validate(tools, write_manifests([deployment], tmp_path))
    assert result.returncode != 0
    assert "readOnlyRootFileSystem" in result.stdout + result.stderr


def validate_crds(tools, objects):
    return tools.run([tools.path("node"), str(tools.node_tools / "validate-crds.mjs")],
                     input=json.dumps(objects))


def test_custom_resources_match_their_crd_schemas(full_manifests, tools):
    objects = [m for m in full_manifests if m["kind"] in CRD_KINDS]
    assert {o["kind"] for o in objects} == CRD_KINDS
    result = validate_crds(tools, objects)
    assert result.returncode == 0, result.stdout + result.stderr
    verdicts = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(verdicts) == len(objects) and all(v["ok"] for v in verdicts), verdicts


def test_crd_validation_catches_a_bad_object(full_manifests, only, tools):
    monitor = json.loads(json.dumps(only(full_manifests, "ServiceMonitor")))
    monitor["spec"]["endpoints"][0]["interval"] = "every minute"
    scaled = json.loads(json.dumps(only(full_manifests, "ScaledObject")))
    scaled["spec"]["minReplicaCount"] = "zero"
    result = validate_crds(tools, [monitor, scaled])
    assert result.returncode == 1
    verdicts = [json.loads(line) for line in result.stdout.splitlines()]
    assert [v["ok"] for v in verdicts] == [False, False], verdicts
    assert "interval" in verdicts[0]["error"] and "minReplicaCount" in verdicts[1]["error"]
