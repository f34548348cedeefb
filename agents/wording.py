"""Phrases from an article, put into a sentence of ours (alert summaries).

Records keep the text as written; a summary that quotes it mid-sentence should not
carry a capital that only marked the start of the article's sentence: "A rights
group said ..." is quoted as "according to a rights group", while "the United
Nations" and "Reuters" keep theirs. Without a dictionary, a capital is dropped only
from a word known to be common: a determiner or quantifier, a prefix such as
"Anti-", or a noun that usually names a group of reporting people.
"""
from __future__ import annotations

#: Words that open a noun phrase; never a name on their own.
DETERMINERS = frozenset((
    "a", "an", "the", "some", "several", "many", "most", "other", "both", "all", "two", "three",
    "four", "five", "dozens", "hundreds", "thousands", "unnamed", "unidentified", "anonymous",
))
#: Prefixes that make a common adjective of what follows ("Anti-regime", "Pro-government").
PREFIXES = ("anti-", "pro-", "non-", "ex-", "self-", "semi-")
#: Common nouns and adjectives that open a reporting source at the start of a sentence.
COMMON = frozenset((
    "activists", "residents", "witnesses", "officials", "official", "police", "medics", "doctors",
    "rescuers", "sources", "authorities", "survivors", "relatives", "villagers", "monitors",
    "observers", "rebels", "militants", "insurgents", "security", "health", "hospital", "medical",
    "military", "army", "government", "state", "local", "regional", "provincial", "district",
    "municipal", "city", "rights", "human", "humanitarian", "aid", "emergency", "opposition",
    "tribal", "community", "church", "religious", "independent", "eyewitnesses", "paramedics",
))
_LINKS = frozenset(("of", "for", "and", "the", "de", "on", "in"))


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and word[1:] == word[1:].lower()


def in_sentence(phrase: str) -> str:
    """`phrase` as it reads inside a sentence: the first word's capital dropped when it is a
    common word's ("Anti-regime activists" -> "anti-regime activists")."""
    words = phrase.split(" ")
    first = words[0]
    if not _capitalised(first):
        return phrase
    lower = first.lower()
    if lower in DETERMINERS:
        pass
    elif len(words) > 1 and words[1][:1].isupper() and words[1].lower() not in _LINKS:
        return phrase  # a name in title case: "Doctors Without Borders", "Health Ministry"
    elif not (lower in COMMON or (lower.startswith(PREFIXES) and lower.split("-", 1)[1][:1].isalpha())):
        return phrase
    return " ".join([lower, *words[1:]])
