"""Alert summaries quote a source as a sentence would; rules page on resolved targets by default."""
import pytest

from agents.alerts import load_rules, match_claim, match_event, parse_rules
from agents.extraction.model import CasualtyClaim, Count, DiplomaticEvent, Location, Party
from agents.wording import in_sentence


@pytest.mark.parametrize("written,quoted", [
    ("A rights group", "a rights group"),
    ("Anti-regime activists", "anti-regime activists"),
    ("The United Nations", "the United Nations"),
    ("Residents", "residents"),
    ("Local officials", "local officials"),
    ("Pro-government media", "pro-government media"),
    ("An AFP correspondent", "an AFP correspondent"),
    # Names keep their capitals.
    ("Reuters", "Reuters"),
    ("Fedorov", "Fedorov"),
    ("Doctors Without Borders", "Doctors Without Borders"),
    ("Health Ministry", "Health Ministry"),
    ("UNICEF", "UNICEF"),
    ("the health ministry", "the health ministry"),
    ("Kremlin-backed officials", "Kremlin-backed officials"),
    ("Syrian Observatory for Human Rights", "Syrian Observatory for Human Rights"),
])
def test_phrases_read_as_inside_a_sentence(written, quoted):
    assert in_sentence(written) == quoted


def test_summary_quotes_the_source_and_the_record_keeps_it():
    claim = CasualtyClaim(category="killed", count=Count(20, None, "exact", "20"), sentence="s", span=(0, 1),
                          victims="people", location=Location("Homs", "SYR"), reported_by="A rights group")
    (match,) = match_claim(load_rules(), claim)
    assert match.summary == "20 people killed in Homs (SYR), according to a rights group"
    assert claim.reported_by == "A rights group"


def _event(target):
    return DiplomaticEvent(type="ACCUSE", cameo="112", actor=Party("Russia", country="RUS", role="GOV"),
                           sentence="s", span=(0, 1), target=target, trigger="criticized")


def test_default_rules_page_only_on_events_with_a_resolved_target():
    rules = load_rules()
    assert match_event(rules, _event(None)) == []
    assert match_event(rules, _event(Party("the West"))) == []  # named, but resolved to no code
    assert [m.rule for m in match_event(rules, _event(Party("NATO", org="NAT")))] == ["condemnation-of-state"]


def test_a_rule_can_page_on_events_without_a_target():
    rules = parse_rules("diplomatic:\n  - name: any-accusation\n    severity: info\n    types: [ACCUSE]\n"
                        "    require_target: false\n")
    assert [m.rule for m in match_event(rules, _event(None))] == ["any-accusation"]
    strict = parse_rules("diplomatic:\n  - name: a\n    severity: info\n    types: [ACCUSE]\n")
    assert match_event(strict, _event(None)) == []
