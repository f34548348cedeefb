"""The attributes of a claim read from its sentence: victims, who reported the figure,
who did the harm, modality, and whether the figure is an earlier, superseded one.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..entities import doc_ents
from .cues import ClaimContext, Cues, lemma_of
from .figures import find_figures
from ..tokens import tokens_of

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token

    from ..model import CasualtyClaim


_TRIM_DEPS = frozenset({"relcl", "acl", "appos", "advcl", "punct", "cc", "parataxis"})


def _np_text(tok: "Token") -> str:
    """The noun phrase of `tok` without relative clauses, appositions or punctuation."""
    keep: list["Token"] = []

    def walk(t: "Token") -> None:
        keep.append(t)
        for c in t.children:
            if c.dep_ == "cc" and c.i > tok.i and any(
                    s.dep_ == "conj" and s.i > c.i for s in t.children):
                keep.append(c)  # "the UN resident coordinator and humanitarian coordinator"
                continue
            if c.dep_ in _TRIM_DEPS and c.i > tok.i:
                continue
            if c.dep_ == "punct":
                if c.i < tok.i and c.text in ("-", "'", "\u2019"):
                    keep.append(c)
                continue
            walk(c)

    walk(tok)
    keep.sort(key=lambda t: t.i)
    # Close gaps: take the contiguous run that contains the head.
    start = end = keep.index(tok)
    while start > 0 and keep[start - 1].i == keep[start].i - 1:
        start -= 1
    while end + 1 < len(keep) and keep[end + 1].i == keep[end].i + 1:
        end += 1
    doc = tok.doc
    span = doc[keep[start].i:keep[end].i + 1]
    return span.text.strip(" ,;:\"'\u201c\u201d")


def _resolve_pronoun(tok: "Token", sent: "Span") -> str | None:
    """The nearest earlier PERSON ("he", "she") or ORG/NORP ("it", "they") mention."""
    low = tok.lower_
    wanted = {"he": ("PERSON",), "she": ("PERSON",), "it": ("ORG", "GPE"),
              "they": ("ORG", "NORP", "GPE")}.get(low)
    if not wanted:
        return None
    best = None
    for ent in doc_ents(tok.doc):
        if ent.start >= sent.start:
            break
        if ent.label_ in wanted:
            best = ent.text
    return best


_DATELINE_DASHES = frozenset({"\u2014", "\u2013", "--"})


def _line_break_between(doc: "Doc", start: int, end: int) -> bool:
    return any("\n" in doc[k].text or "\n" in doc[k].whitespace_ for k in range(start, end))


def _after_dateline(subj: "Token", verb: "Token") -> str | None:
    """The speaker after a dateline the parser took for the subject: "UPLAND (CBSLA) —
    Authorities Sunday say ..." -> "Authorities" (the day is not part of the name)."""
    doc = subj.doc
    for k in range(subj.i + 1, verb.i):
        if doc[k].text in _DATELINE_DASHES or (doc[k].text == "-" and doc[k - 1].text == ")"):
            words = [t for t in doc[k + 1:verb.i] if t.ent_type_ not in ("DATE", "TIME")]
            if 0 < len(words) <= 5 and all(t.pos_ in _SOURCE_POS for t in words) and \
                    words[-1].i - words[0].i == len(words) - 1:
                return doc[words[0].i:words[-1].i + 1].text
            return None
    return None


def _subject_text(verb: "Token", sent: "Span", previous: str | None = None) -> str | None:
    """The speaker of a reporting verb: its nearest subject before it on the same line
    (a headline run into the lead gives the parser a second, false subject), past any
    dateline the parser joined to it. "It"/"they" ("..., it added") is the source the
    sentence before gave (`previous`), when it gave one: the story is still quoting it."""
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        verb = verb.head
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    on_line = [c for c in subjects if not (c.i < verb.i and _line_break_between(
        verb.doc, c.right_edge.i + 1, verb.i))]
    for c in sorted(on_line or subjects, key=lambda c: (c.i > verb.i, abs(c.i - verb.i))):
        if c.pos_ == "PRON":
            if previous and c.lower_ in ("it", "they"):
                return previous
            return _resolve_pronoun(c, sent)
        if c.i < verb.i:
            dated = _after_dateline(c, verb)
            if dated:
                return dated
        return _np_text(c) or None
    for c in verb.children:  # "... were reported by the ministry"
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return _np_text(p) or None
    return None


def _subject_token(verb: "Token") -> "Token | None":
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        verb = verb.head
    for c in verb.children:
        if c.dep_ == "nsubj":
            return c
    return None


_TRAILING_VERBS = frozenset({"say", "report", "tell", "add", "confirm", "announce", "estimate",
                             "write", "state", "claim"})


_REPORTER_POS = frozenset({"DET", "PROPN", "NOUN", "ADJ", "PUNCT", "ADP", "PART", "CCONJ",
                           "NUM", "VERB"})


#: Parts of speech of a headline's source after a colon ("...: military", ": health ministry").
_SOURCE_POS = frozenset({"DET", "PROPN", "NOUN", "ADJ", "PART"})


def _source_words(words: "Span") -> bool:
    return 0 < len(words) <= 5 and all(t.pos_ in _SOURCE_POS and not t.like_num
                                       for t in words) and any(
        t.pos_ in ("NOUN", "PROPN") for t in words)


def _colon_source(sent: "Span", fig_start: int,
                  fig_end: int) -> tuple[str | None, "Token | None"]:
    """A headline's source after a final colon or dash: "Turkish jets pound Islamic State
    targets in Syria, kill at least 20: military", "Strikes kill 25 in Gaza - ministry";
    or before an opening colon: "Police: 7 Shot, 1 Fatally", "Sheriff's office: 2 killed"
    (a place there, "Syria: 25 killed", is the story's label, not its source).
    One to five nominal words, none a number; a dateline or the story's first line after
    the headline ("...: Police (CHICAGO) -") ends them."""
    doc = sent.doc
    for k in range(sent.start, min(fig_start, sent.start + 6)):
        if doc[k].text == ":":
            words = doc[sent.start:k]
            # "Syria: 25 killed ... - SOHR": a place before the colon labels the story.
            if _source_words(words) and not all(t.ent_type_ in ("GPE", "LOC") for t in words):
                return words.text, doc[k]
            break
    end = sent.end
    for k in range(fig_end, sent.end):
        if doc[k].text == "(" or "\n" in doc[k].text or (
                k + 1 < sent.end and "\n" in doc[k].whitespace_):
            end = k + 1 if doc[k].text not in ("(",) and "\n" not in doc[k].text else k
            break
    while end > sent.start and doc[end - 1].is_punct and doc[end - 1].text not in (":", "-"):
        end -= 1
    for k in range(end - 1, fig_end - 1, -1):
        if doc[k].text in (":", "-", "\u2013", "\u2014"):
            words = doc[k + 1:end]
            if _source_words(words):
                return words.text, doc[k]
            return None, None
    return None, None


def _trailing_reporter(sent: "Span", fig_end: int) -> tuple[str | None, "Token | None"]:
    """The wire attribution tag after the figure: "..., the IOM said." / "..., sources
    close to the group said." Read from the surface, because the small parsers often
    attach such a tag to the wrong clause."""
    doc = sent.doc
    for verb in reversed(tokens_of(sent)):
        if verb.i <= fig_end or lemma_of(verb) not in _TRAILING_VERBS or \
                verb.tag_ not in ("VBD", "VBZ", "VBP"):
            continue
        k = verb.i - 1
        while k >= fig_end and doc[k].text not in (",", ";", "\u2014", "--"):
            k -= 1
        words = doc[k + 1:verb.i]
        if k < fig_end or not 0 < len(words) <= 8 or words[0].pos_ == "PRON" or any(
                t.pos_ not in _REPORTER_POS or (t.pos_ == "VERB" and t.tag_ != "VBN")
                for t in words):
            continue
        return words.text, verb
    return None, None


def reported_by_of(sent: "Span", cue: "Token", ctxw: ClaimContext, fig: "Figure | None" = None,
                   toll_cue: bool = False, previous: str | None = None) -> tuple[str | None, "Token | None"]:
    """Who the figure is attributed to, and the token that introduces them; a headline or
    dateline run into the name ("Sandy Hook\n\nPolice", "UPLAND (CBSLA) - Authorities")
    is cut off."""
    who, tok = _reported_by(sent, cue, ctxw, fig, toll_cue, previous)
    return _without_dateline(who), tok


def _without_dateline(who: str | None) -> str | None:
    if not who:
        return who
    lines = [line.strip() for line in who.split("\n") if line.strip()]
    text = lines[-1] if lines else who
    for dash in (" \u2014 ", " -- ", " \u2013 ", ") - ", ") \u2014 "):
        if dash in text:
            text = text.rsplit(dash, 1)[1]
    return text.strip(" ,;:") or None


#: Nouns of a count that "by" attributes: "by expert estimates", "by the UN's count".
_ESTIMATE_NOUNS = frozenset({"estimate", "count", "tally", "reckoning", "calculation"})


def _by_estimate(sent: "Span") -> tuple[str | None, "Token | None"]:
    """The source in "by expert estimates", "by UN estimates", "by the ministry's count":
    the estimate with what names its maker. "By some estimates" names nobody."""
    for tok in tokens_of(sent):
        if tok.lower_ != "by" or tok.dep_ == "agent":
            continue
        for p in tok.children:
            if p.dep_ == "pobj" and lemma_of(p) in _ESTIMATE_NOUNS and any(
                    c.dep_ in ("amod", "compound", "poss", "nmod") and c.i < p.i
                    and c.pos_ in ("ADJ", "NOUN", "PROPN") for c in p.children):
                return _np_text(p), tok
    return None, None


def _according_to(sent: "Span") -> tuple[str | None, "Token | None"]:
    for tok in tokens_of(sent):
        if tok.lower_ == "according":
            for c in tok.children:
                if c.lower_ == "to":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            return _np_text(p), tok
            nxt = tok.nbor(1) if tok.i + 1 < sent.end else None
            if nxt is not None and nxt.lower_ == "to":
                for p in nxt.children:
                    if p.dep_ == "pobj":
                        return _np_text(p), tok
    return None, None


def _attributed(sent: "Span") -> tuple[str | None, "Token | None"]:
    """A source the sentence names for what it says as a whole: "according to X",
    "by expert estimates"."""
    who, tok = _by_estimate(sent)
    if who:
        return who, tok
    return _according_to(sent)


def sentence_source(sent: "Span") -> str | None:
    """The source a sentence with no figure of its own names for its account of the
    incident ("One airstrike flattened a building, according to the hospital"): the next
    sentence's figure, given with no source, is the same account (`carried_reporters`)."""
    return _without_dateline(_attributed(sent)[0])


def carried_reporters(claims: "list[CasualtyClaim]",
                      previous: dict[int, str]) -> "list[CasualtyClaim]":
    """A figure whose sentence names no source takes the source of the sentence just
    before it (`previous`, by sentence start): "..., according to the Aqsa Martyrs
    Hospital. At least nine people were killed." The article attributes the figure to
    the hospital. Only one sentence back, and never for a recalled (background) figure:
    a source further off, or for an earlier incident, is not this figure's."""
    out = []
    for c in claims:
        if c.reported_by is None and not c.background and previous.get(c.span[0]):
            c = replace(c, reported_by=previous[c.span[0]])
        out.append(c)
    return out


def _named(tok: "Token") -> bool:
    return tok.pos_ == "PROPN" or tok.ent_type_ in ("ORG", "GPE", "PERSON", "NORP")


def report_author(sent: "Span", ctxw: ClaimContext) -> str | None:
    """The named party the sentence has publish a report or its estimates ("IDMC is
    publishing its estimates and analysis ... in a single report", "UNHCR released its
    annual report", "a report released by Amnesty"): the author of the figures the
    article gives after it with no source of their own (`authored_reporters`). A pronoun
    or an unnamed maker ("the new publication presents ...") is no author."""
    for tok in tokens_of(sent):
        if tok.pos_ != "VERB" or lemma_of(tok) not in ctxw.publishing_verbs:
            continue
        if tok.dep_ == "acl" and lemma_of(tok.head) in ctxw.report_nouns:
            for c in tok.children:  # "a report released by Amnesty"
                if c.dep_ == "agent":
                    for p in c.children:
                        if p.dep_ == "pobj" and _named(p):
                            return _without_dateline(_np_text(p))
            continue
        things = [c for c in tok.children if c.dep_ in ("dobj", "obj")]
        things += [g for o in things for g in o.children if g.dep_ == "conj"]
        things += [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "in"
                   for p in c.children if p.dep_ == "pobj"]
        if not any(lemma_of(t) in ctxw.report_nouns for t in things):
            continue
        subj = _subject_token(tok)
        if subj is not None and _named(subj) and subj.pos_ != "PRON":
            return _without_dateline(_np_text(subj))
    return None


def authored_reporters(claims: "list[CasualtyClaim]",
                       author: tuple[int, str] | None) -> "list[CasualtyClaim]":
    """A figure with no source of its own that the article gives after naming the author
    of the report it relays (`report_author`; `author` is the sentence's start and the
    name) is the author's: "IDMC is publishing its estimates ... During 2015, there were
    27.8 million new displacements". Figures before that sentence, and recalled
    (background) figures, are not the report's."""
    if author is None:
        return claims
    start, name = author
    return [replace(c, reported_by=name)
            if c.reported_by is None and not c.background and c.span[0] > start else c
            for c in claims]


def restatement_source(sent: "Span", key: int | None, ctxw: ClaimContext) -> str | None:
    """The source a sentence gives for its figure `key`, when it restates that figure
    ("... 270,000 Rohingya has sought refuge in Bangladesh ..., the UN refugee agency
    said"), whether or not its own words make a claim of it."""
    if key is None:
        return None
    for fig in find_figures(sent):
        if fig.count.key != key:
            continue
        who = _attributed(sent)[0] or _trailing_reporter(sent, fig.end)[0]
        if who is None:
            root = sent.root
            if lemma_of(root) in ctxw.reporting_verbs and root.pos_ in ("VERB", "AUX") and \
                    fig.start > root.i:
                who = _subject_text(root, sent)
        return _without_dateline(who)
    return None


#: Sentences after the headline in which its figure's restatement is looked for.
RESTATING_SENTENCES = 2


def headline_sources(claims: "list[CasualtyClaim]", doc: "Doc",
                     ctxw: ClaimContext) -> "list[CasualtyClaim]":
    """A headline's figure with no source ("Over 270,000 Rohingya have fled Myanmar in two
    weeks") takes the source of the lead sentence that restates it ("An unprecedented
    surge of 270,000 Rohingya has sought refuge ..., the UN refugee agency said"): the
    headline sums up the lead. Only the article's first sentence (a headline is read
    apart from the lead), only the next `RESTATING_SENTENCES`, and only the same number."""
    sents = []
    for sent in doc.sents:
        sents.append(sent)
        if len(sents) > RESTATING_SENTENCES:
            break
    if len(sents) < 2:
        return claims
    head = sents[0]
    out = []
    for c in claims:
        if c.reported_by is None and not c.background and c.span[0] == head.start_char:
            for sent in sents[1:]:
                who = restatement_source(sent, c.count.key, ctxw)
                if who:
                    c = replace(c, reported_by=who)
                    break
        out.append(c)
    return out


def sentence_speaker(sent: "Span", ctxw: ClaimContext) -> tuple[str, str] | None:
    """Who the sentence says reported it, and the verb's lemma: "..., FOX 13 Seattle
    reported." -> ("FOX 13 Seattle", "report"); "according to X" -> (X, "according")."""
    who, tok = _attributed(sent)
    if who:
        return _without_dateline(who) or who, "according"
    who, verb = _trailing_reporter(sent, sent.start)
    if who and verb is not None:
        return _without_dateline(who) or who, lemma_of(verb)
    return None


#: Verbs by which a news outlet gives a story (an official "says"; an outlet "reports").
_MEDIA_VERBS = frozenset({"report", "write", "publish", "broadcast", "air"})


def described_outlets(claims: "list[CasualtyClaim]",
                      speakers: list[tuple[int, str, str]],
                      ctxw: ClaimContext) -> "list[CasualtyClaim]":
    """A source the story names only as an outlet ("according to the news outlet") is the
    outlet it last cited as reporting before that sentence ("..., FOX 13 Seattle
    reported"; `speakers` lists each sentence's start, speaker and verb). A description
    of another kind of party ("the ministry") names it as the story does, and stays."""
    out = []
    for c in claims:
        words = (c.reported_by or "").split()
        if len(words) >= 2 and words[0].lower() == "the" and len(words) <= 4 and \
                words[-1].lower() in ctxw.media_nouns and all(w.islower() for w in words[1:]):
            named = [who for start, who, verb in speakers if start < c.span[0]
                     and verb in _MEDIA_VERBS and who[:1].isupper() and not who.startswith("The ")]
            if named:
                c = replace(c, reported_by=named[-1])
        out.append(c)
    return out


_OPENING_QUOTES = frozenset({'"', "\u201c"})
_CLOSING_QUOTES = frozenset({'"', "\u201d"})


def _quotation(sent: "Span", at: int) -> tuple[int, int] | None:
    """The token positions of the quotation marks around token `at`, when a quotation
    in the sentence holds it and closes in the sentence; else None."""
    doc = sent.doc
    opened: int | None = None
    for k in range(sent.start, sent.end):
        text = doc[k].text
        if opened is None and text in _OPENING_QUOTES:
            opened = k
        elif opened is not None and text in _CLOSING_QUOTES:
            if opened < at < k:
                return opened, k
            opened = None
    return None


def _reported_by(sent: "Span", cue: "Token", ctxw: ClaimContext, fig: "Figure | None" = None,
                 toll_cue: bool = False,
                 previous: str | None = None) -> tuple[str | None, "Token | None"]:
    who, tok = _attributed(sent)
    if who:
        return who, tok
    ancestors = list(cue.ancestors)
    chain = {cue.i, *(a.i for a in ancestors)}
    candidates = [t for t in tokens_of(sent) if lemma_of(t) in ctxw.reporting_verbs and t.pos_ in (
        "VERB", "AUX") and t.i != cue.i and t.i != cue.head.i or (
        t.i == cue.head.i and (cue.pos_ in ("VERB", "AUX", "ADJ") or toll_cue)
        and lemma_of(t) in ctxw.reporting_verbs)]
    # "the fire claimed 43 lives": a harm idiom, not a report.
    candidates = [t for t in candidates
                  if not any(c.dep_ in ("dobj", "obj") and lemma_of(c) == "life" for c in t.children)]
    quote = _quotation(sent, fig.start) if fig is not None else None
    ranked = sorted(candidates, key=lambda t: (
        int(quote is not None and quote[0] < t.i < quote[1]),
        0 if t.i in chain else 1 if t.head.i in chain else 2, abs(t.i - cue.i)))
    for verb in ranked:
        subj = _subject_token(verb)
        if subj is not None and ((subj.pos_ != "PROPN" and lemma_of(subj) in ctxw.harm_events) or (
                fig is not None and subj.left_edge.i <= fig.start <= subj.right_edge.i)):
            continue  # "the fire put ...", or the victims parsed as the speaker
        who = _subject_text(verb, sent, previous)
        if who:
            return who, verb
    if fig is not None:
        who, tok = _trailing_reporter(sent, fig.end)
        if who is None:
            who, tok = _colon_source(sent, fig.start, fig.end)
        return who, tok
    return None, None


def ordering_party(cue: "Token", arg: "Token", ctxw: ClaimContext) -> str | None:
    """Who ordered the people out ("State and local officials have ordered about 1.5
    million people to evacuate"): with no other source, the party that directs an
    evacuation is who gives its figure. The order's subject must be a party, not the
    hazard ("the fire forced 2,000 to evacuate" has no ordering verb)."""
    verb = cue if lemma_of(cue) in ctxw.ordering_verbs else cue.head \
        if cue.dep_ == "xcomp" and lemma_of(cue.head) in ctxw.ordering_verbs else None
    if verb is None or not any(c.i == arg.i or c.i == arg.head.i for c in verb.children
                               if c.dep_ in ("dobj", "obj")):
        return None
    subj = _subject_token(verb)
    if subj is None or subj.pos_ == "PRON" or lemma_of(subj) in ctxw.harm_events:
        return None
    return _without_dateline(_np_text(subj)) or None


def witnessing_party(arg: "Token", ctxw: ClaimContext) -> str | None:
    """Who came upon the harmed or the harm ("Upon arrival, deputies located five people
    who had been shot", "JPD is investigating a double shooting that left one dead"):
    with no other source, the party that found the victims or investigates the incident
    is who gives the figure. The figure must sit in the verb's object, not its subject
    ("a shooting that police are investigating killed two" names no finder of the two)."""
    tok = arg
    for _ in range(6):
        if tok.head.i == tok.i:
            return None
        child, tok = tok, tok.head
        if tok.pos_ == "VERB" and lemma_of(tok) in ctxw.witness_verbs:
            if child.dep_ not in ("dobj", "obj", "ccomp"):
                return None
            subj = _subject_token(tok)
            if subj is None or subj.pos_ == "PRON" or lemma_of(subj) in ctxw.harm_events:
                return None
            return _without_dateline(_np_text(subj)) or None
    return None


def perpetrator_of(cue: "Token", arg: "Token", ctxw: ClaimContext) -> str | None:
    """Who did the harm, where the clause says so ("killed by X", "X killed N")."""
    def usable(tok: "Token") -> bool:
        return (tok.pos_ in ("NOUN", "PROPN") and lemma_of(tok) not in ctxw.harm_events
                and tok.i != arg.i and not any(lemma_of(c) in ctxw.harm_events
                                               for c in tok.children if c.dep_ == "compound"))

    for c in cue.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj" and usable(p):
                    return _np_text(p)
    if cue.pos_ == "VERB" and not any(c.dep_ == "auxpass" for c in cue.children):
        for c in cue.children:
            if c.dep_ == "nsubj" and usable(c):
                return _np_text(c)
        # "Rebels shelled the city, killing 20": the main clause's actor.
        if cue.dep_ in ("advcl", "conj", "xcomp") and cue.tag_ in ("VBG", "VBD", "VB"):
            head = cue.head
            for c in head.children:
                if c.dep_ == "nsubj" and usable(c):
                    return _np_text(c)
                if c.dep_ == "agent":
                    for p in c.children:
                        if p.dep_ == "pobj" and usable(p):
                            return _np_text(p)
    return None


def _in_scope(word: "Token", target: "Token") -> bool:
    """True if `word` governs `target` or hangs off the path above it; a clause
    coordinated with `word` is outside ("denied that any were killed and said 40 had
    died")."""
    excluded: set[int] = set()
    for c in word.children:
        if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"):
            excluded.update(t.i for t in c.subtree)
    if target.i in excluded:
        return False
    for a in target.ancestors:
        if a.i == word.i:
            break
        if a.dep_ == "conj" and a.pos_ == "VERB" and a.lemma_.lower() in _TRAILING_VERBS:
            return False  # "... and said 40 had died": a fresh statement
    path = {target.i, *(a.i for a in target.ancestors)}
    return word.i in path or (word.head.i in path and word.dep_ not in ("prep", "pobj")) \
        or target.i in {t.i for t in word.subtree}


_FIGURE_NOUNS = frozenset({"figure", "claim", "number", "toll", "count", "tally", "estimate",
                           "report"})


def modality_of(sent: "Span", cue: "Token", arg: "Token", ctxw: ClaimContext) -> str:
    """asserted, denied, disputed or hypothetical (see the module docstring)."""
    for c in cue.children:
        if c.dep_ == "aux" and lemma_of(c) in ctxw.hypothetical_aux:
            return "hypothetical"
        if c.dep_ == "aux" and c.tag_ == "TO" and lemma_of(cue.head) in ctxw.intent_verbs:
            return "hypothetical"
    for anc in [cue, *cue.ancestors]:
        for c in anc.children:
            if c.dep_ == "mark" and c.lower_ in ctxw.conditional_marks:
                return "hypothetical"
        if anc.dep_ == "advcl" and any(c.lower_ == "if" for c in anc.children):
            return "hypothetical"
    for tok in tokens_of(sent):
        lemma = lemma_of(tok)
        if lemma in ctxw.denial or tok.lower_ in ctxw.denial:
            if _in_scope(tok, arg) or _in_scope(tok, cue):
                return "denied"
            if tok.dep_ in ("relcl", "acl") and lemma_of(tok.head) in _FIGURE_NOUNS:
                return "denied"  # "..., a figure the government rejects"
    for tok in tokens_of(sent):
        lemma = lemma_of(tok)
        if (lemma in ctxw.dispute or tok.lower_ in ctxw.dispute) and (
                _in_scope(tok, arg) or _in_scope(tok, cue) or (
                    tok.dep_ in ("relcl", "acl") and lemma_of(tok.head) in _FIGURE_NOUNS)):
            return "disputed"
    return "asserted"


_CALLING_VERBS = frozenset({"call", "describe", "consider", "brand", "label", "term"})


#: Nouns for the figures a party rejects or disputes: "dismissed the casualty figures".
_REJECTED_NOUNS = frozenset({"figure", "toll", "number", "tally", "count", "casualty", "estimate"})


def figures_rejected(sent: "Span", ctxw: ClaimContext) -> tuple[str, bool] | None:
    """("denied" or "disputed", plural) when the sentence has a party reject or question
    figures given before ("dismissed the casualty figures as propaganda", "called the
    casualty figures exaggerated", "rejected the figure"), with no figure of its own in
    the object. A habit ("routinely exaggerates the number of casualties") is no act."""
    for tok in tokens_of(sent):
        if tok.pos_ not in ("VERB", "AUX") or tok.tag_ in ("VBZ", "VBP"):
            continue
        called = tok.dep_ == "oprd" and lemma_of(tok.head) in _CALLING_VERBS
        deps = ("dobj", "nsubjpass", "nsubj") if called else ("dobj", "nsubjpass")
        objs = [o for o in tok.children if o.dep_ in deps
                and lemma_of(o) in _REJECTED_NOUNS and not any(w.like_num for w in o.subtree)]
        if not objs:
            continue
        if called and (lemma_of(tok) in ctxw.denial or lemma_of(tok) in ctxw.dispute):
            return "disputed", True  # "called the casualty figures exaggerated"
        plural = any(o.tag_ == "NNS" or any(c.tag_ == "NNS" for c in o.children) for o in objs) \
            or any(lemma_of(o) == "casualty" for o in objs)
        lemma = lemma_of(tok)
        rest = {lemma_of(w) for c in tok.children if c.dep_ not in ("nsubj", "dobj") for w in c.subtree}
        rest |= {w.lower_ for c in tok.children if c.dep_ not in ("nsubj", "dobj") for w in c.subtree}
        if lemma in ctxw.dispute or rest & ctxw.dispute:
            return "disputed", plural
        if lemma in _CALLING_VERBS and rest & ctxw.denial:
            return "disputed", plural  # "called the figures exaggerated": the size is questioned
        if lemma in ctxw.denial:
            return "denied", plural
    return None


def victims_text(victim: "Token | None", category: str, cues: Cues) -> str | None:
    """The counted noun as written; None when it is the harm itself ("20 deaths")."""
    if victim is None:
        return None
    lemma = lemma_of(victim)
    cat = cues.categories[category]
    if lemma in cat.nouns or lemma in cat.states or victim.lower_ in cat.states:
        return None
    if victim.pos_ == "PRON":
        return None
    return victim.text if victim.pos_ == "PROPN" or victim.ent_type_ else victim.text.lower()


#: `supersession` results: not superseded, an earlier report, an earlier toll.
CURRENT, EARLIER_REPORT, EARLIER_TOLL = 0, 1, 2


def supersession(cue: "Token", ctxw: ClaimContext) -> int:
    """Whether the figure is an earlier, replaced statement.

    EARLIER_TOLL when a figure noun says so ("an earlier toll of 45", "the previous
    figure was 2,445 dead"): the article replaces it, up or down. EARLIER_REPORT
    when only the verb does ("initially reported 12 deaths", "officials had put the
    toll at 45", "12 people were killed earlier"): that may as well be a separate,
    earlier event, so it gives way only to a higher figure of the same harm.
    """
    chain = [cue]
    while chain[-1].pos_ not in ("VERB", "AUX") and chain[-1].head.i != chain[-1].i \
            and len(chain) < 4:
        chain.append(chain[-1].head)  # up to the clause's own verb, not beyond
    found = CURRENT
    for tok in chain:
        for c in tok.children:
            if c.dep_ in ("advmod", "amod", "npadvmod") and c.lower_ in ctxw.earlier_markers:
                if tok.pos_ in ("NOUN", "PROPN") and lemma_of(tok) in _FIGURE_NOUNS:
                    return EARLIER_TOLL
                found = EARLIER_REPORT
            # "The previous figure ... was 2,445 dead"
            if tok.pos_ in ("VERB", "AUX") and c.dep_ in ("nsubj", "nsubjpass") and \
                    lemma_of(c) in _FIGURE_NOUNS and any(
                        g.dep_ in ("amod", "advmod") and g.lower_ in ctxw.earlier_markers
                        for g in c.children):
                return EARLIER_TOLL
        if tok.pos_ in ("VERB", "AUX") and (
                lemma_of(tok) in ctxw.reporting_verbs or lemma_of(tok) in ("put", "give")) and any(
                c.dep_ == "aux" and c.lower_ == "had" for c in tok.children):
            found = EARLIER_REPORT
    return found

