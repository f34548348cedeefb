"""Sub-counts: figures that take the harm of a group named before them ("12 people, six
of them children", "among them 20 children", "one was Japanese"), and figures that
count a population, not the harmed.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import harm_words
from ..model import Location
from .cues import ClaimContext, Cues, lemma_of
from .figures import Figure
from .linking import is_person, link
from .places import place_of_text
from ..tokens import tokens_of

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token


#: Words that open a sub-count after a toll: "killing 100, among them 20 children",
#: "..., including 127 children" (when the parser hangs "including" elsewhere).
_SUBCOUNT_OPENERS = (("including",), ("among", "them"), ("among", "whom"), ("of", "whom"),
                     ("among", "those"))


def listed_subcount(fig: Figure, doc: "Doc", sent: "Span",
                     prior: list[tuple[int, str, "Token"]]) -> tuple[str, "Token", float] | None:
    """A figure listed right after a sub-count opener, or coordinated with one that is
    ("among them 20 children and nine aid workers"), is part of the sentence's last toll."""
    if not prior:
        return None
    k = fig.start - 1
    while k >= sent.start and (doc[k].pos_ in ("CCONJ", "PUNCT") or doc[k].like_num
                               or doc[k].pos_ in ("NOUN", "ADJ")) and fig.start - k <= 8:
        words = tuple(t.lower_ for t in doc[max(sent.start, k - 1):k + 1])
        if any(words[-len(o):] == o for o in _SUBCOUNT_OPENERS):
            break
        k -= 1
    words = tuple(t.lower_ for t in doc[max(sent.start, k - 1):k + 1])
    if k < sent.start or not any(words[-len(o):] == o for o in _SUBCOUNT_OPENERS):
        return None
    start, category, cue = prior[-1]
    if start >= fig.start:
        return None
    return category, cue, 0.6


_PARTITIVE_PRONOUNS = frozenset({"them", "whom", "those", "these"})


def partitive(fig: Figure, arg: "Token", doc: "Doc", cues: Cues, ctxw: ClaimContext,
               prior: list[tuple[int, str, "Token"]]) -> tuple[str, "Token", float] | None:
    """A sub-count of a group named just before: "12 people, six of them children",
    "40 were injured, 10 of them seriously", "Of the 36 killed, 20 were soldiers"."""
    heads = [doc[k] for k in fig.numbers] + [arg]
    if arg.dep_ == "nsubj" and lemma_of(arg.head) in ("be", "include"):
        heads.append(arg.head)
    elif arg.dep_ in ("nsubj", "nsubjpass") and any(
            c.dep_ == "prep" and c.lower_ == "of" and c.i < fig.start for c in arg.head.children):
        heads.append(arg.head)  # "Of the deaths, 17,388 were reported in Kashmir"
    for tok in heads:
        for c in tok.children:
            if c.dep_ != "prep" or c.lower_ not in ("of", "among"):
                continue
            for p in c.children:
                if p.dep_ != "pobj":
                    continue
                if p.lower_ in _PARTITIVE_PRONOUNS:
                    earlier = [item for item in prior if item[0] < fig.start]
                    if describes_condition(fig, doc):
                        # "four of them in a critical condition": only the injured
                        # have a condition.
                        earlier = [item for item in earlier if item[1] == "injured"]
                    if earlier:
                        return earlier[-1][1], earlier[-1][2], 0.7
                elif c.i < fig.start and c.lower_ == "of":
                    found = link(p, cues, ctxw)
                    if found:
                        return found[0], found[1], found[2] - 0.1
    return None


#: Words for a share of a group: "85% of the 2.3 million people" counts the group,
#: not the harmed.
_SHARE_WORDS = frozenset({"%", "percent", "per", "pc", "half", "third", "thirds", "quarter",
                          "quarters", "fifth", "fifths", "majority", "most", "proportion",
                          "share", "fraction", "percentage", "all", "much", "bulk"})


def population_share(tok: "Token", fig: Figure, doc: "Doc") -> bool:
    """True if the figure is the size of a population a share of which is harmed:
    "85% of the territory's 2.3 million people have been displaced", "half of the
    country's 48 million people"."""
    while tok.dep_ in ("compound", "nummod", "quantmod") and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ == "pobj" and tok.head.lower_ == "of":
        share = tok.head.head
    else:
        # A loose parse: read "<share> of the territory's 2.3 million" off the surface.
        k = fig.start - 1
        while k > 0 and (doc[k].lower_ in ("the", "its", "their", "'s", "\u2019s") or (
                doc[k].pos_ in ("PROPN", "NOUN") and doc[k + 1].lower_ in ("'s", "\u2019s"))):
            k -= 1
        if k < 1 or doc[k].lower_ != "of":
            return False
        share = doc[k - 1]
    return share.lower_ in _SHARE_WORDS or share.ent_type_ == "PERCENT"


def among_victims(arg: "Token", last_category: str | None) -> tuple[str, "Token", float] | None:
    """A sub-count of "the victims" ("Among the victims were three soldiers", "two
    Britons were among the casualties"). "Victims" names no harm itself, so the
    sub-count takes the harm of the article's latest claim, killed or injured;
    with no earlier claim, victims of an attack are counted as its dead."""
    while arg.dep_ == "conj" and arg.head.i < arg.i:
        arg = arg.head  # "Among them were five children and two women": the list's first
    if arg.dep_ not in ("attr", "nsubj") or lemma_of(arg.head) != "be":
        return None
    verbs = [arg.head]
    if arg.head.dep_ == "conj" and lemma_of(arg.head.head) == "be":
        # "among whom 12 were students and 4 were teachers": the second clause shares
        # the first one's "among"
        verbs.append(arg.head.head)
    for c in (c for v in verbs for c in v.children):
        if c.dep_ == "prep" and c.lower_ == "among":
            for p in c.children:
                if p.dep_ == "pobj" and lemma_of(p) in harm_words.load().victim_groups:
                    category = last_category if last_category in ("killed", "injured") \
                        else "killed"
                    return category, p, 0.7
                if p.dep_ == "pobj" and p.lower_ in ("them", "those", "whom") and last_category:
                    # "Twelve people were wounded. Among them were five children": the
                    # people the latest claim counted, with its harm
                    return last_category, p, 0.65
    return None


_CONDITION_WORDS = frozenset({"critical", "critically", "serious", "seriously", "condition",
                              "stable", "badly", "gravely", "severely", "severe",
                              "life-threatening", "grave"})


def describes_condition(fig: Figure, doc: "Doc") -> bool:
    """True if the words after a sub-count give a medical condition ("four of them
    in a critical condition", "ten of them seriously")."""
    k = fig.end
    if k + 1 < len(doc) and doc[k].lower_ == "of" and doc[k + 1].lower_ in _PARTITIVE_PRONOUNS:
        k += 2
    elif k >= len(doc) or doc[k].lower_ not in _CONDITION_WORDS:
        return False
    for k in range(k, min(k + 6, len(doc))):
        if doc[k].text in (",", ";", ".") or doc[k].is_sent_start:
            break
        if doc[k].lower_ in _CONDITION_WORDS:
            return True
    return False


def identity_subcount(fig: Figure, arg: "Token", sent: "Span",
                       prior: list[tuple[int, str, "Token"]],
                       last_category: str | None) -> tuple[str, "Token", float] | None:
    """A sub-count that says who some of the harmed were: "Fourteen tourists died
    in the crash; one was Japanese", "Three were killed. Two were Britons." The
    bare figure is the subject of "be" with a nationality (or a people noun) as
    predicate; it takes the harm of the group counted just before it, in the
    sentence or, for a sentence that opens with the figure, the previous claim."""
    if arg.i not in fig.numbers:
        return None
    doc = sent.doc
    if arg.dep_ == "nsubj" and lemma_of(arg.head) == "be":
        verb = arg.head
    elif arg.dep_ == "conj" and fig.end < sent.end and lemma_of(doc[fig.end]) == "be" and \
            doc[fig.end].dep_ == "conj":
        # "among whom 12 were students and 4 were teachers": the second figure parsed
        # as a conjunct of "students", before its own "were"
        verb = doc[fig.end]
    else:
        return None
    pred = next((c for c in verb.children if c.dep_ in ("acomp", "attr")), None)
    if pred is None or not (pred.ent_type_ == "NORP" or is_person(pred)):
        return None
    if any(c.dep_ == "neg" for c in verb.children):
        return None
    earlier = [item for item in prior if item[0] < fig.start]
    if earlier:
        return earlier[-1][1], earlier[-1][2], 0.65
    if last_category is not None and fig.start - sent.start <= 1:
        return last_category, arg.head, 0.6
    return None


def negated_group(victim: "Token | None", ctxw: ClaimContext) -> bool:
    """True for "none of the 120 passengers", "neither of the two"."""
    if victim is None or victim.dep_ != "pobj" or victim.head.lower_ != "of":
        return False
    group = victim.head.head
    return group.lower_ in ctxw.negators or group.lower_ in ("neither", "no-one")



#: Words that say how many of a group just counted died: "Five people were shot, two of
#: them fatally", "Two men were shot — one fatally".
_FATAL_ADVERBS = frozenset({"fatally"})


def fatal_subcount(fig: Figure, doc: "Doc",
                   prior: list[tuple[int, str, "Token"]]) -> tuple[str, "Token", float] | None:
    """A figure followed by "fatally" (after "of them"/"of whom" or alone) counts the
    dead among the injured counted just before it in the sentence: killed, as stated."""
    k = fig.end
    if k + 1 < len(doc) and doc[k].lower_ == "of" and doc[k + 1].lower_ in _PARTITIVE_PRONOUNS:
        k += 2
    if k >= len(doc) or doc[k].lower_ not in _FATAL_ADVERBS:
        return None
    injured = [item for item in prior if item[1] == "injured" and item[0] < fig.start]
    if not injured:
        return None
    return "killed", injured[-1][2], 0.7


#: Tokens that separate the items of a list after a colon ("...: Syria, 38,800; and Chad, 12").
_ITEM_BREAKS = frozenset({":", ";"})


def _cue_before(doc: "Doc", start: int, end: int, cues: Cues) -> "Token | None":
    """The last harm word in `doc[start:end]`: a harm noun, state, people noun or verb."""
    for k in range(end - 1, start - 1, -1):
        tok = doc[k]
        for key in (lemma_of(tok), tok.lower_):
            if any(cues.category_of(kind, key) for kind in (
                    "nouns", "states", "people_nouns", "intransitive", "verbs", "of_nouns")):
                return tok
    return None


def _category_of_cue(tok: "Token", cues: Cues) -> str | None:
    for key in (lemma_of(tok), tok.lower_):
        for kind in ("nouns", "states", "people_nouns", "intransitive", "verbs", "of_nouns"):
            name = cues.category_of(kind, key)
            if name:
                return name
    return None


def place_list_item(fig: Figure, doc: "Doc", sent: "Span", cues: Cues,
                    prior: list[tuple[int, str, "Token"]]
                    ) -> tuple[str, "Token", float, Location] | None:
    """A figure in a list of places after a colon: "most new refugees came from five
    countries: Central African Republic, 71,800; South Sudan, 61,700; and Syria, 38,800".
    Each item is a claim of the harm named before the colon (the sentence's last claim
    before it, else its last harm word), placed in the item's place. The item is the place,
    a comma and the figure alone, closed by ";", "and" or the sentence's end."""
    colon = next((t.i for t in tokens_of(sent) if t.text == ":" and t.i < fig.start), None)
    if colon is None or fig.start - 2 <= colon:
        return None
    if doc[fig.start - 1].text != ",":
        return None
    after = fig.end
    if after < sent.end and not (doc[after].text in (";", ".") or doc[after].is_sent_end
                                 or (doc[after].text == "," and after + 1 < sent.end
                                     and doc[after + 1].lower_ == "and")):
        return None
    k = fig.start - 2
    while k > colon and (doc[k].pos_ == "PROPN" or doc[k].lower_ in ("of", "the", "and")
                         and doc[k - 1].text not in _ITEM_BREAKS):
        k -= 1
    opener = doc[k]
    if opener.lower_ == "and" and doc[k - 1].text in _ITEM_BREAKS | {","}:
        opener = doc[k - 1]
    elif opener.text not in _ITEM_BREAKS:
        return None
    name = doc[k + 1:fig.start - 1]
    if len(name) == 0 or name[0].pos_ != "PROPN":
        return None
    place = place_of_text(name.text)
    if place is None:
        return None
    before = [item for item in prior if item[0] < colon]
    if before:
        return before[-1][1], before[-1][2], 0.6, place
    cue = _cue_before(doc, sent.start, colon, cues)
    if cue is None:
        return None
    category = _category_of_cue(cue, cues)
    return (category, cue, 0.6, place) if category else None


#: Words that may open the second figure of a gapped clause ("and another 12 in the south").
_GAP_OPENERS = frozenset({"another", "a", "further", "more", "some", "about", "around",
                          "nearly", "over", "least", "at"})


#: Prepositions that give the second figure of a gapped clause its place, time or cause.
_GAP_PREPS = frozenset({"in", "on", "at", "by", "during", "across", "near", "from", "since",
                        "over", "along", "inside", "outside", "around"})


def gapped_figure(fig: Figure, arg: "Token", doc: "Doc", sent: "Span",
                  prior: list[tuple[int, str, "Token"]]
                  ) -> tuple[str, "Token", float, Location | None] | None:
    """The second figure of a clause whose verb is left out: "1.2 million people were
    displaced by conflict and 400,000 by climate change", "2 million were displaced in Sudan,
    1.5 million in Congo and 800,000 in Somalia", "30 died in the north and another 12 in
    the south", "five soldiers died in the truck bombing and two officers in the shoot-out".
    A figure after "and" or a comma, bare or with its own people noun, followed by a
    preposition, with no verb between it and the sentence's last claim nor in its own clause
    ("and 3,000 in the area lost power"), takes that claim's harm, and the place its own
    phrase names. A noun that counts no people ("and two vehicles in the blast") is none."""
    if not prior or arg.dep_ in ("nsubj", "nsubjpass", "dobj"):
        return None
    if arg.i in fig.numbers:
        end = fig.end
    elif arg.i == fig.end and is_person(arg) and arg.dep_ == "conj":
        end = arg.i + 1  # "and two officers in the shoot-out"
    else:
        return None
    start, category, cue = prior[-1]
    if start >= fig.start or end >= sent.end:
        return None
    if doc[end].lower_ not in _GAP_PREPS:
        return None  # "and thousands without power" is no harm
    k = fig.start - 1
    while k > start and doc[k].lower_ in _GAP_OPENERS:
        k -= 1
    if doc[k].lower_ not in ("and", ",", ";"):
        return None
    if any(t.pos_ in ("VERB", "AUX") and t.i != cue.i and t.dep_ not in ("aux", "auxpass")
           for t in doc[start:fig.start]):
        return None
    place = None
    for t in doc[end:sent.end]:
        if t.text in (",", ";") or t.lower_ in ("and", "but"):
            break
        if t.pos_ in ("VERB", "AUX") and not (
                t.dep_ in ("relcl", "acl") and t.head.pos_ in ("NOUN", "PROPN")
                and t.head.i < t.i):
            return None  # a relative clause ("the shoot-out that ensued") is no verb of its own
        if place is None and t.dep_ == "pobj" and t.pos_ == "PROPN" and t.head.i == end:
            place = place_of_text(doc[t.left_edge.i:t.i + 1].text)
    return category, cue, 0.6, place


#: Words for a share of a group: "half of them", "two-thirds of the total".
_SHARE_WORDS = frozenset({"half", "third", "thirds", "two-thirds", "quarter", "quarters",
                          "three-quarters", "fifth", "fifths", "majority", "most", "percent",
                          "%", "bulk"})


#: What a share refers back to: the people the article has just counted.
_REFERENTS = frozenset({"them", "those", "these", "whom", "total"})


def restated_share(fig: Figure, doc: "Doc", sent: "Span",
                   last_category: str | None) -> tuple[str, "Token", float] | None:
    """A share of the people counted before, restated as a figure: "Half of them, or 2.4
    million", "over two-thirds of the total, or around 30 million people". "Them" and
    "the total" are the article's latest claim, so the figure takes its harm; a share of a
    group the clause names itself ("half of the 4.8 million residents, or 2.4 million
    people") is a population, and with no claim before there is nothing to refer to."""
    if last_category is None:
        return None
    k = fig.start
    if k - 2 < sent.start or doc[k - 1].lower_ != "or" or doc[k - 2].text != ",":
        return None
    after = doc[fig.end] if fig.end < sent.end else None
    if after is not None and after.pos_ in ("NOUN", "PROPN") and not is_person(after):
        return None  # "or around 30 million dollars"
    j = k - 3
    while j >= sent.start and doc[j].text not in (",", ";", ":") and k - j <= 10:
        tok = doc[j]
        if tok.lower_ == "of" and j > sent.start and (
                doc[j - 1].lower_ in _SHARE_WORDS or doc[j - 1].lower_.endswith("thirds")):
            nxt = j + 1
            if nxt < k and doc[nxt].lower_ == "the":
                nxt += 1
            if nxt < k and doc[nxt].lower_ in _REFERENTS and nxt + 1 == k - 2:
                return last_category, doc[nxt], 0.6
            return None
        j -= 1
    return None


def shared_figures(sent: "Span") -> list[tuple["Token", "Token | None"]]:
    """Words that give a second group the figure of the first: "Two people were killed
    and as many were injured", "killed three soldiers and wounded as many civilians",
    "the same number were hurt". Each is returned with the people noun it counts, if
    any. "as many as 50" is a ceiling of its own figure, not a shared one."""
    doc = sent.doc
    out = []
    for tok in tokens_of(sent):
        i = tok.i
        if tok.lower_ == "many" and i > sent.start and doc[i - 1].lower_ == "as" and not (
                i + 1 < sent.end and doc[i + 1].lower_ == "as"):
            noun = tok.head if tok.dep_ in ("amod", "nummod") and tok.head.pos_ == "NOUN" \
                and tok.head.i > i else None
            out.append((noun or tok, noun))
        elif tok.lower_ == "number" and i - 2 >= sent.start and doc[i - 1].lower_ == "same" \
                and doc[i - 2].lower_ == "the":
            of = next((p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                       for p in c.children if p.dep_ == "pobj"), None)
            out.append((tok, of))
    return out

