"""The generated corpora: wire-style articles, seeded, so every run sees the same ones.

`generate_article` writes a story with diplomatic and casualty paragraphs (every one
gives output records); no download is needed.
"""
from __future__ import annotations

import random
from typing import Any

# (name, adjective, capital, another city)
_COUNTRIES = (
    ("Russia", "Russian", "Moscow", "St Petersburg"), ("Syria", "Syrian", "Damascus", "Aleppo"),
    ("Egypt", "Egyptian", "Cairo", "Alexandria"), ("Turkey", "Turkish", "Ankara", "Istanbul"),
    ("Iran", "Iranian", "Tehran", "Isfahan"), ("Iraq", "Iraqi", "Baghdad", "Mosul"),
    ("France", "French", "Paris", "Marseille"), ("Germany", "German", "Berlin", "Munich"),
    ("China", "Chinese", "Beijing", "Shanghai"), ("Japan", "Japanese", "Tokyo", "Osaka"),
    ("India", "Indian", "New Delhi", "Mumbai"), ("Pakistan", "Pakistani", "Islamabad", "Karachi"),
    ("Nigeria", "Nigerian", "Abuja", "Lagos"), ("Kenya", "Kenyan", "Nairobi", "Mombasa"),
    ("Ethiopia", "Ethiopian", "Addis Ababa", "Gondar"), ("Sudan", "Sudanese", "Khartoum", "Omdurman"),
    ("Brazil", "Brazilian", "Brasilia", "Sao Paulo"), ("Mexico", "Mexican", "Mexico City", "Monterrey"),
    ("Colombia", "Colombian", "Bogota", "Medellin"), ("Ukraine", "Ukrainian", "Kyiv", "Kharkiv"),
    ("Poland", "Polish", "Warsaw", "Krakow"), ("Israel", "Israeli", "Jerusalem", "Haifa"),
    ("Jordan", "Jordanian", "Amman", "Zarqa"), ("Lebanon", "Lebanese", "Beirut", "Tripoli"),
    ("Afghanistan", "Afghan", "Kabul", "Kandahar"), ("Yemen", "Yemeni", "Sanaa", "Aden"),
    ("Somalia", "Somali", "Mogadishu", "Kismayo"), ("Mali", "Malian", "Bamako", "Gao"),
    ("Indonesia", "Indonesian", "Jakarta", "Surabaya"), ("Philippines", "Philippine", "Manila", "Davao"),
    ("Venezuela", "Venezuelan", "Caracas", "Maracaibo"), ("South Korea", "South Korean", "Seoul", "Busan"),
)
_ORGS = ("the United Nations", "the European Union", "the African Union", "NATO", "the Arab League",
         "the International Committee of the Red Cross", "the World Health Organization")
_FIRST = ("Sergei", "Ahmed", "Maria", "John", "Fatima", "Li", "Hiroshi", "Amina", "Carlos", "Olena",
          "Mohammed", "Anna", "Rajesh", "Grace", "Pierre", "Yusuf", "Elena", "David", "Aisha", "Tomasz")
_LAST = ("Petrov", "Haddad", "Silva", "Okafor", "Kovalenko", "Tanaka", "Mehta", "Schmidt", "Dubois",
         "Nasser", "Wang", "Mwangi", "Garcia", "Nowak", "Rahimi", "Yilmaz", "Santos", "Cohen", "Abdi", "Lee")
_TITLES = ("Foreign Minister", "President", "Prime Minister", "Defence Minister", "Interior Minister")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TOPICS = ("trade", "border security", "the ceasefire", "energy supplies", "refugees",
           "the nuclear programme", "water rights", "prisoner exchanges", "humanitarian access")
_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
          10: "ten", 12: "twelve", 15: "fifteen", 20: "twenty"}
_WIRES = ("Reuters", "AFP", "AP", "Xinhua", "dpa", "ANSA")

_DIPLOMATIC = (
    "{A_title} {A_person} met his {B_adj} counterpart {B_person} in {A_capital} on {day} to discuss "
    "{topic}, the {A_adj} foreign ministry said.",
    "{A} and {B} signed an agreement on {topic} on {day}, officials from both governments said.",
    "{A_adj} President {A_leader} condemned the {B_adj} government's decision to close the border, "
    "calling it a violation of international law.",
    "{A} imposed new sanctions on {B} over its {topic} policy, {A_adj} officials announced on {day}.",
    "{A} recalled its ambassador from {B_capital} after a row over {topic}.",
    "{A_leader} will visit {B_capital} next week for talks with {B_adj} President {B_leader}, "
    "his office said in a statement.",
    "{A_adj} {A_title} {A_person} urged {B} to release the detained journalists and to resume "
    "negotiations on {topic}.",
    "{org} called on {A} and {B} to return to the negotiating table and respect the ceasefire.",
    "{A} expelled {small} {B_adj} diplomats on {day}, accusing them of spying.",
    "{A} pledged {money} million dollars in humanitarian aid to {B}, the {A_adj} embassy said.",
    "{A} threatened to cut diplomatic ties with {B} if it continued to support the rebels.",
    "{A} and {B} agreed to reopen their embassies and restore flights between {A_capital} and {B_capital}.",
    "{B_adj} officials rejected the {A_adj} proposal, saying {B} would not negotiate under pressure.",
    "{A} accused {B} of violating the truce along the border on {day}.",
    "{A_adj} {A_title} {A_person} praised {B} for its efforts to mediate between the warring parties.",
)
_CASUALTY = (
    "At least {n} people were killed and {m} wounded when a car bomb exploded in {B_city} on {day}, "
    "{source} said.",
    "{org} said {big} civilians, including {small} children, had died in the fighting in {B_city} since {month}.",
    "The death toll from the attack on a market in {B_city} rose to {n}, officials said on {day}.",
    "{n_word} soldiers were killed in an ambush near {B_city}, the {B_adj} army said.",
    "More than {huge} people have fled their homes because of the violence, according to {org}.",
    "{B_adj} police said {m} officers were injured during clashes with protesters in {B_capital}.",
    "Gunmen kidnapped {small} aid workers on the road to {B_city} on {day}, a local official said.",
    "Security forces arrested {m} people after the protests in {B_capital}, the interior ministry said.",
    "About {big} people are still missing after the floods in the north of {B}, {source} reported.",
    "Between {n} and {n2} people were killed in air strikes on {B_city} on {day}, activists said.",
)
_CONTEXT = (
    "The talks come amid rising tension between the two countries over {topic}.",
    "Analysts said the move was unlikely to change {B}'s position in the short term.",
    "{A_person} told reporters the situation on the ground remained very difficult.",
    "The conflict has left large parts of {B_city} in ruins and shortages of food and fuel are widespread.",
    "Diplomats in {A_capital} said a further round of talks could take place next month in Geneva.",
    "Neither side gave details of the timetable, and a spokesman declined to comment further.",
    "Markets in {A_capital} fell slightly on the news before recovering later in the day.",
    "The United States and several European governments have called for restraint.",
    "\u201cWe will not accept any solution imposed from outside,\u201d {A_person} said at a news conference.",
    "The two countries have had tense relations since a dispute over {topic} broke out {years} years ago.",
    "Aid agencies warned that supplies of medicine in {B_city} would run out within weeks.",
    "Officials in {B_capital} did not respond to requests for comment on {day}.",
    "The statement did not say when the next meeting would take place or who would attend.",
    "Opposition leaders in {B} said the government had failed to protect civilians in the region.",
    "Earlier this year, {A} hosted a conference on {topic} attended by delegations from {years} countries.",
    "State television in {A_capital} showed the two delegations shaking hands before the meeting.",
    "Residents of {B_city} said the streets were quiet on {day} evening as security forces patrolled.",
)
_HEADLINES = (
    "{A} and {B} to hold talks on {topic}", "{n} killed in {B_city} attack", "{A} presses {B} on {topic}",
    "{A} imposes sanctions on {B}", "Death toll rises in {B_city}", "{A} recalls ambassador from {B}",
)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def generate_article(index: int, seed: int = 0, prefix: str = "bench") -> dict[str, Any]:
    """Article number `index` of the corpus with `seed`: a JSON-ready input message.

    Deterministic (same index and seed, same article), and varied: the countries,
    people, places, numbers and the choice and order of paragraphs change with the
    index. Each article has diplomatic and casualty paragraphs, so every one gives
    output records (which the latency measurement relies on), and is about as long
    as a short wire report (300 to 500 tokens).
    """
    rng = random.Random(seed * 1_000_003 + index)
    a, b = rng.sample(_COUNTRIES, 2)
    n = rng.randint(3, 60)
    small = rng.randint(2, 12)
    fill = {
        "A": a[0], "A_adj": a[1], "A_capital": a[2], "B": b[0], "B_adj": b[1], "B_capital": b[2], "B_city": b[3],
        "A_title": rng.choice(_TITLES), "A_person": _person(rng), "B_person": _person(rng),
        "A_leader": _person(rng), "B_leader": _person(rng), "day": rng.choice(_DAYS),
        "month": rng.choice(_MONTHS), "topic": rng.choice(_TOPICS), "org": rng.choice(_ORGS),
        "source": rng.choice(("police", "hospital officials", "the health ministry", "witnesses")),
        "n": n, "n2": n + rng.randint(5, 40), "m": rng.randint(5, 150), "small": _WORDS.get(small, small),
        "n_word": _WORDS.get(n, str(n)).capitalize(), "big": f"{rng.randint(1, 9) * 100 + rng.randint(0, 99):,}",
        "huge": f"{rng.randint(2, 90) * 1000:,}", "money": rng.choice((5, 10, 25, 50, 120, 300)),
        "years": rng.randint(3, 30),
    }
    fill["org"] = fill["org"][0].upper() + fill["org"][1:]
    paragraphs = (rng.sample(_DIPLOMATIC, rng.randint(7, 10)) + rng.sample(_CASUALTY, rng.randint(4, 7))
                  + rng.sample(_CONTEXT, rng.randint(6, 10)))
    rng.shuffle(paragraphs)
    text = "\n".join(p.format(**fill) for p in paragraphs)
    year, month, day = rng.randint(2010, 2024), rng.randint(1, 12), rng.randint(1, 28)
    return {"id": f"{prefix}-{seed}-{index}", "title": rng.choice(_HEADLINES).format(**fill),
            "published_at": f"{year:04d}-{month:02d}-{day:02d}", "source": rng.choice(_WIRES), "text": text}


def generate_corpus(count: int, seed: int = 0, start: int = 0, prefix: str = "bench") -> list[dict[str, Any]]:
    """Articles `start` .. `start + count - 1` of the corpus with `seed`."""
    return [generate_article(i, seed, prefix) for i in range(start, start + count)]
