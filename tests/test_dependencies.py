"""Dependencies are pinned: constraints.txt locks every package, and what runs is what is locked."""
from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)$")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked() -> dict[str, str]:
    out: dict[str, str] = {}
    for n, line in enumerate((ROOT / "constraints.txt").read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = _PIN.match(line)
        assert m, f"constraints.txt line {n} is not an exact pin: {line!r}"
        name = canonical(m.group(1))
        assert name not in out, f"constraints.txt pins {name} twice"
        out[name] = m.group(2)
    return out


def project_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs += extra
    pins = {}
    for req in reqs:
        m = re.match(r"^([A-Za-z0-9._-]+)==([^\s;,]+)$", req.strip())
        if m:
            pins[canonical(m.group(1))] = m.group(2)
    return pins


def test_constraints_pin_every_direct_dependency_at_the_projects_version():
    lock, pins = locked(), project_pins()
    assert len(pins) >= 15
    assert {name: lock.get(name) for name in pins} == pins


def test_constraints_lock_the_transitive_dependencies_too():
    lock = locked()
    for name in ("aiokafka", "mode-streaming", "thinc", "numpy", "aiohttp", "pydantic-core"):
        assert name in lock, name
    assert "wirewatch" not in lock


def test_the_environment_under_test_is_the_locked_one():
    lock = locked()
    differ = {}
    for name, version in lock.items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            differ[name] = (version, installed)
    assert differ == {}, "installed packages differ from constraints.txt (locked, installed): " \
                         f"{differ}; run scripts/setup.sh --test, or scripts/lock.sh after changing a pin"


def test_install_paths_use_the_constraints():
    assert '-c constraints.txt' in (ROOT / "scripts" / "setup.sh").read_text()
    docker = (ROOT / "deploy" / "Dockerfile").read_text()
    assert "COPY pyproject.toml README.md constraints.txt ./" in docker
    assert "pip install --no-cache-dir -c constraints.txt ." in docker


def test_ci_audits_the_lock():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make audit" in ci
    assert "scripts/audit.py" in (ROOT / "Makefile").read_text()
