"""Cases (a), (a') and (b): spaCy, the worker's pipeline and the extraction core in this process."""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .common import WARMUP_ARTICLES
from .procfs import _load, proc_run_delay_seconds
from .results import CaseResult

def bench_in_process(nlp: Any, articles: Sequence[dict[str, Any]], tokens: Sequence[int], *,
                     batch_size: int, min_seconds: float, cases: Sequence[str],
                     stock: Any = None) -> dict[str, CaseResult]:
    """Measure `spacy` (`stock.pipe`), `pipeline` (`nlp.pipe`) and/or `core` (extract_texts).

    `nlp` is the worker's pipeline (`agents.extraction.nlp.load`), `stock` the same
    model as spaCy loads it (default: `nlp`). All run on the same slices of the corpus, in alternating order, until each
    covered the whole corpus once and ran `min_seconds`; the corpus is reused
    from the start if it is used up first. A few articles go through each case
    untimed first: the core reads its lexicons and gazetteer on first use (about
    1.5 s once per process), a start-up cost and not throughput.
    """
    from agents.extraction import ArticleContext, extract_texts, parse_published

    wanted = [c for c in ("spacy", "pipeline", "core") if c in cases]
    if not wanted:
        return {}
    stock = nlp if stock is None else stock
    ctxs = [ArticleContext(article_id=a["id"], published_at=parse_published(a.get("published_at")))
            for a in articles]

    def piped(model: Any) -> Callable[[list[int]], int]:
        def run(idx: list[int]) -> int:
            done = 0
            for _ in model.pipe((articles[i]["text"] for i in idx), batch_size=batch_size):
                done += 1
            return done
        return run

    def run_core(idx: list[int]) -> int:
        done = 0
        for _ in extract_texts(nlp, ((articles[i]["text"], ctxs[i]) for i in idx), batch_size=batch_size):
            done += 1
        return done

    runners: dict[str, Callable[[list[int]], int]] = {"spacy": piped(stock), "pipeline": piped(nlp),
                                                       "core": run_core}
    totals = {c: {"articles": 0, "tokens": 0, "seconds": 0.0, "cpu": 0.0, "wait": 0.0} for c in wanted}
    for case in wanted:
        runners[case](list(range(min(WARMUP_ARTICLES, len(articles)))))
    load_before = _load()
    step = min(len(articles), max(batch_size * 2, 8))
    cursor, rounds = 0, 0
    while any(t["seconds"] < min_seconds or t["articles"] < len(articles) for t in totals.values()):
        idx = [(cursor + k) % len(articles) for k in range(step)]
        cursor = (cursor + step) % len(articles)
        order = wanted if rounds % 2 == 0 else wanted[::-1]
        for case in order:
            wall, cpu, wait = time.perf_counter(), time.process_time(), proc_run_delay_seconds(os.getpid())
            done = runners[case](idx)
            totals[case]["seconds"] += time.perf_counter() - wall
            totals[case]["cpu"] += time.process_time() - cpu
            if wait is not None:
                totals[case]["wait"] += (proc_run_delay_seconds(os.getpid()) or wait) - wait
            totals[case]["articles"] += done
            totals[case]["tokens"] += sum(tokens[i] for i in idx)
        rounds += 1
    labels = {"spacy": f"(a) spaCy nlp.pipe (batch {batch_size})", "pipeline": "(a') worker's spaCy pipeline",
              "core": "(b) extraction core extract_texts"}
    load_after = _load()
    return {c: CaseResult(c, labels[c], t["articles"], t["tokens"], t["seconds"], t["cpu"], load_before,
                          load_after, {"rounds": rounds, "cpu_wait_seconds": round(t["wait"], 2)})
            for c, t in totals.items()}


def profile_core(nlp: Any, articles: Sequence[dict[str, Any]], batch_size: int, path: Path,
                 top: int = 25) -> str:
    """cProfile one pass of the core over `articles`; write the stats to `path`, return the top lines."""
    import cProfile
    import io
    import pstats

    from agents.extraction import ArticleContext, extract_texts

    items = [(a["text"], ArticleContext(article_id=a["id"])) for a in articles]
    prof = cProfile.Profile()
    prof.enable()
    for _ in extract_texts(nlp, items, batch_size=batch_size):
        pass
    prof.disable()
    prof.dump_stats(str(path))
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()

