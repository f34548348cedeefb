import pytest

from agents.alerts import (
    GroupState,
    Match,
    RulesError,
    decide,
    load_rules,
    match_claim,
    match_event,
    parse_rules,
)
from agents.extraction.model import CasualtyClaim, Count, DiplomaticEvent, Location, Party


def claim(n, category="killed", country="SYR", modality="asserted", day=None, background=False):
    return CasualtyClaim(category=category, count=Count(n, None, "more_than", f"more than {n:,}"),
                         sentence="s", span=(0, 1), victims="people",
                         location=Location("Syria", country, 35.0, 38.0), modality=modality,
                         date=day, background=background)


def event(actor, typ, target, role=None, planned=False):
    return DiplomaticEvent(type=typ, cameo="036", actor=Party(actor, country=actor, role="GOV"),
                           target=Party(target, country=target, role=role) if target else None,
                           sentence="s", span=(0, 1), planned=planned)


def test_shipped_rules_load_and_cover_the_seed_article():
    rules = load_rules()
    assert {m.rule for m in match_claim(rules, claim(40000))} == {"mass-casualty"}
    assert {m.rule for m in match_claim(rules, claim(120))} == {"deadly-incident"}
    invite = event("RUS", "AGREE", "SYR", role="OPP", planned=True)
    assert {m.rule for m in match_event(rules, invite)} >= {"great-power-outreach", "outreach-to-opposition"}
    assert match_claim(rules, claim(3)) == []
    assert match_claim(rules, claim(40000, modality="hypothetical")) == []


def test_shipped_rules_cover_evacuations():
    rules = load_rules()
    assert {m.rule for m in match_claim(rules, claim(450000, category="evacuated"))} == {
        "mass-evacuation"}
    assert match_claim(rules, claim(500, category="evacuated")) == []


def test_default_rules_ignore_background_claims():
    rules = load_rules()
    # "The attack came two years after 130 people were killed in Paris": history, no page.
    assert match_claim(rules, claim(40000, background=True)) == []
    assert match_claim(rules, claim(130, background=True, day="2015")) == []
    assert {m.rule for m in match_claim(rules, claim(130))} == {"deadly-incident"}
    opt_in = parse_rules("casualty:\n  - name: h\n    severity: info\n    background: true\n")
    assert [m.rule for m in match_claim(opt_in, claim(130, background=True))] == ["h"]


def test_claims_dated_older_than_the_window_match_no_rule():
    from datetime import date

    rules = load_rules()
    published = date(2024, 6, 14)
    recent = claim(120, day="2024-06-09")
    old = claim(120, day="2024-03-01")
    assert match_claim(rules, recent, published, 30) and not match_claim(rules, old, published, 30)
    assert match_claim(rules, old, published, 120)  # the setting widens the window
    assert match_claim(rules, claim(120, day="2024-05"), published, 30)  # May ends 14 days before
    assert not match_claim(rules, claim(120, day="2023"), published, 30)
    assert match_claim(rules, claim(120), published, 30)  # undated: the news itself
    assert match_claim(rules, old, published, None)  # no limit at all
    own = parse_rules("casualty:\n  - name: q\n    severity: info\n    max_age_days: 365\n")
    assert [m.rule for m in match_claim(own, old, published, 30)] == ["q"]  # the rule's own wins


def test_alert_summary_shows_the_date():
    (m,) = match_claim(load_rules(), claim(120, day="2024-06-09"), None, None)
    assert "on 2024-06-09" in m.summary
    (m,) = match_claim(load_rules(), claim(120), None, None)
    assert " on " not in m.summary


@pytest.mark.parametrize("text,line,words", [
    ("casualty:\n  - name: a\n    severity: loud\n", 3, "severity 'loud'"),
    ("casualty:\n  - name: a\n    severity: info\n    min_count: 0\n", 4, "min_count"),
    ("casualty:\n  - name: a\n    severity: info\n    min_count: 9\n    max_count: 2\n", 2, "below min_count"),
    ("casualty:\n  - name: a\n    severity: info\n    categories: [eaten]\n", 4, "'eaten'"),
    ("casualty:\n  - name: a\n    severity: info\n    countries: [Syria]\n", 4, "ISO 3166"),
    ("diplomatic:\n  - name: a\n    severity: info\n    types: [HUG]\n", 4, "'HUG'"),
    ("diplomatic:\n  - name: a\n    severity: info\n    planned: maybe\n", 4, "true or false"),
    ("diplomatic:\n  - severity: info\n", 2, "missing 'name'"),
    ("casualty:\n  - name: a\n    severity: info\n  - name: a\n    severity: info\n", 4, "duplicate"),
    ("casualty:\n  - name: a\n    severity: info\n    colour: red\n", 4, "unknown key 'colour'"),
    ("casualty:\n  - name: a\n    severity: info\n    background: sometimes\n", 4, "true or false"),
    ("casualty:\n  - name: a\n    severity: info\n    max_age_days: 0\n", 4, "max_age_days"),
    ("casualty:\n  - name: a\n    severity: info\n    max_age_days: soon\n", 4, "max_age_days"),
    ("weather: []\n", 1, "unknown section"),
    ("casualty: {a: 1}\n", 1, "list of rules"),
    ("casualty:\n  - [a, b]\n", 2, "mapping"),
    ("casualty: [\n", 2, "not valid YAML"),
    ("", 1, "empty"),
])
def test_invalid_rules_name_the_line_and_problem(text, line, words):
    with pytest.raises(RulesError) as exc:
        parse_rules(text, "r.yaml")
    assert str(exc.value).startswith(f"r.yaml:{line}:") and words in str(exc.value)


def test_missing_rules_file_is_an_error(tmp_path):
    with pytest.raises(RulesError, match="cannot read"):
        load_rules(tmp_path / "nope.yaml")


def m(figure, group="r|killed|SYR"):
    return Match("casualty", "r", "critical", group, figure, "x")


def test_repeats_corroborate_and_higher_figures_escalate():
    st = GroupState()
    d1 = decide(st, m(100), source="a", article_id="1", now=0, window=60)
    d2 = decide(st, m(100), source="b", article_id="2", now=1, window=60)
    d3 = decide(st, m(100), source="b", article_id="3", now=2, window=60)
    d4 = decide(st, m(80), source="c", article_id="4", now=3, window=60)
    d5 = decide(st, m(120), source="c", article_id="5", now=4, window=60)
    assert (d1.status, d2.status, d3.status, d4.status, d5.status) == \
        ("new", "corroborated", None, None, "escalation")
    assert d2.alert_id == d1.alert_id and d2.corroboration == 2 and d2.sources == ("a", "b")
    assert d5.supersedes == d1.alert_id and d5.alert_id != d1.alert_id


def test_window_expiry_raises_a_fresh_alert_and_state_roundtrips():
    st = GroupState()
    first = decide(st, m(100), source="a", article_id="1", now=0, window=60)
    st = GroupState.from_value(st.to_value())
    again = decide(st, m(100), source="b", article_id="9", now=500, window=60)
    assert again.status == "new" and again.alert_id != first.alert_id


def test_deciding_leaves_the_stored_value_untouched_until_it_is_written_back():
    """A candidate whose alert is never acknowledged must not be remembered as seen."""
    st = GroupState()
    decide(st, m(100), source="a", article_id="1", now=0, window=60)
    stored = st.to_value()
    snapshot = {"alerts": [dict(a, sources=list(a["sources"])) for a in stored["alerts"]]}
    work = GroupState.from_value(stored)
    assert decide(work, m(100), source="b", article_id="2", now=1, window=60).status == "corroborated"
    assert stored == snapshot  # "b" is not recorded before its alert is published
    # the redelivered candidate, decided on the stored state again, still raises its alert
    assert decide(GroupState.from_value(stored), m(100), source="b", article_id="2", now=2,
                  window=60).status == "corroborated"


def test_diplomatic_groups_have_one_alert():
    st = GroupState()
    dm = Match("diplomatic", "r", "info", "r|RUS|AGREE|SYR", None, "x")
    assert decide(st, dm, source="a", article_id="1", now=0, window=60).status == "new"
    assert decide(st, dm, source="b", article_id="2", now=1, window=60).status == "corroborated"


def test_sources_list_is_bounded():
    st = GroupState()
    for i in range(80):
        d = decide(st, m(100), source=f"s{i}", article_id=str(i), now=i, window=1000, max_sources=10)
    assert d.corroboration == 80 and len(d.sources) == 10
