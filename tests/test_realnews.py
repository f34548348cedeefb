"""The real-news sets' committed data: manifests and gold, checked without the texts."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from agents.extraction.scoring import GoldError, parse_gold

ROOT = Path(__file__).resolve().parent.parent
SETS = sorted(p for p in (ROOT / "tests" / "realnews").iterdir() if (p / "manifest.jsonl").exists())

_spec = importlib.util.spec_from_file_location("realnews", ROOT / "scripts" / "realnews.py")
realnews = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(realnews)


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("folder", SETS, ids=lambda p: p.name)
def test_manifest_and_gold_agree(folder):
    rows = _lines(folder / "manifest.jsonl")
    for n, row in enumerate(rows, 1):
        realnews.check_row(row, f"{folder.name}:{n}")
        assert len(row["sha256"]) == 64 and row["chars"] > 0
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "an id is listed twice"
    urls = [r["url"] for r in rows]
    assert len(urls) == len(set(urls)), "an address is listed twice"
    halves = {h: {r["id"] for r in rows if r["half"] == h} for h in realnews.HALVES}
    assert halves["dev"] and halves["measure"], "each set has both halves"
    for half in realnews.HALVES:
        _, golds = parse_gold(_lines(folder / f"{half}.gold.jsonl"), f"{folder.name}/{half}")
        assert {g.id for g in golds} == halves[half], f"{half} gold and manifest list other articles"
        for g in golds:
            assert g.notes.strip(), f"{g.id}: every gold record says what it decided"
    assert (folder / "README.md").exists()


def test_check_row_names_what_is_wrong():
    good = {"id": "dip-001", "url": "https://example.org/a", "outlet": "Example", "published_at": "2020-01-02",
            "half": "dev", "sha256": "0" * 64, "chars": 10}
    realnews.check_row(good, "row")
    for bad, message in ((dict(good, half="train"), "half"), (dict(good, url="example.org/a"), "url"),
                         (dict(good, id="Dip 1"), "id"), ({**good, "text": "x"}, "unknown")):
        with pytest.raises(SystemExit, match=message):
            realnews.check_row(bad, "row")
    with pytest.raises(ValueError):
        realnews.check_row(dict(good, published_at="2 Jan 2020"), "row")


def test_build_checks_each_text_against_its_hash(tmp_path, monkeypatch, capsys):
    sets = tmp_path / "sets"
    monkeypatch.setattr(realnews, "SETS", sets)
    monkeypatch.setenv("WIREWATCH_REALNEWS_DIR", str(tmp_path / "cache"))
    for i, text in enumerate(("Ministers met in Ankara.", "Two people were killed.")):
        f = tmp_path / f"t{i}.txt"
        f.write_text(text + "\n")
        assert realnews.main(["add", "demo", str(f), "--id", f"demo-00{i}", "--url", f"https://example.org/{i}",
                              "--outlet", "Example", "--published", "2020-01-0{}".format(i + 1),
                              "--half", "dev" if i == 0 else "measure"]) == 0
    assert realnews.main(["build", "demo"]) == 0
    built = _lines(tmp_path / "cache" / "demo" / "articles.jsonl")
    assert [a["id"] for a in built] == ["demo-000", "demo-001"]
    assert built[1]["text"] == "Two people were killed." and built[1]["published_at"] == "2020-01-02"
    (tmp_path / "cache" / "demo" / "texts" / "demo-001.txt").write_text("Three people were killed.")
    assert realnews.main(["build", "demo"]) == 1
    assert "differs  demo-001  https://example.org/1" in capsys.readouterr().out
    assert [a["id"] for a in _lines(tmp_path / "cache" / "demo" / "articles.jsonl")] == ["demo-000"]
    with pytest.raises(SystemExit, match="already"):
        realnews.main(["add", "demo", str(tmp_path / "t0.txt"), "--id", "demo-000", "--url", "https://example.org/9",
                       "--outlet", "Example", "--published", "2020-01-01", "--half", "dev"])


def test_recover_finds_the_annotated_text_in_a_new_copy_of_the_page():
    text = ("Envoys meet in Geneva\n\nThe two foreign ministers met on Monday.\n\n"
            "They agreed to meet again in May.")
    sha, chars = realnews.digest(text), len(text)
    page = (" date 2020-05-04 WORLD NEWS\n\nEnvoys meet in Geneva\n\nPhoto: the ministers (Reuters)\n\n"
            "The two foreign ministers met on Monday.\n\nRead more: other talks\n\n"
            "They agreed to meet again in May. Talks on trade are to follow.\n\nShare this article")
    assert realnews.recover(page, sha, chars) == text
    # the same paragraphs given one per line
    assert realnews.recover(page.replace("\n\n", "\n"), sha, chars) == text
    # a copy that shows the quotes curly, or runs the headline into the next line
    quoted = text.replace("met on Monday", "met on \"Monday\"")
    curly = page.replace("met on Monday", "met on \u201cMonday\u201d")
    assert realnews.recover(curly, realnews.digest(quoted), len(quoted)) == quoted
    glued = page.replace("Geneva\n\nPhoto: the ministers (Reuters)\n\nThe two", "GenevaThe two")
    assert realnews.recover(glued, sha, chars) == text
    # a text that keeps the page's own breaks, blank after the headline, single in the body
    mixed = "Envoys meet in Geneva\n\nThe two foreign ministers met on Monday.\nThey agreed to meet again."
    mixed_page = ("Envoys meet in Geneva\n\nThe two foreign ministers met on Monday.\nPhoto (Reuters)\n"
                  "They agreed to meet again.\nShare")
    assert realnews.recover(mixed_page, realnews.digest(mixed), len(mixed)) == mixed
    # a page that no longer holds the text (a word changed) gives nothing, not a near miss
    assert realnews.recover(page.replace("Monday", "Tuesday"), sha, chars) is None


def test_recover_writes_the_cache_only_on_a_match(tmp_path, monkeypatch, capsys):
    sets = tmp_path / "sets"
    monkeypatch.setattr(realnews, "SETS", sets)
    monkeypatch.setenv("WIREWATCH_REALNEWS_DIR", str(tmp_path / "cache"))
    (tmp_path / "t.txt").write_text("Ministers met in Ankara.\n\nThey signed a trade pact.")
    assert realnews.main(["add", "demo", str(tmp_path / "t.txt"), "--id", "demo-000", "--url",
                          "https://example.org/0", "--outlet", "Example", "--published", "2020-01-01",
                          "--half", "dev"]) == 0
    cached = tmp_path / "cache" / "demo" / "texts" / "demo-000.txt"
    cached.unlink()
    (tmp_path / "old.page").write_text("Menu\n\nMinisters met in Izmir.\n\nThey signed a trade pact.")
    assert realnews.main(["recover", "demo", "demo-000", str(tmp_path / "old.page")]) == 1
    assert not cached.exists() and "https://example.org/0" in capsys.readouterr().out
    (tmp_path / "new.page").write_text("Menu\n\nMinisters met in Ankara.\nBy A. Writer\n\nThey signed a trade pact.")
    assert realnews.main(["recover", "demo", "demo-000", str(tmp_path / "new.page")]) == 0
    assert realnews.main(["build", "demo"]) == 0


def test_gold_errors_name_the_set(tmp_path):
    with pytest.raises(GoldError, match="demo/dev"):
        parse_gold([{"id": "x", "casualty_claims": [{"category": "hurt"}], "diplomatic_events": []}], "demo/dev")
