"""Policy scan of the rendered chart with checkov: no failure, every skip explained."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "checkov.yaml"


def skipped_checks() -> dict[str, str]:
    """Skipped check ids with the reason written beside each in the config file."""
    reasons = {}
    for line in CONFIG.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s+-\s+(CKV2?_[A-Z0-9_]+)\s*(?:#\s*(.*))?$", line)
        if match:
            reasons[match.group(1)] = (match.group(2) or "").strip()
    return reasons


def test_every_skip_has_a_reason():
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    reasons = skipped_checks()
    assert set(reasons) == set(config["skip-check"])
    assert {check: reason for check, reason in reasons.items() if len(reason) < 20} == {}


def checkov(tools, directory: Path) -> dict:
    binary = tools.tools_venv / "bin" / "checkov"
    if not binary.exists():
        pytest.fail(f"checkov is not installed in {tools.tools_venv}: run `bash scripts/deploy-tools.sh`")
    result = tools.run([str(binary), "--config-file", str(CONFIG), "-d", str(directory), "-o", "json"])
    report = json.loads(result.stdout)
    report["returncode"] = result.returncode
    return report


@pytest.mark.parametrize("which", ["default", "full"])
def test_rendered_chart_passes_checkov(which, default_manifests, full_manifests, write_manifests, tools, tmp_path):
    manifests = default_manifests if which == "default" else full_manifests
    write_manifests(manifests, tmp_path)
    report = checkov(tools, tmp_path)
    failures = [(c["check_id"], c["resource"]) for c in report["results"]["failed_checks"]]
    assert failures == []
    assert report["returncode"] == 0
    assert report["summary"]["passed"] > 100
    scanned = {c["resource"] for c in report["results"]["passed_checks"]}
    # Kinds checkov has checks for; NetworkPolicy, PDB and the CRDs are parsed but have none.
    checked_kinds = {"Deployment", "Pod", "Service", "ServiceAccount", "ConfigMap", "Secret"}
    expected = {f"{m['kind']}.{m['metadata']['namespace']}.{m['metadata']['name']}"
                for m in manifests if m["kind"] in checked_kinds}
    assert expected <= scanned


def test_checkov_flags_a_privileged_worker(render, write_manifests, tools, tmp_path):
    """The scan is real: a privileged, writable-root worker fails it."""
    manifests = render({"securityContext": {"privileged": True, "readOnlyRootFilesystem": False,
                                            "allowPrivilegeEscalation": True}})
    write_manifests(manifests, tmp_path)
    failed = {c["check_id"] for c in checkov(tools, tmp_path)["results"]["failed_checks"]}
    assert {"CKV_K8S_16", "CKV_K8S_20", "CKV_K8S_22"} <= failed
