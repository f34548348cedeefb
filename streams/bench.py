"""`wirewatch bench`: how close the pipeline gets to spaCy's own throughput, measured.

One run, on one machine, over one generated corpus of wire-style articles:

  (a) `spacy`  raw `nlp.pipe` with the configured model as installed (`spacy.load`) and
               the configured batch size: the ceiling;
  (a') `pipeline` `nlp.pipe` with the pipeline the worker runs (the same model, its
               attribute ruler indexed, sentences capped; see agents.extraction.nlp):
               what is left of the ceiling for the extraction rules themselves;
  (b) `core`   the extraction core (`agents.extraction.extract_texts`) over the same texts;
  (c) `e2e1`   end to end: articles published to the embedded broker (Tansu), one
               `python -m streams run` worker, timed from the first publish until the
               worker's `wirewatch_articles_processed_total` (plus dead letters) covers
               every article;
  (d) `e2e2`   the same with two workers in one consumer group;
  latency      after (c), the same worker is fed at a steady rate of half of (c)'s
               throughput; each article's latency is the broker timestamp of its last
               output record (events, claims or dead letter) minus its publish time.
               The worker's `wirewatch_end_to_end_latency_seconds` histogram is
               reported next to it as a cross-check: it is bucketed (0.5 s steps
               around the target), so the exact per-record figure is the primary one.

(a), (a') and (b) run alternately on the same slices of the corpus, so a change in the load
of a shared machine hits both alike. Every case also reports CPU seconds (the bench
process for (a)/(b), the worker processes for (c)/(d)): articles per CPU-second is
far less sensitive to other load than articles per wall-second. A worker is its
process tree (the worker and its extraction process): CPU seconds are summed over it,
and peak memory per worker is the sum of their `VmHWM` (`/proc/<pid>/status`), read
just before the worker stops.

The corpus is generated here (templates filled from pools of countries, people,
places and numbers, seeded, so every run sees the same articles) and needs no
download. `run_bench(argv)` is the entry point; `python -m streams.bench --help`.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CASES = ("spacy", "pipeline", "core", "e2e1", "e2e2", "latency")
#: name, measured key, comparison, threshold: the issue's targets.
TARGETS = (
    ("(b)/(a) core vs spaCy", "core_over_spacy", ">=", 0.95),
    ("(c)/(a) end to end vs spaCy", "e2e1_over_spacy", ">=", 0.85),
    ("(d)/(c) two workers vs one", "e2e2_over_e2e1", ">=", 1.6),
    ("p99 latency at half capacity (s)", "latency_p99_seconds", "<", 2.0),
    ("peak memory per worker (MiB)", "worker_peak_mib", "<", 1024.0),
)
QUICK = {"articles": 24, "min_seconds": 3.0, "latency_seconds": 5.0}
PARTITIONS = 4
#: Articles processed untimed before each throughput case (lazy loading, first batches).
WARMUP_ARTICLES = 4


class BenchError(RuntimeError):
    """A case could not be measured (a worker died, never got ready, or stalled)."""


def _say(msg: str) -> None:
    print(f"bench: {msg}", file=sys.stderr, flush=True)


# --- corpus ----------------------------------------------------------------------

# (name, adjective, capital, another city)
_COUNTRIES = (
    ("Russia", "Russian", "Moscow", "St Petersburg"), ("Syria", "Syrian", "Damascus", "Aleppo"),
    ("Egypt", "Egyptian", "Cairo", "Alexandria"), ("Turkey", "Turkish", "Ankara", "Istanbul"),
    ("Iran", "Iranian", "Tehran", "Isfahan"), ("Iraq", "Iraqi", "Baghdad", "Mosul"),
    ("France", "French", "Paris", "Marseille"), ("Germany", "German", "Berlin", "Munich"),
    ("China", "Chinese", "Beijing", "Shanghai"), ("Japan", "Japanese", "Tokyo", "Osaka"),
    ("India", "Indian", "New Delhi", "Mumbai"), ("Pakistan", "Pakistani", "Islamabad", "Karachi"),
    ("Nigeria", "Nigerian", "Abuja", "Lagos"), ("Kenya", "Kenyan", "Nairobi", "Mombasa"),
    ("Ethiopia", "Ethiopian", "Addis Ababa", "Gondar"), ("Sudan", "Sudanese", "Khartoum", "Omdurman"),
    ("Brazil", "Brazilian", "Brasilia", "Sao Paulo"), ("Mexico", "Mexican", "Mexico City", "Monterrey"),
    ("Colombia", "Colombian", "Bogota", "Medellin"), ("Ukraine", "Ukrainian", "Kyiv", "Kharkiv"),
    ("Poland", "Polish", "Warsaw", "Krakow"), ("Israel", "Israeli", "Jerusalem", "Haifa"),
    ("Jordan", "Jordanian", "Amman", "Zarqa"), ("Lebanon", "Lebanese", "Beirut", "Tripoli"),
    ("Afghanistan", "Afghan", "Kabul", "Kandahar"), ("Yemen", "Yemeni", "Sanaa", "Aden"),
    ("Somalia", "Somali", "Mogadishu", "Kismayo"), ("Mali", "Malian", "Bamako", "Gao"),
    ("Indonesia", "Indonesian", "Jakarta", "Surabaya"), ("Philippines", "Philippine", "Manila", "Davao"),
    ("Venezuela", "Venezuelan", "Caracas", "Maracaibo"), ("South Korea", "South Korean", "Seoul", "Busan"),
)
_ORGS = ("the United Nations", "the European Union", "the African Union", "NATO", "the Arab League",
         "the International Committee of the Red Cross", "the World Health Organization")
_FIRST = ("Sergei", "Ahmed", "Maria", "John", "Fatima", "Li", "Hiroshi", "Amina", "Carlos", "Olena",
          "Mohammed", "Anna", "Rajesh", "Grace", "Pierre", "Yusuf", "Elena", "David", "Aisha", "Tomasz")
_LAST = ("Petrov", "Haddad", "Silva", "Okafor", "Kovalenko", "Tanaka", "Mehta", "Schmidt", "Dubois",
         "Nasser", "Wang", "Mwangi", "Garcia", "Nowak", "Rahimi", "Yilmaz", "Santos", "Cohen", "Abdi", "Lee")
_TITLES = ("Foreign Minister", "President", "Prime Minister", "Defence Minister", "Interior Minister")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TOPICS = ("trade", "border security", "the ceasefire", "energy supplies", "refugees",
           "the nuclear programme", "water rights", "prisoner exchanges", "humanitarian access")
_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
          10: "ten", 12: "twelve", 15: "fifteen", 20: "twenty"}
_WIRES = ("Reuters", "AFP", "AP", "Xinhua", "dpa", "ANSA")

_DIPLOMATIC = (
    "{A_title} {A_person} met his {B_adj} counterpart {B_person} in {A_capital} on {day} to discuss "
    "{topic}, the {A_adj} foreign ministry said.",
    "{A} and {B} signed an agreement on {topic} on {day}, officials from both governments said.",
    "{A_adj} President {A_leader} condemned the {B_adj} government's decision to close the border, "
    "calling it a violation of international law.",
    "{A} imposed new sanctions on {B} over its {topic} policy, {A_adj} officials announced on {day}.",
    "{A} recalled its ambassador from {B_capital} after a row over {topic}.",
    "{A_leader} will visit {B_capital} next week for talks with {B_adj} President {B_leader}, "
    "his office said in a statement.",
    "{A_adj} {A_title} {A_person} urged {B} to release the detained journalists and to resume "
    "negotiations on {topic}.",
    "{org} called on {A} and {B} to return to the negotiating table and respect the ceasefire.",
    "{A} expelled {small} {B_adj} diplomats on {day}, accusing them of spying.",
    "{A} pledged {money} million dollars in humanitarian aid to {B}, the {A_adj} embassy said.",
    "{A} threatened to cut diplomatic ties with {B} if it continued to support the rebels.",
    "{A} and {B} agreed to reopen their embassies and restore flights between {A_capital} and {B_capital}.",
    "{B_adj} officials rejected the {A_adj} proposal, saying {B} would not negotiate under pressure.",
    "{A} accused {B} of violating the truce along the border on {day}.",
    "{A_adj} {A_title} {A_person} praised {B} for its efforts to mediate between the warring parties.",
)
_CASUALTY = (
    "At least {n} people were killed and {m} wounded when a car bomb exploded in {B_city} on {day}, "
    "{source} said.",
    "{org} said {big} civilians, including {small} children, had died in the fighting in {B_city} since {month}.",
    "The death toll from the attack on a market in {B_city} rose to {n}, officials said on {day}.",
    "{n_word} soldiers were killed in an ambush near {B_city}, the {B_adj} army said.",
    "More than {huge} people have fled their homes because of the violence, according to {org}.",
    "{B_adj} police said {m} officers were injured during clashes with protesters in {B_capital}.",
    "Gunmen kidnapped {small} aid workers on the road to {B_city} on {day}, a local official said.",
    "Security forces arrested {m} people after the protests in {B_capital}, the interior ministry said.",
    "About {big} people are still missing after the floods in the north of {B}, {source} reported.",
    "Between {n} and {n2} people were killed in air strikes on {B_city} on {day}, activists said.",
)
_CONTEXT = (
    "The talks come amid rising tension between the two countries over {topic}.",
    "Analysts said the move was unlikely to change {B}'s position in the short term.",
    "{A_person} told reporters the situation on the ground remained very difficult.",
    "The conflict has left large parts of {B_city} in ruins and shortages of food and fuel are widespread.",
    "Diplomats in {A_capital} said a further round of talks could take place next month in Geneva.",
    "Neither side gave details of the timetable, and a spokesman declined to comment further.",
    "Markets in {A_capital} fell slightly on the news before recovering later in the day.",
    "The United States and several European governments have called for restraint.",
    "\u201cWe will not accept any solution imposed from outside,\u201d {A_person} said at a news conference.",
    "The two countries have had tense relations since a dispute over {topic} broke out {years} years ago.",
    "Aid agencies warned that supplies of medicine in {B_city} would run out within weeks.",
    "Officials in {B_capital} did not respond to requests for comment on {day}.",
    "The statement did not say when the next meeting would take place or who would attend.",
    "Opposition leaders in {B} said the government had failed to protect civilians in the region.",
    "Earlier this year, {A} hosted a conference on {topic} attended by delegations from {years} countries.",
    "State television in {A_capital} showed the two delegations shaking hands before the meeting.",
    "Residents of {B_city} said the streets were quiet on {day} evening as security forces patrolled.",
)
_HEADLINES = (
    "{A} and {B} to hold talks on {topic}", "{n} killed in {B_city} attack", "{A} presses {B} on {topic}",
    "{A} imposes sanctions on {B}", "Death toll rises in {B_city}", "{A} recalls ambassador from {B}",
)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def generate_article(index: int, seed: int = 0, prefix: str = "bench") -> dict[str, Any]:
    """Article number `index` of the corpus with `seed`: a JSON-ready input message.

    Deterministic (same index and seed, same article), and varied: the countries,
    people, places, numbers and the choice and order of paragraphs change with the
    index. Each article has diplomatic and casualty paragraphs, so every one gives
    output records (which the latency measurement relies on), and is about as long
    as a short wire report (300 to 500 tokens).
    """
    rng = random.Random(seed * 1_000_003 + index)
    a, b = rng.sample(_COUNTRIES, 2)
    n = rng.randint(3, 60)
    small = rng.randint(2, 12)
    fill = {
        "A": a[0], "A_adj": a[1], "A_capital": a[2], "B": b[0], "B_adj": b[1], "B_capital": b[2], "B_city": b[3],
        "A_title": rng.choice(_TITLES), "A_person": _person(rng), "B_person": _person(rng),
        "A_leader": _person(rng), "B_leader": _person(rng), "day": rng.choice(_DAYS),
        "month": rng.choice(_MONTHS), "topic": rng.choice(_TOPICS), "org": rng.choice(_ORGS),
        "source": rng.choice(("police", "hospital officials", "the health ministry", "witnesses")),
        "n": n, "n2": n + rng.randint(5, 40), "m": rng.randint(5, 150), "small": _WORDS.get(small, small),
        "n_word": _WORDS.get(n, str(n)).capitalize(), "big": f"{rng.randint(1, 9) * 100 + rng.randint(0, 99):,}",
        "huge": f"{rng.randint(2, 90) * 1000:,}", "money": rng.choice((5, 10, 25, 50, 120, 300)),
        "years": rng.randint(3, 30),
    }
    fill["org"] = fill["org"][0].upper() + fill["org"][1:]
    paragraphs = (rng.sample(_DIPLOMATIC, rng.randint(7, 10)) + rng.sample(_CASUALTY, rng.randint(4, 7))
                  + rng.sample(_CONTEXT, rng.randint(6, 10)))
    rng.shuffle(paragraphs)
    text = "\n".join(p.format(**fill) for p in paragraphs)
    year, month, day = rng.randint(2010, 2024), rng.randint(1, 12), rng.randint(1, 28)
    return {"id": f"{prefix}-{seed}-{index}", "title": rng.choice(_HEADLINES).format(**fill),
            "published_at": f"{year:04d}-{month:02d}-{day:02d}", "source": rng.choice(_WIRES), "text": text}


def generate_corpus(count: int, seed: int = 0, start: int = 0, prefix: str = "bench") -> list[dict[str, Any]]:
    """Articles `start` .. `start + count - 1` of the corpus with `seed`."""
    return [generate_article(i, seed, prefix) for i in range(start, start + count)]


# --- measuring -------------------------------------------------------------------

def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank `q`-quantile (0 < q <= 1): a value that was actually observed."""
    if not values:
        raise ValueError("no values")
    if not 0 < q <= 1:
        raise ValueError(f"quantile {q} is not in (0, 1]")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def histogram_quantile(q: float, buckets: Sequence[tuple[float, float]]) -> float | None:
    """`q`-quantile of a Prometheus histogram from `(le, cumulative count)` pairs.

    Linear interpolation inside the bucket, as PromQL's `histogram_quantile` does;
    a rank in the `+Inf` bucket answers the largest finite bound. None when empty.
    """
    ordered = sorted(buckets)
    if not ordered or ordered[-1][1] <= 0:
        return None
    rank = q * ordered[-1][1]
    prev_le, prev_count = 0.0, 0.0
    for le, count in ordered:
        if count >= rank:
            if math.isinf(le):
                return prev_le
            if count == prev_count:
                return le
            return prev_le + (le - prev_le) * (rank - prev_count) / (count - prev_count)
        prev_le, prev_count = le, count
    return prev_le


Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse_metrics(text: str) -> Samples:
    """Prometheus text exposition as `{(sample name, labels): value}`."""
    from prometheus_client.parser import text_string_to_metric_families

    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def metric_sum(samples: Samples, name: str) -> float:
    """Sum of every series of `name` (all label values)."""
    return sum(v for (n, _), v in samples.items() if n == name)


def histogram_buckets(samples: Samples, name: str) -> dict[float, float]:
    """`le` -> cumulative count of histogram `name`."""
    return {float(dict(labels)["le"]): v for (n, labels), v in samples.items() if n == f"{name}_bucket"}


def proc_status_bytes(pid: int, key: str) -> int | None:
    """A `kB` field of `/proc/<pid>/status` (e.g. VmHWM, VmRSS) in bytes; None if unreadable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def proc_tree(pid: int) -> list[int]:
    """`pid` and its descendants (a worker and its extraction process), from `/proc`."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{p}/task").iterdir():
                with contextlib.suppress(OSError, ValueError):
                    todo.extend(int(c) for c in (task / "children").read_text().split())
    return out


def tree_sum(pid: int, measure: Callable[[int], float | None]) -> float | None:
    """`measure` summed over the process tree of `pid`; None if the root is unreadable."""
    pids = proc_tree(pid)
    first = measure(pids[0])
    if first is None:
        return None
    return first + sum(v for v in map(measure, pids[1:]) if v is not None)


def proc_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of process `pid` (all its threads); None if unreadable."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2:].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def proc_run_delay_seconds(pid: int) -> float | None:
    """Seconds the threads of `pid` were ready to run but waited for a CPU (`schedstat`).

    Near zero on an idle machine; on a shared one it is the time other processes
    took from this one, which wall-clock throughput silently includes.
    """
    total = 0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError, ValueError, IndexError):
                total += int((task / "schedstat").read_text().split()[1])
    except OSError:
        return None
    return total / 1e9


def _load() -> float | None:
    with contextlib.suppress(OSError, AttributeError):
        return round(os.getloadavg()[0], 2)
    return None


@dataclass
class CaseResult:
    """Throughput of one case: articles and tokens over wall seconds (and CPU seconds)."""

    name: str
    label: str
    articles: int
    tokens: int
    seconds: float
    cpu_seconds: float | None = None
    load_before: float | None = None
    load_after: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.seconds if self.seconds > 0 else 0.0

    @property
    def articles_per_cpu_second(self) -> float | None:
        return self.articles / self.cpu_seconds if self.cpu_seconds else None

    def to_dict(self) -> dict[str, Any]:
        per_cpu = self.articles_per_cpu_second
        return {"label": self.label, "articles": self.articles, "tokens": self.tokens,
                "seconds": round(self.seconds, 3), "articles_per_second": round(self.articles_per_second, 3),
                "tokens_per_second": round(self.tokens_per_second, 1),
                "cpu_seconds": None if self.cpu_seconds is None else round(self.cpu_seconds, 2),
                "articles_per_cpu_second": None if per_cpu is None else round(per_cpu, 3),
                "load_before": self.load_before, "load_after": self.load_after, **self.extra}


def bracketed(before: CaseResult, after: CaseResult) -> CaseResult:
    """One result for a case measured before and after another: the sums of both runs.

    A drift of the machine's speed (another tenant, the clock) between two cases measured
    a minute apart moves their ratio; with the case measured on both sides of the other,
    a steady drift cancels out. Both runs stay in `runs`.
    """
    def add(a: Any, b: Any) -> Any:
        return None if a is None or b is None else round(a + b, 2)

    extra = {**before.extra,
             "worker_cpu_seconds": [add(a, b) for a, b in zip(before.extra.get("worker_cpu_seconds", []),
                                                               after.extra.get("worker_cpu_seconds", []))],
             "broker_cpu_seconds": add(before.extra.get("broker_cpu_seconds"),
                                       after.extra.get("broker_cpu_seconds")),
             "cpu_wait_seconds": add(before.extra.get("cpu_wait_seconds"), after.extra.get("cpu_wait_seconds")),
             "publish_seconds": add(before.extra.get("publish_seconds"), after.extra.get("publish_seconds")),
             "runs": [{"when": when, **r.to_dict()} for when, r in (("before", before), ("after", after))]}
    return CaseResult(before.name, before.label, before.articles + after.articles, before.tokens + after.tokens,
                      before.seconds + after.seconds, add(before.cpu_seconds, after.cpu_seconds),
                      before.load_before, after.load_after, extra)


# --- (a) and (b): in process -----------------------------------------------------

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


# --- (c), (d) and latency: real processes ----------------------------------------

def _topic_names(prefix: str) -> dict[str, str]:
    return {"articles": f"{prefix}.articles", "diplomatic": f"{prefix}.events.diplomatic",
            "casualty": f"{prefix}.events.casualty", "alerts_diplomatic": f"{prefix}.alerts.diplomatic",
            "alerts_casualty": f"{prefix}.alerts.casualty", "deadletter": f"{prefix}.deadletter"}


def _http_get(url: str, timeout: float = 5.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


class WorkerProcess:
    """A `python -m streams run` child with its own web port, stopped by PID."""

    def __init__(self, env: dict[str, str], workdir: Path, name: str) -> None:
        from .broker import free_port

        self.port = free_port()
        self.name = name
        self.log_path = workdir / f"{name}.log"
        self.env = {**env, "WIREWATCH_WEB_PORT": str(self.port), "WIREWATCH_WEB_BIND": "127.0.0.1",
                    "WIREWATCH_DATA_DIR": str(workdir / f"data-{name}")}
        self.proc: subprocess.Popen[bytes] | None = None
        self.peak_bytes: int | None = None
        self.rss_bytes: int | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> "WorkerProcess":
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "streams", "run"], env=self.env,
                                         cwd=Path(__file__).resolve().parent.parent, stdout=log,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True)
        return self

    def log_tail(self, chars: int = 2000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    def check_alive(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            code = self.proc.returncode if self.proc else None
            raise BenchError(f"worker {self.name} exited ({code}):\n{self.log_tail()}")

    def ready(self) -> bool:
        self.check_alive()
        try:
            return _http_get(f"http://127.0.0.1:{self.port}/readyz", 2)[0] == 200
        except OSError:
            return False

    def samples(self, names: Sequence[str] = ()) -> Samples:
        query = "?" + "&".join(f"name[]={n}" for n in names) if names else ""
        status, text = _http_get(f"http://127.0.0.1:{self.port}/metrics{query}")
        if status != 200:
            raise BenchError(f"worker {self.name} /metrics answered {status}")
        return parse_metrics(text)

    DONE = ("wirewatch_articles_processed_total", "wirewatch_articles_deadlettered_total")

    def done(self, samples: Samples) -> float:
        """Articles finished: processed, or dead-lettered (so a bad one cannot stall the bench)."""
        return sum(metric_sum(samples, name) for name in self.DONE)

    def cpu_seconds(self) -> float | None:
        return tree_sum(self.pid, proc_cpu_seconds) if self.proc else None

    def stop(self, timeout: float = 30.0) -> None:
        proc = self.proc
        if proc is None:
            return
        if proc.poll() is None:
            # The worker and its extraction process: the sum of their peaks bounds the pod's.
            peak = tree_sum(proc.pid, lambda p: proc_status_bytes(p, "VmHWM"))
            rss = tree_sum(proc.pid, lambda p: proc_status_bytes(p, "VmRSS"))
            self.peak_bytes = None if peak is None else int(peak)
            self.rss_bytes = None if rss is None else int(rss)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout)


@dataclass
class Stack:
    """An embedded broker, the bench's topics, and `workers` workers in one consumer group."""

    broker: Any
    env: dict[str, str]
    topics: dict[str, str]
    workers: list[WorkerProcess]
    settings: Any


@contextlib.contextmanager
def running_stack(workdir: Path, workers: int, worker_env: dict[str, str],
                  ready_timeout: float = 240.0) -> Iterator[Stack]:
    """Start Tansu, create the topics (4 partitions), start the workers, wait until all are ready."""
    from . import broker as brokers
    from .settings import load_settings
    from .topics import ensure_topics

    run_id = uuid.uuid4().hex[:8]
    prefix = f"bench-{run_id}"
    topics = _topic_names(prefix)
    b = brokers.tansu(log_path=workdir / f"tansu-{run_id}.log")
    b.start()
    started: list[WorkerProcess] = []
    try:
        env = {**os.environ, **worker_env, "WIREWATCH_BROKER": b.bootstrap,
               "WIREWATCH_APP_ID": f"wirewatch-{prefix}",
               "WIREWATCH_TOPIC_PARTITIONS": str(PARTITIONS),
               **{f"WIREWATCH_TOPIC_{k.upper()}": v for k, v in topics.items()}}
        s = load_settings(broker=b.bootstrap, app_id=env["WIREWATCH_APP_ID"], topic_partitions=PARTITIONS,
                          session_timeout_seconds=6.0, heartbeat_interval_seconds=1.0,
                          **{f"topic_{k}": v for k, v in topics.items()})
        ensure_topics(s, timeout=30)
        for k in range(workers):
            started.append(WorkerProcess(env, workdir, f"{prefix}-worker{k + 1}").start())
        _wait_group_ready(started, ready_timeout)
        yield Stack(b, env, topics, started, s)
    finally:
        for w in started:
            w.stop()
        b.stop()


def _wait_group_ready(workers: Sequence[WorkerProcess], timeout: float) -> None:
    """Wait until every worker is ready at once and stays so (no rebalance) for 2 s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(w.ready() for w in workers):
            before = [metric_sum(w.samples(), "wirewatch_rebalances_total") for w in workers]
            time.sleep(2.0)
            after = [metric_sum(w.samples(), "wirewatch_rebalances_total") for w in workers]
            if before == after and all(w.ready() for w in workers):
                return
        time.sleep(0.5)
    raise BenchError(f"workers not ready within {timeout:.0f} s:\n{workers[-1].log_tail()}")


def _producer(bootstrap: str, linger_ms: int) -> Any:
    from kafka import KafkaProducer

    return KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=linger_ms)


def _encoded(articles: Sequence[dict[str, Any]]) -> list[tuple[bytes, bytes]]:
    return [(a["id"].encode(), json.dumps(a, ensure_ascii=False).encode()) for a in articles]


def _wait_done(stack: Stack, target: float, timeout: float, poll: float) -> float:
    """Poll the workers' metrics until their finished articles reach `target`; the time then.

    A poll asks for the two counters it reads only: the whole page grows with the
    dyads seen (hundreds of series within a run) and costs the worker milliseconds of
    CPU each time. Polls are sparse while much is left (a quarter of the expected
    remaining time, at most 2 s) and every `poll` seconds near the end, which bounds
    the error of the end time.
    """
    start = time.monotonic()
    deadline = start + timeout
    first: float | None = None
    done = 0.0
    while time.monotonic() < deadline:
        done = sum(w.done(w.samples(w.DONE)) for w in stack.workers)
        now = time.monotonic()
        if done >= target:
            return time.perf_counter()
        for w in stack.workers:
            w.check_alive()
        first = done if first is None else first
        rate = (done - first) / (now - start) if done > first else 0.0
        wait = (target - done) / rate / 4 if rate > 0 else poll
        time.sleep(min(2.0, max(poll, wait)))
    raise BenchError(f"only {done:.0f} of {target:.0f} articles finished within {timeout:.0f} s")


def bench_end_to_end(stack: Stack, articles: Sequence[dict[str, Any]], tokens: int, name: str, label: str,
                     *, expected_rate: float, warmup: Sequence[dict[str, Any]] = (),
                     poll: float = 0.2) -> CaseResult:
    """Publish `articles` as fast as possible and time them until the workers finished them all.

    `warmup` articles are published and finished first, untimed, so the workers'
    one-time start-up work (lexicons, gazetteer, first batches) is not counted as
    throughput; with several workers each should get some, so there are several
    per worker, with distinct keys spreading them over the partitions.
    """
    if warmup:
        before = sum(w.done(w.samples()) for w in stack.workers)
        producer = _producer(stack.broker.bootstrap, linger_ms=5)
        try:
            for key, value in _encoded(warmup):
                producer.send(stack.topics["articles"], key=key, value=value)
            producer.flush(timeout=60)
        finally:
            producer.close(timeout=10)
        _wait_done(stack, before + len(warmup), 180, 0.5)
    payload = _encoded(articles)
    baseline = sum(w.done(w.samples()) for w in stack.workers)
    pids = [w.pid for w in stack.workers]
    cpu_before = [tree_sum(p, proc_cpu_seconds) for p in pids]
    wait_before = [tree_sum(p, proc_run_delay_seconds) for p in pids]
    broker_cpu_before = proc_cpu_seconds(stack.broker.proc.pid) if stack.broker.proc else None
    load_before = _load()
    producer = _producer(stack.broker.bootstrap, linger_ms=5)
    try:
        start = time.perf_counter()
        # Round robin over the partitions, so each worker gets the same share: placed by
        # key, the two workers' shares differed by up to 9 %, and the one done first idled
        # while the other finished, which measured the corpus's luck, not the workers.
        for i, (key, value) in enumerate(payload):
            producer.send(stack.topics["articles"], key=key, value=value, partition=i % PARTITIONS)
        producer.flush(timeout=120)
        published = time.perf_counter() - start
        timeout = 120 + 10 * len(articles) / max(expected_rate, 0.1)
        end = _wait_done(stack, baseline + len(articles), timeout, poll)
    finally:
        producer.close(timeout=10)
    cpu_after = [tree_sum(p, proc_cpu_seconds) for p in pids]
    wait_after = [tree_sum(p, proc_run_delay_seconds) for p in pids]
    cpu_wait = (round(sum(a - b for a, b in zip(wait_after, wait_before)), 2)  # type: ignore[operator]
                if None not in wait_before and None not in wait_after else None)
    worker_cpu = (sum(a - b for a, b in zip(cpu_after, cpu_before))  # type: ignore[operator]
                  if None not in cpu_before and None not in cpu_after else None)
    broker_cpu = None
    if broker_cpu_before is not None and stack.broker.proc:
        now = proc_cpu_seconds(stack.broker.proc.pid)
        broker_cpu = None if now is None else round(now - broker_cpu_before, 2)
    per_worker = [round(a - b, 2) for a, b in zip(cpu_after, cpu_before)] if worker_cpu is not None else []
    return CaseResult(name, label, len(articles), tokens, end - start, worker_cpu, load_before, _load(),
                      {"workers": len(stack.workers), "publish_seconds": round(published, 3),
                       "worker_cpu_seconds": per_worker, "broker_cpu_seconds": broker_cpu,
                       "cpu_wait_seconds": cpu_wait,
                       "poll_seconds": poll})


def bench_latency(stack: Stack, articles: Sequence[dict[str, Any]], rate: float) -> dict[str, Any]:
    """Publish `articles` at a steady `rate` per second; per-article end-to-end latency.

    An article's latency is the latest broker timestamp among its output records
    (keyed by the article id) minus the timestamp it was published with. Output
    timestamps are set by the worker's producer when it sends, just before it waits
    for the broker's acknowledgement, so they slightly under-state the time to an
    acknowledged output (by the produce round trip, milliseconds on loopback).
    """
    from kafka import KafkaConsumer

    worker = stack.workers[0]
    hist_before = histogram_buckets(worker.samples(), "wirewatch_end_to_end_latency_seconds")
    baseline = worker.done(worker.samples())
    payload = _encoded(articles)
    sent_ms: dict[str, int] = {}
    producer = _producer(stack.broker.bootstrap, linger_ms=0)
    interval = 1.0 / rate
    try:
        start = time.perf_counter()
        for k, (key, value) in enumerate(payload):
            delay = start + k * interval - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            stamp = int(time.time() * 1000)
            sent_ms[key.decode()] = stamp
            producer.send(stack.topics["articles"], key=key, value=value, timestamp_ms=stamp)
        producer.flush(timeout=60)
        publish_seconds = time.perf_counter() - start
        _wait_done(stack, baseline + len(articles), 120 + 5 * len(articles) / rate, 0.5)
    finally:
        producer.close(timeout=10)
    hist_after = histogram_buckets(worker.samples(), "wirewatch_end_to_end_latency_seconds")
    consumer = KafkaConsumer(stack.topics["diplomatic"], stack.topics["casualty"], stack.topics["deadletter"],
                             bootstrap_servers=stack.broker.bootstrap, auto_offset_reset="earliest",
                             enable_auto_commit=False, group_id=None, consumer_timeout_ms=3000)
    last_ms: dict[str, int] = {}
    try:
        for msg in consumer:
            key = msg.key.decode("utf-8", "replace") if msg.key else ""
            if key in sent_ms and msg.timestamp and msg.timestamp > 0:
                last_ms[key] = max(last_ms.get(key, 0), msg.timestamp)
    finally:
        consumer.close()
    latencies = [(last_ms[k] - sent_ms[k]) / 1000 for k in last_ms]
    delta = [(le, hist_after.get(le, 0.0) - hist_before.get(le, 0.0)) for le in hist_after]
    result: dict[str, Any] = {
        "rate_per_second": round(rate, 3), "articles": len(articles),
        "publish_seconds": round(publish_seconds, 2), "measured_articles": len(latencies),
        "method": "output record timestamp - publish timestamp, per article",
    }
    if latencies:
        result.update({f"p{int(q * 100)}_seconds": round(percentile(latencies, q), 3) for q in (0.5, 0.95, 0.99)})
        result["max_seconds"] = round(max(latencies), 3)
    result["histogram"] = {f"p{int(q * 100)}_seconds": _rounded(histogram_quantile(q, delta))
                           for q in (0.5, 0.95, 0.99)}
    return result


def _rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


# --- the run ---------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="wirewatch bench",
        description="Throughput of spaCy, the extraction core and the pipeline end to end, "
                    "end-to-end latency and worker memory, measured in one run.")
    p.add_argument("--articles", type=int, default=None,
                   help="Distinct articles at least per case (default 300; --quick 24). Cases that need "
                        "more to last --min-seconds generate more.")
    p.add_argument("--min-seconds", type=float, default=None,
                   help="Each throughput case runs at least this long (default 30; --quick 3).")
    p.add_argument("--latency-seconds", type=float, default=None,
                   help="Length of the steady-rate latency run (default: --min-seconds, at least 5).")
    p.add_argument("--quick", action="store_true", help="A short smoke run (tiny corpus, short cases).")
    p.add_argument("--json", action="store_true", help="Print the results as one JSON object.")
    p.add_argument("--cases", default=",".join(CASES),
                   help=f"Comma-separated subset of {','.join(CASES)} (latency implies e2e1).")
    p.add_argument("--workers", type=int, default=2, help="Workers of the e2e2 case (default 2).")
    p.add_argument("--no-repeat", action="store_true",
                   help="Measure (c) once, before (d), instead of before and after it (the default "
                        "when both run, except with --quick: a steady drift of the machine's speed "
                        "between them cancels out).")
    p.add_argument("--batch-size", type=int, default=None, help="Articles per spaCy batch "
                   "(default: WIREWATCH_BATCH_SIZE or its default), for every case.")
    p.add_argument("--batch-timeout", type=float, default=None, help="Workers' batch fill timeout in "
                   "seconds (default: WIREWATCH_BATCH_TIMEOUT_SECONDS or its default).")
    p.add_argument("--model", default=None, help="spaCy pipeline (default: WIREWATCH_SPACY_MODEL).")
    p.add_argument("--seed", type=int, default=0, help="Corpus seed (default 0).")
    p.add_argument("--output", type=Path, default=None, help="Also write the JSON results to this file.")
    p.add_argument("--profile", type=Path, default=None,
                   help="cProfile one pass of the core over the corpus and write the stats here.")
    p.add_argument("--check", action="store_true", help="Exit 1 when a target is missed.")
    p.add_argument("--keep-logs", type=Path, default=None,
                   help="Keep broker and worker logs in this directory (default: a temporary one, "
                        "kept only when a case fails).")
    return p


def _ratio(num: CaseResult | None, den: CaseResult | None) -> float | None:
    if num is None or den is None or den.articles_per_second <= 0:
        return None
    return round(num.articles_per_second / den.articles_per_second, 3)


def _cpu_ratio(num: CaseResult | None, den: CaseResult | None) -> float | None:
    if num is None or den is None or not num.articles_per_cpu_second or not den.articles_per_cpu_second:
        return None
    return round(num.articles_per_cpu_second / den.articles_per_cpu_second, 3)


def evaluate_targets(measured: dict[str, float | None]) -> list[dict[str, Any]]:
    """Each target with its measured value and whether it is met (None: not measured)."""
    out = []
    for label, key, op, threshold in TARGETS:
        value = measured.get(key)
        ok = None if value is None else (value >= threshold if op == ">=" else value < threshold)
        out.append({"target": label, "key": key, "value": value, "op": op, "threshold": threshold, "ok": ok})
    return out


def render_text(report: dict[str, Any]) -> str:
    """The results as a plain-text table for a terminal."""
    lines = [f"wirewatch bench: model {report['config']['model']}, batch {report['config']['batch_size']}, "
             f"batch timeout {report['config']['batch_timeout_seconds']} s, {report['machine']['cpus']} CPUs, "
             f"load {report['machine']['load_start']} -> {report['machine']['load_end']}", ""]
    head = (f"{'case':<38} {'articles':>8} {'seconds':>8} {'art/s':>8} {'tokens/s':>9} {'art/CPU-s':>9} "
            f"{'CPU wait s':>10}")
    lines += [head, "-" * len(head)]
    for case in report["cases"].values():
        per_cpu, wait = case["articles_per_cpu_second"], case.get("cpu_wait_seconds")
        lines.append(f"{case['label']:<38} {case['articles']:>8} {case['seconds']:>8.1f} "
                     f"{case['articles_per_second']:>8.2f} {case['tokens_per_second']:>9.0f} "
                     f"{'-' if per_cpu is None else f'{per_cpu:.2f}':>9} {'-' if wait is None else wait:>10}")
    for case in report["cases"].values():
        if case.get("runs"):
            lines.append(f"{case['label']}: " + ", ".join(
                f"{r['when']} (d) {r['articles_per_second']:.2f} art/s"
                + ("" if r["articles_per_cpu_second"] is None else f" ({r['articles_per_cpu_second']:.2f}/CPU-s)")
                for r in case["runs"]) + "; the row above is both runs together")
    lines.append("")
    names = {"core_over_spacy": "(b)/(a)", "core_over_pipeline": "(b)/(a')", "e2e1_over_spacy": "(c)/(a)",
             "e2e2_over_e2e1": "(d)/(c)"}
    for key, name in names.items():
        wall, cpu = report["ratios"].get(key), report["ratios_per_cpu_second"].get(key)
        if wall is not None:
            lines.append(f"ratio {name}: {wall:.3f} (per CPU-second: {'-' if cpu is None else f'{cpu:.3f}'})")
    lat = report.get("latency")
    if lat:
        hist = lat["histogram"]
        lines.append(f"latency at {lat['rate_per_second']:.2f} articles/s (half of (c)), "
                     f"{lat['measured_articles']}/{lat['articles']} articles: p50 {lat.get('p50_seconds')} s, "
                     f"p95 {lat.get('p95_seconds')} s, p99 {lat.get('p99_seconds')} s, max {lat.get('max_seconds')} s"
                     f" (worker histogram: p50 {hist['p50_seconds']}, p95 {hist['p95_seconds']}, "
                     f"p99 {hist['p99_seconds']})")
    for w in report["memory"]["workers"]:
        peak = w["peak_bytes"]
        lines.append(f"memory {w['case']} {w['worker']}: peak {'-' if peak is None else f'{peak / 2**20:.0f}'} MiB")
    lines.append("")
    for t in report["targets"]:
        status = {True: "ok", False: "MISSED", None: "not measured"}[t["ok"]]
        value = "-" if t["value"] is None else f"{t['value']:.3f}"
        lines.append(f"target {t['target']}: {value} {t['op']} {t['threshold']}: {status}")
    if report.get("profile_top"):
        lines += ["", "core profile (cumulative):", report["profile_top"].rstrip()]
    if report.get("errors"):
        lines += ["", *[f"error: {e}" for e in report["errors"]]]
    return "\n".join(lines)


def run_bench(argv: list[str] | None = None) -> int:
    """Run the benchmark with command-line `argv`; print the results; return the exit status.

    0: every selected case was measured (and, with --check, every target met);
    1: a case failed or, with --check, a target was missed; 2: invalid options.
    """
    from agents.extraction.nlp import load

    from .settings import SettingsError, load_settings

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = sorted(set(cases) - set(CASES))
    if unknown:
        print(f"wirewatch bench: error: unknown case(s) {', '.join(unknown)}; choose from {', '.join(CASES)}",
              file=sys.stderr)
        return 2
    if "latency" in cases and "e2e1" not in cases:
        cases.append("e2e1")
    n_articles = args.articles or (QUICK["articles"] if args.quick else 300)
    min_seconds = args.min_seconds if args.min_seconds is not None else (
        QUICK["min_seconds"] if args.quick else 30.0)
    latency_seconds = args.latency_seconds or (QUICK["latency_seconds"] if args.quick
                                               else max(min_seconds, QUICK["latency_seconds"]))
    if n_articles < 1 or min_seconds < 0 or latency_seconds <= 0 or args.workers < 1:
        print("wirewatch bench: error: --articles, --workers and --latency-seconds must be positive",
              file=sys.stderr)
        return 2
    try:
        s = load_settings(spacy_model=args.model, batch_size=args.batch_size,
                          batch_timeout_seconds=args.batch_timeout)
    except SettingsError as exc:
        print(f"wirewatch bench: error: {exc}", file=sys.stderr)
        return 2

    workdir = args.keep_logs or Path(tempfile.mkdtemp(prefix="wirewatch-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    worker_env = {"WIREWATCH_SPACY_MODEL": s.spacy_model, "WIREWATCH_BATCH_SIZE": str(s.batch_size),
                  "WIREWATCH_BATCH_TIMEOUT_SECONDS": str(s.batch_timeout_seconds),
                  "WIREWATCH_SESSION_TIMEOUT_SECONDS": "6", "WIREWATCH_HEARTBEAT_INTERVAL_SECONDS": "1",
                  "WIREWATCH_LAG_INTERVAL_SECONDS": "1", "WIREWATCH_LOG_LEVEL": "warning"}
    report: dict[str, Any] = {
        "command": "wirewatch bench " + " ".join(argv if argv is not None else sys.argv[1:]),
        "config": {"model": s.spacy_model, "batch_size": s.batch_size,
                   "batch_timeout_seconds": s.batch_timeout_seconds, "articles": n_articles,
                   "min_seconds": min_seconds, "latency_seconds": latency_seconds, "seed": args.seed,
                   "partitions": PARTITIONS, "cases": cases},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_start": _load()},
        "cases": {}, "ratios": {}, "ratios_per_cpu_second": {}, "memory": {"workers": []}, "errors": [],
    }
    results: dict[str, CaseResult] = {}
    _say(f"loading {s.spacy_model}")
    nlp = load(s.spacy_model)
    stock = _stock_model(s.spacy_model) if "spacy" in cases else nlp
    corpus = generate_corpus(n_articles, args.seed)

    def token_count(articles: Sequence[dict[str, Any]]) -> list[int]:
        return [len(nlp.tokenizer(a["text"])) for a in articles]

    failed = False
    try:
        if {"spacy", "pipeline", "core"} & set(cases):
            _say(f"(a)/(a')/(b) in process over {len(corpus)} articles, >= {min_seconds:.0f} s each")
            results.update(bench_in_process(nlp, corpus, token_count(corpus), batch_size=s.batch_size,
                                            min_seconds=min_seconds, cases=cases, stock=stock))
        if args.profile:
            _say(f"profiling the core into {args.profile}")
            report["profile_top"] = profile_core(nlp, corpus, s.batch_size, args.profile)
        capacity = results["spacy"].articles_per_second if "spacy" in results else None
        if capacity is None and ("e2e1" in cases or "e2e2" in cases):
            sample = corpus[: min(len(corpus), s.batch_size)]
            t0 = time.perf_counter()
            for _ in nlp.pipe((a["text"] for a in sample), batch_size=s.batch_size):
                pass
            capacity = len(sample) / (time.perf_counter() - t0)
        next_index = n_articles
        if "e2e1" in cases:
            count = max(n_articles, math.ceil(capacity * min_seconds * 1.1))
            articles = generate_corpus(count, args.seed, start=next_index, prefix="e2e1")
            next_index += count
            _say(f"(c) end to end, 1 worker, {count} articles (starting broker and worker)")
            with running_stack(workdir, 1, worker_env) as stack:
                results["e2e1"] = bench_end_to_end(
                    stack, articles, sum(token_count(articles)), "e2e1", "(c) end to end, 1 worker",
                    expected_rate=capacity,
                    warmup=generate_corpus(WARMUP_ARTICLES * 2, args.seed, prefix="warm1"))
                if "latency" in cases:
                    rate = results["e2e1"].articles_per_second / 2
                    count = max(1, math.ceil(rate * latency_seconds))
                    lat_articles = generate_corpus(count, args.seed, start=next_index, prefix="lat")
                    next_index += count
                    _say(f"latency: {count} articles at {rate:.2f}/s")
                    report["latency"] = bench_latency(stack, lat_articles, rate)
            _record_memory(report, "e2e1", stack.workers)
        if "e2e2" in cases:
            base = results["e2e1"].articles_per_second if "e2e1" in results else capacity
            count = max(n_articles, math.ceil(base * args.workers * min_seconds * 1.1))
            articles = generate_corpus(count, args.seed, start=next_index, prefix="e2e2")
            _say(f"(d) end to end, {args.workers} workers, {count} articles (starting broker and workers)")
            with running_stack(workdir, args.workers, worker_env) as stack:
                results["e2e2"] = bench_end_to_end(
                    stack, articles, sum(token_count(articles)), "e2e2", f"(d) end to end, {args.workers} workers",
                    expected_rate=base * args.workers,
                    warmup=generate_corpus(WARMUP_ARTICLES * 2 * args.workers, args.seed, prefix="warm2"))
            _record_memory(report, "e2e2", stack.workers)
            next_index += count
            if "e2e1" in results and not (args.no_repeat or args.quick):
                first = results["e2e1"]
                count = max(n_articles, math.ceil(first.articles_per_second * min_seconds * 1.1))
                articles = generate_corpus(count, args.seed, start=next_index, prefix="e2e1b")
                next_index += count
                _say(f"(c) again after (d), {count} articles (starting broker and worker)")
                with running_stack(workdir, 1, worker_env) as stack:
                    again = bench_end_to_end(
                        stack, articles, sum(token_count(articles)), "e2e1", "(c) end to end, 1 worker",
                        expected_rate=first.articles_per_second,
                        warmup=generate_corpus(WARMUP_ARTICLES * 2, args.seed, prefix="warm3"))
                _record_memory(report, "e2e1", stack.workers)
                results["e2e1"] = bracketed(first, again)
    except BenchError as exc:
        failed = True
        report["errors"].append(str(exc))
        _say(f"failed: {exc}; logs kept in {workdir}")
    except KeyboardInterrupt:
        failed = True
        report["errors"].append("interrupted")

    for name in CASES:
        if name in results:
            report["cases"][name] = results[name].to_dict()
    pairs = {"core_over_spacy": ("core", "spacy"), "core_over_pipeline": ("core", "pipeline"),
             "e2e1_over_spacy": ("e2e1", "spacy"), "e2e2_over_e2e1": ("e2e2", "e2e1")}
    for key, (num, den) in pairs.items():
        report["ratios"][key] = _ratio(results.get(num), results.get(den))
        report["ratios_per_cpu_second"][key] = _cpu_ratio(results.get(num), results.get(den))
    peaks = [w["peak_bytes"] for w in report["memory"]["workers"] if w["peak_bytes"] is not None]
    report["memory"]["max_peak_bytes"] = max(peaks) if peaks else None
    measured = {**report["ratios"],
                "latency_p99_seconds": (report.get("latency") or {}).get("p99_seconds"),
                "worker_peak_mib": round(max(peaks) / 2**20, 1) if peaks else None}
    report["targets"] = evaluate_targets(measured)
    report["machine"]["load_end"] = _load()

    text = json.dumps(report, indent=2)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n", encoding="utf-8")
    print(text if args.json else render_text(report))
    if not failed and args.keep_logs is None:
        shutil.rmtree(workdir, ignore_errors=True)
    if failed:
        return 1
    return 1 if args.check and any(t["ok"] is False for t in report["targets"]) else 0


def _stock_model(name: str) -> Any:
    """The configured model exactly as spaCy loads it: the ceiling of case (a)."""
    import spacy

    return spacy.load(name)


def _record_memory(report: dict[str, Any], case: str, workers: Sequence[WorkerProcess]) -> None:
    for w in workers:
        report["memory"]["workers"].append({"case": case, "worker": w.name, "peak_bytes": w.peak_bytes,
                                            "rss_at_stop_bytes": w.rss_bytes})


if __name__ == "__main__":
    sys.exit(run_bench(sys.argv[1:]))
