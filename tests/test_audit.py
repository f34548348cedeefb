"""scripts/audit.py: how it decides, against a local index that answers like PyPI's JSON API.

The index here serves what a test gives it: release and project documents, 404s, or errors,
so each of the audit's decisions (found, accepted, not audited, could not ask) is shown.
"""
from __future__ import annotations

import http.server
import importlib.util
import io
import json
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

spec = importlib.util.spec_from_file_location("wirewatch_audit", ROOT / "scripts" / "audit.py")
audit = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = audit
spec.loader.exec_module(audit)

VULN = {"id": "PYSEC-2099-1", "aliases": ["CVE-2099-0001", "GHSA-xxxx-yyyy-zzzz"],
        "summary": "request smuggling", "fixed_in": ["1.1"]}


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    monkeypatch.setattr(audit, "RETRY_DELAY_SECONDS", 0.01)


@pytest.fixture
def index():
    """A local JSON index: set `pages[path] = document` (or an int status) before auditing."""
    pages: dict[str, object] = {}
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            asked.append(self.path)
            page = pages.get(self.path, 404)
            if not isinstance(page, (int, dict)):  # an iterator: one answer per request
                page = next(page)
            if isinstance(page, int):
                self.send_response(page)
                self.end_headers()
                return
            body = json.dumps(page).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.pages, server.asked = pages, asked
    server.url = f"http://127.0.0.1:{server.server_address[1]}/pypi"
    yield server
    server.shutdown()
    server.server_close()


def project(latest, vulns=()):
    return {"info": {"version": latest}, "vulnerabilities": list(vulns)}


def run_audit(tmp_path, index, pins, known="", *flags):
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("# locked\n" + "".join(f"{p}\n" for p in pins))
    known_issues = tmp_path / "known-issues.txt"
    known_issues.write_text("# accepted\n" + known)
    out = io.StringIO()
    results = audit.run(audit.read_pins(constraints), index.url, timeout=5)
    code = audit.report(results, audit.read_known_issues(known_issues),
                        allow_unaudited="--allow-unaudited" in flags, out=out)
    return code, out.getvalue()


def test_a_vulnerable_release_fails_the_audit(tmp_path, index):
    index.pages["/pypi/demo/1.0/json"] = {"info": {"version": "1.0"}, "vulnerabilities": [VULN]}
    index.pages["/pypi/clean/2.0/json"] = {"info": {"version": "2.0"}, "vulnerabilities": []}
    code, out = run_audit(tmp_path, index, ["demo==1.0", "clean==2.0"])
    assert code == 1
    assert "VULNERABLE: demo 1.0: PYSEC-2099-1, CVE-2099-0001" in out
    assert "fixed in: 1.1" in out and "request smuggling" in out
    assert "2 audited (2 by their release, 0 as their project's latest release)" in out


def test_a_withdrawn_advisory_is_no_finding(tmp_path, index):
    withdrawn = {**VULN, "withdrawn": "2099-02-01T00:00:00Z"}
    index.pages["/pypi/demo/1.0/json"] = {"info": {"version": "1.0"}, "vulnerabilities": [withdrawn]}
    code, out = run_audit(tmp_path, index, ["demo==1.0"])
    assert code == 0 and "VULNERABLE" not in out


def test_a_finding_listed_by_an_alias_is_accepted_with_its_reason(tmp_path, index):
    index.pages["/pypi/demo/1.0/json"] = {"info": {"version": "1.0"}, "vulnerabilities": [VULN]}
    code, out = run_audit(tmp_path, index, ["demo==1.0"],
                          "GHSA-xxxx-yyyy-zzzz demo 1.0 the affected parser is never used\n")
    assert code == 0, out
    assert "accepted: demo 1.0" in out and "the affected parser is never used" in out


def test_an_accepted_id_for_another_package_does_not_accept(tmp_path, index):
    index.pages["/pypi/demo/1.0/json"] = {"info": {"version": "1.0"}, "vulnerabilities": [VULN]}
    code, out = run_audit(tmp_path, index, ["demo==1.0"],
                          "PYSEC-2099-1 other 3.0 not ours\n")
    assert code == 1 and "VULNERABLE: demo 1.0" in out
    assert "known issue PYSEC-2099-1 (other) matched nothing" in out


def test_without_a_release_endpoint_a_pin_at_the_latest_release_uses_the_project(tmp_path, index):
    index.pages["/pypi/demo/json"] = project("1.0", [VULN])
    code, out = run_audit(tmp_path, index, ["Demo==1.0"])
    assert code == 1 and "VULNERABLE: Demo 1.0: PYSEC-2099-1" in out
    assert index.asked == ["/pypi/demo/1.0/json", "/pypi/demo/json"]  # by its normalized name
    assert "(0 by their release, 1 as their project's latest release)" in out


def test_an_older_pin_without_a_release_endpoint_is_not_audited(tmp_path, index):
    # The project's latest release is clean; that says nothing about 1.0.
    index.pages["/pypi/demo/json"] = project("1.1")
    code, out = run_audit(tmp_path, index, ["demo==1.0"])
    assert code == 1
    assert "not audited: demo 1.0: the release endpoint is not served and 1.0 is not the " \
           "latest release (1.1)" in out
    code, out = run_audit(tmp_path, index, ["demo==1.0"], "", "--allow-unaudited")
    assert code == 0 and "1 not audited" in out


@pytest.mark.parametrize("page", [500, 503])
def test_an_index_that_cannot_answer_fails_even_when_gaps_are_allowed(tmp_path, index, page):
    index.pages["/pypi/demo/1.0/json"] = page
    code, out = run_audit(tmp_path, index, ["demo==1.0"], "", "--allow-unaudited")
    assert code == 1 and "ERROR: demo 1.0: HTTPError" in out


def test_a_passing_server_error_is_tried_again(tmp_path, index):
    answers = iter([503, {"info": {"version": "1.0"}, "vulnerabilities": [VULN]}])
    index.pages["/pypi/demo/1.0/json"] = answers
    code, out = run_audit(tmp_path, index, ["demo==1.0"])
    assert code == 1 and "VULNERABLE: demo 1.0" in out
    assert index.asked == ["/pypi/demo/1.0/json"] * 2


def test_an_unknown_project_fails(tmp_path, index):
    code, out = run_audit(tmp_path, index, ["nosuch==1.0"], "", "--allow-unaudited")
    assert code == 1 and "ERROR: nosuch 1.0: not found on the index" in out


def test_an_unreachable_index_fails(tmp_path):
    constraints = tmp_path / "c.txt"
    constraints.write_text("demo==1.0\n")
    known = tmp_path / "k.txt"
    known.write_text("")
    closed = "http://127.0.0.1:9/pypi"  # discard port: connection refused
    code = audit.main(["--constraints", str(constraints), "--known-issues", str(known),
                       "--index-url", closed, "--timeout", "2", "--allow-unaudited"])
    assert code == 1


@pytest.mark.parametrize("line", ["demo>=1.0", "demo", "demo==1.0 ; python_version<'3'"])
def test_a_constraint_that_is_not_an_exact_pin_is_refused(tmp_path, line):
    path = tmp_path / "c.txt"
    path.write_text(line + "\n")
    with pytest.raises(SystemExit, match="not an exact pin"):
        audit.read_pins(path)


def test_a_known_issue_without_a_reason_is_refused(tmp_path):
    path = tmp_path / "k.txt"
    path.write_text("PYSEC-2099-1 demo 1.0\n")
    with pytest.raises(SystemExit, match="expected 'ID package version reason'"):
        audit.read_known_issues(path)


def test_the_project_files_parse():
    pins = audit.read_pins(ROOT / "constraints.txt")
    assert len(pins) > 50 and all(version for _, version in pins)
    audit.read_known_issues(ROOT / "security" / "known-issues.txt")
