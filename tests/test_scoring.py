"""Scoring on hand-made gold and predictions (no model)."""
from __future__ import annotations

import json

import pytest

from agents.extraction import evaluate
from agents.extraction.model import (
    ArticleExtraction,
    CasualtyClaim,
    Count,
    DiplomaticEvent,
    Location,
    Party,
    Period,
)
from agents.extraction.scoring import (
    ArticlePrediction,
    ClaimItem,
    EventItem,
    GoldError,
    parse_gold,
    parse_gold_record,
    plover_gold,
    prediction_from_dict,
    prediction_from_extraction,
    score,
)


def gold(claims=(), events=(), aid="a1"):
    return parse_gold_record({"id": aid, "casualty_claims": list(claims),
                              "diplomatic_events": list(events), "notes": ""})


def claim(category="killed", low=10, high=None, qualifier="exact", **kw):
    return {"category": category, "low": low, "high": high, "qualifier": qualifier, **kw}


def event(actor="RUS", type_="CONSULT", target="SYR", planned=False, **kw):
    return {"actor": actor, "type": type_, "target": target, "planned": planned, **kw}


def pred(claims=(), events=(), aid="a1"):
    return {aid: ArticlePrediction(aid, tuple(claims), tuple(events))}


def test_perfect_match():
    g = gold([claim(), claim("injured", 3)], [event(), event("SYR", "CONSULT", "RUS")])
    p = pred([ClaimItem("killed", 10, None, "exact"), ClaimItem("injured", 3, None, "exact")],
             [EventItem("RUS", "CONSULT", "SYR", False), EventItem("SYR", "CONSULT", "RUS", False)])
    r = score([g], p)
    assert (r.claims.overall.tp, r.claims.overall.fp, r.claims.overall.fn) == (2, 0, 0)
    assert r.claims.overall.f1 == 1.0 and r.events.overall.f1 == 1.0
    assert r.claims.by_label["injured"].recall == 1.0


def test_misses_and_false_alarms_are_counted_per_label():
    g = gold([claim(), claim("missing", 5)], [event()])
    p = pred([ClaimItem("killed", 10, None, "exact"), ClaimItem("killed", 11, None, "exact")],
             [EventItem("RUS", "ACCUSE", "SYR")])
    r = score([g], p)
    c = r.claims.overall
    assert (c.tp, c.fp, c.fn) == (1, 1, 1)
    assert c.precision == 0.5 and c.recall == 0.5
    assert r.claims.by_label["missing"].fn == 1
    assert r.claims.by_label["killed"].fp == 1
    assert [i.describe() for _, i in r.claims.misses] == ["missing 5 (exact)"]
    e = r.events.overall
    assert (e.tp, e.fp, e.fn) == (0, 1, 1) and e.f1 == 0.0


def test_key_uses_high_when_low_is_null():
    g = gold([claim("kidnapped", None, 50, "up_to")])
    r = score([g], pred([ClaimItem("kidnapped", None, 50, "up_to")]))
    assert r.claims.overall.tp == 1
    r = score([g], pred([ClaimItem("kidnapped", 50, None, "exact")]))
    assert r.claims.overall.tp == 1  # same key; the qualifier is an attribute
    assert r.claims.attributes["qualifier"].value == 0.0


def test_optional_items_count_neither_way():
    g = gold([claim(), claim("arrested", 4, optional=True)],
             [event(), event("RUS", "AGREE", "USA", True, optional=True)])
    none = score([g], pred())
    assert none.claims.overall.fn == 1 and none.events.overall.fn == 1  # optional not missed
    both = score([g], pred([ClaimItem("killed", 10, None), ClaimItem("arrested", 4, None)],
                           [EventItem("RUS", "CONSULT", "SYR"), EventItem("RUS", "AGREE", "USA")]))
    assert both.claims.overall.fp == 0 and both.events.overall.fp == 0
    assert both.claims.optional_matched == 1 and both.events.optional_matched == 1
    assert both.claims.overall.f1 == 1.0


def test_null_target_must_match_exactly():
    g = gold(events=[event("UNO", "ACCUSE", None)])
    assert score([g], pred(events=[EventItem("UNO", "ACCUSE", None)])).events.overall.tp == 1
    r = score([g], pred(events=[EventItem("UNO", "ACCUSE", "ISR")]))
    assert (r.events.overall.tp, r.events.overall.fp, r.events.overall.fn) == (0, 1, 1)


def test_repeated_prediction_of_one_event_key_is_not_a_second_false_alarm():
    g = gold(events=[event()])
    r = score([g], pred(events=[EventItem("RUS", "CONSULT", "SYR")] * 2))
    assert (r.events.overall.tp, r.events.overall.fp) == (1, 0)


def test_duplicate_claim_predictions_are_false_alarms():
    g = gold([claim()])
    r = score([g], pred([ClaimItem("killed", 10, None)] * 2))
    assert (r.claims.overall.tp, r.claims.overall.fp) == (1, 1)


def test_attribute_accuracy_on_matched_items():
    g = gold([claim(country="SYR", reported_by="the Syrian Observatory", period_start="2011-03",
                    modality="denied"),
              claim("injured", 7, reported_by="police")],
             [event(planned=True)])
    p = pred([ClaimItem("killed", 10, None, "exact", country="syr", reported_by="Syrian Observatory",
                        period_start="2011-03-15", modality="denied"),
              ClaimItem("injured", 7, None, "about", reported_by=None),
              ClaimItem("displaced", 9, None, "exact", country="IRQ")],
             [EventItem("RUS", "CONSULT", "SYR", planned=False)])
    a = score([g], p).claims.attributes
    assert (a["qualifier"].correct, a["qualifier"].total) == (1, 2)
    assert (a["country"].correct, a["country"].total) == (1, 1)  # only where gold has one
    assert (a["reported_by"].correct, a["reported_by"].total) == (1, 2)  # containment counts
    assert a["period_start"].value == 1.0 and a["modality"].value == 1.0
    assert score([g], p).events.attributes["planned"].value == 0.0


@pytest.mark.parametrize("bad, message", [
    (claim(qualifier="roughly"), "unknown qualifier"),
    (claim(category="hurt"), "unknown category"),
    (claim(low=5, high=3, qualifier="range"), "low < high"),
    (claim(low=5, high=None, qualifier="up_to"), "up_to needs"),
    (claim(low=25, qualifier="vague"), "vague low"),
    (claim(low=-1), "non-negative"),
    (claim(country="Syria"), "alpha-3"),
    (claim(colour="red"), "unknown key"),
])
def test_gold_claim_validation(bad, message):
    with pytest.raises(GoldError, match=message):
        gold([bad])


@pytest.mark.parametrize("bad, message", [
    (event(type_="PROTEST"), "unknown event type"),
    (event(actor="Russia"), "alpha-3"),
    (event(target="NATO"), "alpha-3"),
    ({"actor": "RUS", "type": "AGREE"}, "missing key"),
    (event(actor=None), "alpha-3"),
    (event(date="Friday"), "date must be"),
    (event(background="yes"), "true or false"),
])
def test_gold_event_validation(bad, message):
    with pytest.raises(GoldError, match=message):
        gold(events=[bad])


def test_peer_gold_may_leave_planned_qualifier_and_an_optional_actor_out():
    g = gold([{"category": "killed", "low": 12, "high": None, "optional": True, "note": "peer"}],
             [{"actor": None, "type": "AGREE", "target": "JPN", "optional": True},
              {"actor": "HUN", "type": "AGREE", "target": "ROU", "note": "reciprocal"}])
    assert g.claims[0].qualifier is None and g.events[1].planned is None
    r = score([g], pred([ClaimItem("killed", 12, None, "exact")],
                        [EventItem("HUN", "AGREE", "ROU", planned=True)]))
    assert r.events.overall.tp == 1 and "planned" not in r.events.attributes
    assert r.claims.optional_matched == 1 and "qualifier" not in r.claims.attributes


def test_scored_limits_a_record_to_the_tasks_it_annotates():
    record = {"id": "p1", "casualty_claims": [], "diplomatic_events": [event()],
              "scored": ["diplomatic_events"], "source_event": "CONSULT", "in_scope": True}
    g = parse_gold_record(record)
    assert g.score_events and not g.score_claims
    r = score([g], pred([ClaimItem("killed", 10, None)], [EventItem("RUS", "CONSULT", "SYR")], aid="p1"))
    assert r.claims.overall.fp == 0 and r.unscored_predictions == 1
    for bad in ([], ["claims"], ["diplomatic_events", "diplomatic_events"], "diplomatic_events"):
        with pytest.raises(GoldError, match="scored must"):
            parse_gold_record({**record, "scored": bad})


def test_date_and_background_are_compared_where_the_gold_gives_them():
    g = gold([claim(date="2017-11", background=True), claim("injured", 2, date="2017-11-13", background=False),
              claim("missing", 4)],
             [event(date="2024-03-01", background=True)])
    p = pred([ClaimItem("killed", 10, None, date="2017-11", background=False),
              ClaimItem("injured", 2, None, date="2017-11", background=False),
              ClaimItem("missing", 4, None, background=True)],
             [EventItem("RUS", "CONSULT", "SYR", date="2024-03-01", background=True)])
    r = score([g], p)
    a = r.claims.attributes
    assert (a["date"].correct, a["date"].total) == (1, 2)  # a month is not the day the gold gives
    assert (a["background"].correct, a["background"].total) == (1, 2)  # not compared where gold is silent
    assert (a["background_true"].correct, a["background_true"].total) == (0, 1)
    e = r.events.attributes
    assert e["date"].value == 1.0 and e["background_true"].value == 1.0
    with pytest.raises(GoldError, match="date must be"):
        gold([claim(date="13 Nov 2015")])


def test_gold_rejects_a_repeated_event_key():
    with pytest.raises(GoldError, match="listed twice"):
        gold(events=[event(), event()])


def plover(event_name, sources, targets, markup="", text="Some sentence.", **extra):
    return {"text": text,
            "expected": {"source": sources, "target": targets, "event": event_name, **extra},
            "meta": {"id": "P-1", "markup": markup}}


def test_plover_names_and_codes_are_mapped():
    g = plover_gold(plover("DEMAND", [{"actorText": "Tokyo", "code": "JAP"}],
                           [{"actorText": "Italy", "code": "ITL"}]))
    assert [e.key for e in g.events] == [("JPN", "REQUEST", "ITA")]
    assert plover_gold(plover("DISAPPROVE", [{"actorText": "x", "code": "USA"}], "")).events[0].key \
        == ("USA", "ACCUSE", None)
    assert plover_gold(plover("INVESTIGATE", [{"actorText": "x", "code": "USA"}], None)).events[0].type == "ACCUSE"


def test_plover_out_of_scope_sentence_is_skipped_entirely():
    g = plover_gold(plover("PROTEST", [{"actorText": "x", "code": "USA"}], []))
    assert not g.score_events and g.events == ()
    r = score([g], {"P-1": ArticlePrediction("P-1", events=(EventItem("USA", "ACCUSE", None),))}, "plover")
    assert r.events.overall.fp == 0 and r.skipped_events == 1 and r.unscored_predictions == 1


def test_plover_source_target_product_and_igo_wildcard():
    g = plover_gold(plover("SANCTION", [{"actorText": "U.N.", "code": "IGO"}, {"actorText": "US", "code": "USA"}],
                           [{"actorText": "Iraq", "code": "IRQ"}]))
    assert {e.key for e in g.events} == {("IGO", "SANCTION", "IRQ"), ("USA", "SANCTION", "IRQ")}
    p = {"P-1": ArticlePrediction("P-1", events=(EventItem("UNO", "SANCTION", "IRQ"),
                                                 EventItem("IRQ", "SANCTION", "USA")))}
    r = score([g], p, "plover")
    assert (r.events.overall.tp, r.events.overall.fp, r.events.overall.fn) == (1, 1, 1)
    # A country code never matches the IGO wildcard.
    r = score([g], {"P-1": ArticlePrediction("P-1", events=(EventItem("GBR", "SANCTION", "IRQ"),))}, "plover")
    assert r.events.overall.tp == 0


def test_plover_compound_actors_are_coded_both_ways():
    rec = plover("AGREE", [{"actorText": "Jordan", "code": "JOR"}, {"actorText": "Britain", "code": "GBR"}], "",
                 markup="(SRC/TAR: Jordan) and (SRC/TAR: Britain) have (EVT: agreed)")
    g = plover_gold(rec)
    required = {e.key for e in g.events if not e.optional}
    assert required == {("JOR", "AGREE", "GBR"), ("GBR", "AGREE", "JOR")}
    assert {e.key for e in g.events if e.optional} == {("JOR", "AGREE", None), ("GBR", "AGREE", None)}


def test_plover_non_state_actor_is_optional():
    g = plover_gold(plover("DEMAND", [{"actorText": "forum", "code": "NGO"}], [{"actorText": "US", "code": "USA"}]))
    assert all(e.optional for e in g.events)


def test_plover_casualties_and_implied_single():
    g = plover_gold(plover("ASSAULT", [], [], text="A bomb killed two soldiers and wounded one other.",
                           dead="2", injured="1"))
    assert [(c.key, c.optional) for c in g.claims] == [(("killed", 2), False), (("injured", 1), False)]
    implied = plover_gold(plover("ASSAULT", [], [], text="A journalist was killed.", dead="1"))
    assert implied.claims[0].optional
    r = score([g], {"P-1": ArticlePrediction("P-1", claims=(ClaimItem("killed", 2, None),
                                                            ClaimItem("arrested", 12, None)))}, "plover")
    # Only killed/injured are scored on PLOVER; the arrest figure is not a false alarm.
    assert (r.claims.overall.tp, r.claims.overall.fp, r.claims.overall.fn) == (1, 0, 1)


def test_plover_duplicate_ids_are_kept_apart():
    recs = [plover("AGREE", [{"actorText": "x", "code": "USA"}], []) for _ in range(2)]
    fmt, golds = parse_gold(recs)
    assert fmt == "plover" and [g.id for g in golds] == ["P-1", "P-1#2"]


def test_predictions_from_extraction_and_from_json_agree():
    ex = ArticleExtraction("a1", (
        CasualtyClaim("killed", Count(40000, None, "more_than", "more than 40,000"), "s", (0, 1),
                      location=Location("Syria", "SYR"), period=Period("2011-03"),
                      reported_by="activists", cumulative=True),
    ), (
        DiplomaticEvent("AGREE", "036", Party("Russia", country="RUS"), "s", (0, 1),
                        target=Party("UN", org="UNO"), planned=True),
    ))
    a = prediction_from_extraction(ex)
    b = prediction_from_dict(json.loads(json.dumps(ex.to_dict())))
    assert a == b
    assert a.claims[0].key == ("killed", 40000) and a.events[0].key == ("RUS", "AGREE", "UNO")


def test_main_scores_saved_predictions(tmp_path, capsys):
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text(json.dumps({"id": "a1", "casualty_claims": [claim()],
                                     "diplomatic_events": [event()], "notes": ""}) + "\n")
    preds = tmp_path / "pred.jsonl"
    preds.write_text(json.dumps({"id": "a1", "casualty_claims": [
        {"category": "killed", "count": {"low": 10, "high": None, "qualifier": "exact"}, "sentence": "Ten died."}],
        "diplomatic_events": []}) + "\n")
    assert evaluate.main([str(gold_path), "--predictions", str(preds), "--json", "-v"]) == 0
    out = json.loads(capsys.readouterr().out)
    f = out["files"][0]
    assert f["claims"]["f1"] == 1.0 and f["events"]["recall"] == 0.0
    assert f["events"]["misses"][0]["item"] == "RUS CONSULT SYR"
    assert evaluate.main([str(gold_path), "--predictions", str(preds), "-v"]) == 0
    assert "miss        [a1] RUS CONSULT SYR" in capsys.readouterr().out


def test_main_reports_missing_article_text(tmp_path, capsys):
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text(json.dumps({"id": "a1", "casualty_claims": [], "diplomatic_events": []}) + "\n")
    articles = tmp_path / "arts.jsonl"
    articles.write_text(json.dumps({"id": "other", "text": "x"}) + "\n")
    assert evaluate.main([str(gold_path), "--articles", str(articles)]) == 2
    assert "no article text for 1 gold id(s): a1" in capsys.readouterr().err


def test_main_scores_only_the_articles_with_text_when_asked(tmp_path, capsys):
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": "a1", "casualty_claims": [], "diplomatic_events": []},
        {"id": "a2", "casualty_claims": [claim()], "diplomatic_events": [], "notes": ""}]))
    articles = tmp_path / "arts.jsonl"
    articles.write_text(json.dumps({"id": "a1", "text": "Markets were calm on Monday."}) + "\n")
    assert evaluate.main([str(gold_path), "--articles", str(articles), "--only-available", "--json"]) == 0
    f = json.loads(capsys.readouterr().out)["files"][0]
    # a2's claim has no text to be found in: it is neither a miss nor scored
    assert f["articles"] == 1 and f["without_text"] == 1
    assert f["claims"]["fn"] == 0 and f["claims"]["tp"] == 0
    assert evaluate.main([str(gold_path), "--articles", str(articles), "--only-available"]) == 0
    assert "left out for want of their text: 1 gold article(s)" in capsys.readouterr().out
