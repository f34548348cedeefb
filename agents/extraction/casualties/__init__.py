"""Casualty claims: statements that a stated number of people suffered one harm.

`extract_claims(doc, ctx)` finds every figure in the parsed article, decides from
the dependency parse whether it counts people harmed, and in which of the seven
categories of the extraction contract; then it reads the figure's qualifier,
victims, reporter, perpetrator, modality, period and place.

How a figure becomes a claim:

1. A *figure* is a run of number tokens with its qualifier ("more than 40,000",
   "between 200 and 300", "two dozen", "tens of thousands"), normalised by
   `numbers.parse_count`. Figures that are ages, dates, times, money, percentages,
   distances or ordinals are dropped here (named entities and neighbouring
   words decide).
2. The figure is linked to the noun it counts (`nummod`, "dozens of people",
   "one of the soldiers"); that noun, or the figure itself when it stands alone
   ("killing 23", "16 killed"), is the *argument*.
3. The argument is linked to a harm cue through the parse: object or passive
   subject of a harm verb, subject of "die"/"flee their homes", modified by a
   harm participle ("people killed"), predicate ("20 were dead/missing",
   "were among the dead"), "the deaths of N", "a death toll of N", "the toll
   rose to N", "claimed N lives". Cue words are data (`casualty_cues`).
4. When the parse gives no link, a narrow surface pattern ("N <victims> were
   killed", "killing N") still yields a claim, with lower confidence.

5. A sub-count takes the harm of the group it is part of ("12 people, six of them
   children", "Of the 36 killed, 20 were soldiers", "killed, including four
   children").

Counts of things and animals, negated harms ("none of the 120 passengers"),
"killed or wounded" (two harms at once), perpetrators' counts ("two bombers
killed 23") and superseded tolls ("rose to 120 from 80": 80; "initially reported
12 deaths" when the article later gives a higher toll; "the previous figure was
2,445 dead" when the article gives the revised one, higher or lower) are not
claims. Ages after a name ("Rashid Ahmed, 35, who was injured"), the size of a
population a share of which is harmed ("85% of the territory's 2.3 million
people") and a date run into a dateline's first number ("March 3 - Nineteen
people were killed") are not figures of harm either. The same `(category, figure)` stated
twice in one article is one claim: the most informative statement is kept.

Modality: a figure inside the scope of a denial ("denied that ...", "rejected the
figure") is `denied`; inside the scope of a dispute word it is `disputed`; a
harm under a modal ("could kill", "may have died"), a condition ("if") or an
intent ("threatened to kill") is `hypothetical`. A figure that "could not be
independently verified" stays `asserted`: news agencies add that caveat to
nearly every conflict toll they relay, and the party reporting it still asserts
it.

The rules live in one module per concern:

* `cues`: the validated lexicons (`casualty_cues`, `casualty_nouns`, `casualty_context`);
* `figures`: figures and the traps that are not head counts;
* `linking`: a figure's counted noun, argument and harm cue;
* `subcounts`: sub-counts and population sizes;
* `attributes`: victims, reporter, perpetrator, modality, superseded tolls;
* `places`: the claim's place; `when`: its period;
* `dedupe`: one claim per (category, figure, group); `claims`: the assembly.
"""
from __future__ import annotations

from .claims import extract_claims
from .cues import ClaimContext, Cues, VictimNouns

__all__ = ["extract_claims", "Cues", "VictimNouns", "ClaimContext"]
