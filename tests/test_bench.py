"""The bench machinery: corpus, statistics, /proc readings and short runs of the cases.

Nothing here asserts a speed: the runs are tiny and only check that each case
measures what it says (every article counted, every latency matched to its article).
"""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import pytest

from streams import bench
from streams.decode import Article, decode_article


# --- corpus ----------------------------------------------------------------------

def test_articles_are_deterministic_per_index_and_seed():
    assert bench.generate_article(7, seed=3) == bench.generate_article(7, seed=3)
    assert bench.generate_article(7, seed=3)["text"] != bench.generate_article(7, seed=4)["text"]


def test_corpus_is_varied_not_one_document_repeated():
    corpus = bench.generate_corpus(50, seed=1)
    assert len({a["id"] for a in corpus}) == 50
    assert len({a["text"] for a in corpus}) == 50
    first_lines = {a["text"].splitlines()[0] for a in corpus}
    assert len(first_lines) > 10
    assert all(a["id"].startswith("bench-1-") for a in corpus)


def test_corpus_window_continues_the_same_sequence():
    assert bench.generate_corpus(3, seed=2, start=5) == bench.generate_corpus(8, seed=2)[5:]


def test_generated_articles_are_valid_input_messages():
    for article in bench.generate_corpus(10, seed=0, prefix="x"):
        decoded = decode_article(json.dumps(article).encode(), None, "t:0:0", 1_000_000)
        assert isinstance(decoded, Article), decoded
        assert decoded.id == article["id"] and decoded.published_at == article["published_at"]
        assert "{" not in decoded.text and "}" not in decoded.text  # every placeholder was filled


def test_feed_is_seven_in_ten_hard_negatives_of_every_domain():
    from streams.bench.corpus import generate_feed

    feed = generate_feed(100, seed=1)
    assert feed == generate_feed(100, seed=1)
    negatives = [a for a in feed if "-news-" not in a["id"]]
    assert len(negatives) == 70
    assert {a["id"].split("-")[1] for a in negatives} == {"sport", "markets", "weather", "culture", "technology"}
    assert len({a["text"] for a in feed}) == 100
    for article in feed[:20]:
        decoded = decode_article(json.dumps(article).encode(), None, "t:0:0", 1_000_000)
        assert isinstance(decoded, Article) and "{" not in decoded.text


def test_spread_gives_each_run_over_the_base():
    base = bench.CaseResult("e2e1", "c", 10, 100, 1.0, 2.0)
    runs = [("run 1", bench.CaseResult("e2e2", "d", 20, 200, 1.0, 4.0)),
            ("run 2", bench.CaseResult("e2e2", "d", 15, 150, 1.0, 5.0))]
    from streams.bench.results import combined, spread

    got = spread(combined(runs), base)
    assert got["wall"] == [2.0, 1.5] and got["per_cpu_second"] == [1.0, 0.6]
    assert (got["wall_min"], got["wall_max"]) == (1.5, 2.0)
    assert spread(runs[0][1], base) is None  # one run: no spread


# --- statistics and readings -----------------------------------------------------

def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert bench.percentile(values, 0.5) == 50.0
    assert bench.percentile(values, 0.99) == 99.0
    assert bench.percentile(values, 1.0) == 100.0
    assert bench.percentile([3.0, 1.0, 2.0], 0.5) == 2.0
    with pytest.raises(ValueError):
        bench.percentile([], 0.5)
    with pytest.raises(ValueError):
        bench.percentile([1.0], 0)


@pytest.mark.parametrize("q, expected", [(0.25, 0.25), (0.5, 0.5), (0.75, 0.75), (0.9, 0.9)])
def test_histogram_quantile_interpolates_inside_the_bucket(q, expected):
    buckets = [(0.5, 50.0), (1.0, 100.0), (math.inf, 100.0)]
    assert bench.histogram_quantile(q, buckets) == pytest.approx(expected)


def test_histogram_quantile_edges():
    assert bench.histogram_quantile(0.5, []) is None
    assert bench.histogram_quantile(0.5, [(1.0, 0.0), (math.inf, 0.0)]) is None
    # a rank beyond the last finite bucket answers that bound, as PromQL does
    assert bench.histogram_quantile(0.99, [(1.0, 10.0), (2.0, 50.0), (math.inf, 100.0)]) == 2.0


def test_metric_helpers_read_the_exposition_format():
    text = ("# TYPE wirewatch_articles_deadlettered_total counter\n"
            'wirewatch_articles_deadlettered_total{reason="invalid_json"} 2.0\n'
            'wirewatch_articles_deadlettered_total{reason="too_large"} 1.0\n'
            "# TYPE wirewatch_end_to_end_latency_seconds histogram\n"
            'wirewatch_end_to_end_latency_seconds_bucket{le="0.5"} 3.0\n'
            'wirewatch_end_to_end_latency_seconds_bucket{le="+Inf"} 4.0\n'
            "wirewatch_end_to_end_latency_seconds_count 4.0\n"
            "wirewatch_end_to_end_latency_seconds_sum 1.5\n")
    samples = bench.parse_metrics(text)
    assert bench.metric_sum(samples, "wirewatch_articles_deadlettered_total") == 3.0
    assert bench.histogram_buckets(samples, "wirewatch_end_to_end_latency_seconds") == {0.5: 3.0, math.inf: 4.0}


def test_proc_readings_of_this_process():
    assert bench.proc_status_bytes(os.getpid(), "VmHWM") > 10 * 2**20
    assert bench.proc_cpu_seconds(os.getpid()) > 0
    assert bench.proc_status_bytes(2**22 + 12345, "VmHWM") is None
    assert bench.proc_cpu_seconds(2**22 + 12345) is None


def test_targets_compare_in_the_right_direction():
    results = {t["key"]: t for t in bench.evaluate_targets(
        {"core_over_spacy": 0.96, "e2e1_over_spacy": 0.5, "latency_p99_seconds": 2.0,
         "worker_peak_mib": 500.0})}
    assert results["core_over_spacy"]["ok"] is True
    assert results["e2e1_over_spacy"]["ok"] is False
    assert results["latency_p99_seconds"]["ok"] is False  # strictly under 2 s
    assert results["worker_peak_mib"]["ok"] is True
    assert results["e2e2_over_e2e1"]["ok"] is None


def test_bench_module_imports_no_spacy_or_faust():
    code = "import sys, streams.bench; print(sorted(m for m in ('spacy', 'faust') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.model
def test_ceiling_is_the_model_as_installed_and_the_workers_pipeline_is_measured_apart(nlp):
    """(a) must not silently include the worker's own speed-ups; (a') shows them."""
    from spacy.pipeline import AttributeRuler

    from agents.extraction.nlp import DEFAULT_MODEL

    stock = bench._stock_model(DEFAULT_MODEL)
    assert type(stock.get_pipe("attribute_ruler")) is AttributeRuler
    assert "wirewatch_sentence_cap" not in stock.pipe_names
    assert type(nlp.get_pipe("attribute_ruler")) is not AttributeRuler


def test_a_case_measured_on_both_sides_of_another_counts_both_runs():
    before = bench.CaseResult("e2e1", "(c)", 300, 120_000, 30.0, 33.0, 0.5, 1.0,
                              {"workers": 1, "worker_cpu_seconds": [33.0], "broker_cpu_seconds": 1.0,
                               "cpu_wait_seconds": 1.0, "publish_seconds": 0.2,
                               "worker_process_cpu_seconds": [5.0]})
    after = bench.CaseResult("e2e1", "(c)", 270, 108_000, 30.0, 30.0, 1.5, 1.2,
                             {"workers": 1, "worker_cpu_seconds": [30.0], "broker_cpu_seconds": None,
                              "cpu_wait_seconds": 2.0, "publish_seconds": 0.3,
                              "worker_process_cpu_seconds": [4.5]})
    both = bench.bracketed(before, after)
    # a machine 10 % slower in the second run: the rate is that of the two runs together
    assert both.articles_per_second == pytest.approx(570 / 60)
    assert both.articles_per_cpu_second == pytest.approx(570 / 63)
    assert (both.load_before, both.load_after) == (0.5, 1.2)
    d = both.to_dict()
    assert d["worker_cpu_seconds"] == [63.0] and d["cpu_wait_seconds"] == 3.0
    assert d["broker_cpu_seconds"] is None  # unknown in one run: unknown in the sum
    # the worker process alone, without its extraction process, over both runs
    assert d["worker_process_cpu_seconds"] == [9.5]
    assert d["worker_process_ms_per_article"] == pytest.approx(1000 * 9.5 / 570, abs=0.01)
    assert [r["when"] for r in d["runs"]] == ["before", "after"]
    assert [r["articles"] for r in d["runs"]] == [300, 270]


def test_unknown_case_is_an_option_error(capsys):
    assert bench.run_bench(["--cases", "spacy,warp"]) == 2
    assert "warp" in capsys.readouterr().err


# --- short runs ------------------------------------------------------------------

@pytest.mark.model
def test_in_process_cases_count_every_article(nlp):
    corpus = bench.generate_corpus(5, seed=9)
    tokens = [len(nlp.tokenizer(a["text"])) for a in corpus]
    results = bench.bench_in_process(nlp, corpus, tokens, batch_size=2, min_seconds=0,
                                     cases=["spacy", "pipeline", "core"])
    assert set(results) == {"spacy", "pipeline", "core"}
    for r in results.values():
        assert r.articles == 5 and r.tokens == sum(tokens)
        assert r.seconds > 0 and r.cpu_seconds > 0
        assert r.articles_per_second == pytest.approx(5 / r.seconds)


@pytest.mark.model
def test_quick_in_process_run_reports_json(nlp, capsys, tmp_path):
    out_file = tmp_path / "results.json"
    code = bench.run_bench(["--cases", "spacy,pipeline,core", "--articles", "4", "--min-seconds", "0",
                            "--json", "--output", str(out_file)])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report == json.loads(out_file.read_text())
    assert set(report["cases"]) == {"spacy", "pipeline", "core"}
    assert report["ratios"]["core_over_pipeline"] == pytest.approx(
        report["cases"]["core"]["articles_per_second"] / report["cases"]["pipeline"]["articles_per_second"],
        rel=0.01)
    assert report["cases"]["spacy"]["articles"] == 4
    ratio = report["ratios"]["core_over_spacy"]
    expected = report["cases"]["core"]["articles_per_second"] / report["cases"]["spacy"]["articles_per_second"]
    assert ratio == pytest.approx(expected, rel=0.01)
    assert {t["key"] for t in report["targets"]} >= {"core_over_spacy", "e2e1_over_spacy"}


@pytest.mark.integration
@pytest.mark.model
def test_end_to_end_cases_on_the_embedded_broker(nlp, capsys):
    code = bench.run_bench(["--cases", "e2e1,e2e2,latency,feed", "--articles", "6", "--min-seconds", "0",
                            "--latency-seconds", "2", "--repeats", "2", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report["errors"]
    assert report["cases"]["e2e1"]["articles"] >= 6 and report["cases"]["e2e1"]["workers"] == 1
    assert report["cases"]["e2e2"]["workers"] == 2
    assert len(report["cases"]["e2e2"]["worker_cpu_seconds"]) == 2
    latency = report["latency"]
    # every article published at the steady rate was matched to its outputs
    assert latency["measured_articles"] == latency["articles"] >= 1
    assert 0 < latency["p50_seconds"] <= latency["p99_seconds"] <= latency["max_seconds"]
    assert latency["histogram"]["p50_seconds"] is not None
    # (c) ran before and after (d); its figures are the two runs together
    runs = report["cases"]["e2e1"]["runs"]
    assert [r["when"] for r in runs] == ["before", "after"]
    assert report["cases"]["e2e1"]["articles"] == sum(r["articles"] for r in runs)
    assert report["cases"]["e2e1"]["seconds"] == pytest.approx(sum(r["seconds"] for r in runs), abs=0.01)
    # (d) ran twice on its stack; the report gives both over (c), and their range
    assert len(report["cases"]["e2e2"]["runs"]) == 2
    assert len(report["spread"]["e2e2_over_e2e1"]["wall"]) == 2
    # (e) the feed through the worker of (c), and raw spaCy on the same mix
    feed = report["cases"]["feed"]
    assert feed["articles"] >= 6 and report["cases"]["feed_spacy"]["articles"] >= 6
    assert report["ratios"]["feed_over_spacy"] > 0
    assert feed["gate"]["articles_parsed"] + feed["gate"]["articles_gated"] == feed["articles"]
    workers = report["memory"]["workers"]
    assert [w["case"] for w in workers] == ["e2e1", "e2e2", "e2e2", "e2e1"]
    assert all(w["peak_bytes"] > 50 * 2**20 for w in workers)
