#!/usr/bin/env python3
"""Audit every locked dependency (constraints.txt) against PyPI's vulnerability data.

PyPI reports, for a release, the published advisories (PyPA advisory database, GitHub
advisories, OSV) whose affected versions include it. For each `name==version` pin this asks
the release's JSON endpoint (`/pypi/<name>/<version>/json`). Where that endpoint is not
served (some package mirrors and proxies serve only the project endpoint), it falls back to
the project endpoint (`/pypi/<name>/json`), whose vulnerabilities are those of the
project's latest release: exact for a pin at the latest release, and no answer at all for
an older pin, which is then reported as not audited.

Accepted findings are listed, with the reason, in security/known-issues.txt (advisory id,
package, version, reason); an advisory matches by its id or any of its aliases. The audit
fails (exit 1) on any other finding, on any package PyPI could not be asked about, and, unless
--allow-unaudited is given, on any pin that could not be audited.

    scripts/audit.py [--allow-unaudited] [--index-url URL] [--constraints FILE]
                     [--known-issues FILE] [--json FILE]
"""
from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import json
import re
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INDEX = "https://pypi.org/pypi"
RETRY_DELAY_SECONDS = 1.0


@dataclasses.dataclass
class Result:
    name: str
    version: str
    source: str = ""  # "release", "project", or "" when not audited
    vulns: list[dict] = dataclasses.field(default_factory=list)
    unaudited: str = ""  # why the pin could not be audited
    error: str = ""  # the service could not be asked


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(path: Path) -> list[tuple[str, str]]:
    pins = []
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!_-]+)", line)
        if not m:
            raise SystemExit(f"audit: {path}:{number}: not an exact pin (name==version): {raw!r}")
        pins.append((m.group(1), m.group(2)))
    if not pins:
        raise SystemExit(f"audit: {path}: no pins")
    return pins


def read_known_issues(path: Path) -> dict[str, tuple[str, str]]:
    """Advisory id -> (canonical package, reason)."""
    known = {}
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 3)
        if len(parts) < 4 or not re.fullmatch(r"(PYSEC|GHSA|CVE|OSV)-[\w-]+", parts[0]):
            raise SystemExit(f"audit: {path}:{number}: expected 'ID package version reason', "
                             f"got {raw!r}")
        known[parts[0]] = (canonical(parts[1]), parts[3])
    return known


def fetch_json(url: str, timeout: float, attempts: int = 3) -> dict | None:
    """The decoded JSON at url, or None on 404; other failures raise.

    A timeout, a refused or reset connection, a 429 or a 5xx is tried again, up to
    `attempts` times in all, RETRY_DELAY_SECONDS then twice that apart.
    """
    request = urllib.request.Request(url, headers={"Accept": "application/json",
                                                   "User-Agent": "wirewatch-audit"})
    for attempt in range(1, attempts + 1):
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.load(response)
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return None
            if attempt == attempts or not (e.code == 429 or e.code >= 500):
                raise
        except OSError:  # URLError, timeouts, connection errors
            if attempt == attempts:
                raise
        time.sleep(RETRY_DELAY_SECONDS * attempt)
    raise AssertionError("unreachable")


def same_version(a: str, b: str) -> bool:
    try:
        from packaging.version import Version
        return Version(a) == Version(b)
    except Exception:  # no packaging, or a version it cannot parse
        return a == b


def audit_pin(name: str, version: str, index: str, timeout: float) -> Result:
    result = Result(name, version)
    project_url = f"{index}/{canonical(name)}"
    try:
        release = fetch_json(f"{project_url}/{version}/json", timeout)
        if release is not None:
            result.source, result.vulns = "release", release.get("vulnerabilities") or []
            return result
        project = fetch_json(f"{project_url}/json", timeout)
    except (OSError, ValueError) as e:  # URLError, timeouts, bad JSON
        result.error = f"{type(e).__name__}: {e}"
        return result
    if project is None:
        result.error = "not found on the index"
        return result
    latest = project.get("info", {}).get("version", "")
    if same_version(latest, version):
        result.source, result.vulns = "project", project.get("vulnerabilities") or []
    else:
        result.unaudited = (f"the release endpoint is not served and {version} is not the "
                            f"latest release ({latest})")
    return result


def run(pins, index, timeout, workers=8) -> list[Result]:
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda p: audit_pin(p[0], p[1], index, timeout), pins))


def report(results: list[Result], known: dict[str, tuple[str, str]], allow_unaudited: bool,
           out=sys.stdout) -> int:
    findings, accepted, matched = [], [], set()
    for r in results:
        for v in r.vulns:
            if v.get("withdrawn"):  # retracted by its publisher
                continue
            ids = [v.get("id", "?"), *(v.get("aliases") or [])]
            hit = next((i for i in ids if i in known and known[i][0] == canonical(r.name)), None)
            line = (f"{r.name} {r.version}: {', '.join(ids)} "
                    f"(fixed in: {', '.join(v.get('fixed_in') or []) or 'none'})")
            if hit:
                matched.add(hit)
                accepted.append(f"{line}; accepted: {known[hit][1]}")
            else:
                findings.append(f"{line}\n    {(v.get('summary') or v.get('details') or '')[:200]}")
    errors = [f"{r.name} {r.version}: {r.error}" for r in results if r.error]
    unaudited = [f"{r.name} {r.version}: {r.unaudited}" for r in results if r.unaudited]
    by_source = {s: sum(r.source == s for r in results) for s in ("release", "project")}
    print(f"audit: {len(results)} pinned packages; {sum(by_source.values())} audited "
          f"({by_source['release']} by their release, {by_source['project']} as their "
          f"project's latest release), {len(unaudited)} not audited, {len(errors)} errors",
          file=out)
    for title, lines in (("VULNERABLE", findings), ("accepted", accepted),
                         ("not audited", unaudited), ("ERROR", errors)):
        for line in lines:
            print(f"  {title}: {line}", file=out)
    for stale in sorted(set(known) - matched):
        print(f"  note: known issue {stale} ({known[stale][0]}) matched nothing; remove it "
              f"if the package was upgraded", file=out)
    failed = bool(findings or errors or (unaudited and not allow_unaudited))
    print(f"audit: {'FAILED' if failed else 'passed'}: {len(findings)} unaccepted "
          f"vulnerabilities, {len(accepted)} accepted", file=out)
    return 1 if failed else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--constraints", type=Path, default=ROOT / "constraints.txt")
    parser.add_argument("--known-issues", type=Path, default=ROOT / "security" / "known-issues.txt")
    parser.add_argument("--index-url", default=DEFAULT_INDEX,
                        help=f"PyPI JSON API base (default {DEFAULT_INDEX})")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--allow-unaudited", action="store_true",
                        help="pass when the only gaps are pins older than their project's "
                             "latest release on an index that serves no release endpoint")
    parser.add_argument("--json", type=Path, help="also write every result to this file")
    args = parser.parse_args(argv)
    pins = read_pins(args.constraints)
    known = read_known_issues(args.known_issues)
    results = run(pins, args.index_url.rstrip("/"), args.timeout)
    if args.json:
        args.json.write_text(json.dumps([dataclasses.asdict(r) for r in results], indent=1))
    return report(results, known, args.allow_unaudited)


if __name__ == "__main__":
    sys.exit(main())
