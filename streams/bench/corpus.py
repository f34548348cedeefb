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


# --- the general-news feed of case (e) ----------------------------------------------

#: Share of the feed's articles that carry no casualty or diplomatic content.
FEED_NEGATIVE_SHARE = 0.7

_CLUBS = ("Real Madrid", "Bayern Munich", "Al Ahly", "Flamengo", "Galatasaray", "Kaizer Chiefs",
          "Boca Juniors", "Urawa Reds", "Celtic", "Ajax", "Porto", "Esperance", "Olympiacos", "Benfica")
_COMPANIES = ("Nordwell", "Keystone Motors", "Arcadia Foods", "Helix Semiconductor", "Brightwater Energy",
              "Sunfield Telecom", "Orion Airlines", "Meridian Bank", "Copperline Mining", "Vantage Retail")
_PRODUCTS = ("smartphone", "electric car", "chip", "laptop", "streaming service", "satellite", "battery")
_ARTS = ("film", "novel", "album", "exhibition", "opera", "documentary", "play")
_FESTIVALS = ("Cannes", "Venice", "Berlin", "Toronto", "Sundance", "Edinburgh", "Busan")
_INDICES = ("Nikkei", "DAX", "FTSE 100", "CAC 40", "Sensex", "Bovespa", "Hang Seng", "Kospi")
_CURRENCIES = ("yen", "euro", "rupee", "real", "won", "peso", "pound")

_SPORT = (
    "{club} beat {club2} {g1}-{g2} on {day}, with {person} scoring twice in the second half.",
    "The win lifts {club} to {points} points, {small} clear of {club2} at the top of the table.",
    "{person}, who joined from {club2} for a reported {money} million euros in {month}, was named man of the match.",
    "Coach {person2} said his side had controlled the game from the start and deserved the three points.",
    "{adj} sprinter {person} won the 100 metres in {time} seconds at the meeting in {city}.",
    "The {adj} team finished {ordinal} in the relay, {tenths} tenths of a second behind the winners.",
    "{person} lost the opening set 4-6 but came back to win the final in {city} in three sets.",
    "The marathon drew {big} runners through the streets of {capital} under clear skies.",
    "{club} have signed midfielder {person} on a {years}-year contract, the club said on {day}.",
    "A crowd of {big} watched the match at the national stadium in {capital}.",
    "The striker, {age}, has scored {goals} goals in {games} games for {adj} national side.",
    "{club2} missed a penalty in the {minute}th minute and never recovered.",
    "The two sides meet again in the return leg in {city} on {day} next week.",
    "{person} missed the last two games with a hamstring problem but returned to training on {day}.",
    "Qualifying for the {year} World Cup resumes in {month}, with {country} hosting {country2} in the first round.",
    "The {adj} cricket team reached {big} for six at the close of play on the second day.",
    "Their captain made {goals} runs before he was caught at slip shortly after tea.",
)
_MARKETS = (
    "The {index} index rose {pct} percent on {day}, led by gains in technology and bank shares.",
    "Shares in {company} fell {pct} percent after the firm cut its profit forecast for the year.",
    "The {currency} traded at {rate} per dollar in late trading in {capital}.",
    "Brent crude futures gained {cents} cents to {price} dollars a barrel.",
    "{company} said net profit in the third quarter rose to {money} million dollars from {money2} million a year earlier.",
    "Revenue grew {pct} percent to {bn} billion dollars, beating analysts' expectations.",
    "The central bank of {country} kept its benchmark rate at {rate2} percent, as most economists had expected.",
    "Inflation in {country} slowed to {rate2} percent in {month}, official data showed on {day}.",
    "Analysts at {company} expect the economy to grow {rate2} percent next year.",
    "Gold was steady at {gold} dollars an ounce after a volatile week.",
    "Trading volume on the {capital} exchange was {pct} percent below its 30-day average.",
    "{company} shares have gained {goals} percent since January, outperforming the wider market.",
    "Bond yields in {country} edged up to {rate2} percent ahead of the government's budget next month.",
    "The company plans to list {small} million new shares on the {capital} exchange in {month}.",
    "Exports from {country} rose {pct} percent in {month} from a year earlier, helped by strong demand for cars and machinery.",
    "{person}, chief executive of {company}, said the firm would open {small} new plants in {country2} by {year}.",
)
_WEATHER = (
    "Temperatures in {capital} reached {temp} degrees Celsius on {day}, the highest for {month} since records began.",
    "Forecasters expect up to {rain} millimetres of rain across the north of {country} over the weekend.",
    "The heatwave is expected to ease by {day}, when a cooler air mass moves in from the west.",
    "Snow closed {small} mountain passes in {country} and delayed flights at {city} airport for several hours.",
    "The national weather service said {month} had been {tenths} degrees warmer than the long-term average.",
    "Farmers in the south of {country} said the dry spell had cut the wheat harvest by about {pct} percent.",
    "Winds of up to {wind} kilometres per hour are forecast along the coast on {day} evening.",
    "The river in {city} rose {tenths} metres overnight but stayed below its banks.",
    "Fog reduced visibility to {vis} metres on the motorway between {capital} and {city} early on {day}.",
    "Skies are expected to clear by {day} afternoon, with highs of {temp} degrees in the capital.",
    "The dry season in {country} usually lasts from {month} to March.",
    "Reservoirs around {capital} are {pct} percent full, compared with {goals} percent a year ago.",
)
_CULTURE = (
    "The {art} by {adj} director {person} won the top prize at the {festival} festival on {day}.",
    "{person}'s new {art} sold {big} copies in its first week, its publisher said.",
    "The exhibition at the national museum in {capital} brings together {games} works from {small} countries.",
    "{person}, {age}, is best known for her role in a long-running television drama set in {city}.",
    "Tickets for the {small}-night tour, which opens in {city} in {month}, sold out within hours.",
    "The orchestra will perform in {capital} and {city} before travelling to {country2} in {month}.",
    "Critics praised the {art} for its score and its photography of the {adj} countryside.",
    "The festival, now in its {ordinal} year, expects about {big} visitors over {small} days.",
    "{person} said she had spent {years} years researching the lives of the island's fishing families.",
    "The museum reopened on {day} after a {years}-year renovation that cost {money} million euros.",
    "The prize, worth {money2} thousand dollars, is awarded each year for a first novel.",
    "The {art} will be released in {country} and {country2} in {month}.",
)
_TECH = (
    "{company} unveiled a new {product} on {day} that it says runs {pct} percent faster than its predecessor.",
    "The {product} will go on sale in {country} in {month} at a price of {money} dollars.",
    "{company} said it had {big} thousand subscribers at the end of the quarter, up from {money2} thousand.",
    "The firm plans to invest {bn} billion dollars in a chip plant near {city} over {years} years.",
    "Engineers at {company} said the new battery charges to {pct} percent in {small} minutes.",
    "The update fixes {games} security flaws, {small} of them rated critical, the company said.",
    "{person}, who leads the company's research lab in {city}, said the model was trained on public data.",
    "The satellite, launched from {country} on {day}, will map crops across {small} countries.",
    "Regulators in {country} are reviewing the {bn}-billion-dollar merger, which would create the region's largest telecoms group.",
    "Downloads of the app passed {big} thousand in its first week in {country2}.",
    "The company's shares rose {pct} percent after the launch event in {capital}.",
    "{company} will open a data centre in {city} in {year}, creating about {big} jobs.",
)
_FEED_DOMAINS = {"sport": _SPORT, "markets": _MARKETS, "weather": _WEATHER, "culture": _CULTURE,
                 "technology": _TECH}
_GENERAL = (
    "{person} told reporters in {capital} on {day} that more details would follow next month.",
    "The figures were published by the national statistics office in {capital}.",
    "{person2} contributed reporting from {city}.",
    "A spokeswoman for {company} declined to give further details.",
)


def generate_negative(index: int, seed: int = 0, prefix: str = "feed") -> dict[str, Any]:
    """A hard negative: sport, markets, weather, culture or technology in wire style.

    Numbers, names, countries and capitals throughout, as in the relevant stories,
    but no casualty or diplomatic content; about as long as `generate_article`'s.
    """
    rng = random.Random(seed * 2_000_003 + index)
    domain = sorted(_FEED_DOMAINS)[index % len(_FEED_DOMAINS)]
    a, b = rng.sample(_COUNTRIES, 2)
    club, club2 = rng.sample(_CLUBS, 2)
    fill = {
        "country": a[0], "adj": a[1], "capital": a[2], "city": a[3], "country2": b[0],
        "club": club, "club2": club2, "company": rng.choice(_COMPANIES), "product": rng.choice(_PRODUCTS),
        "art": rng.choice(_ARTS), "festival": rng.choice(_FESTIVALS), "index": rng.choice(_INDICES),
        "currency": rng.choice(_CURRENCIES), "person": _person(rng), "person2": _person(rng),
        "day": rng.choice(_DAYS), "month": rng.choice(_MONTHS), "year": rng.randint(2025, 2030),
        "g1": rng.randint(1, 5), "g2": rng.randint(0, 3), "points": rng.randint(20, 80),
        "small": _WORDS.get(rng.randint(2, 9), "three"), "money": rng.choice((12, 35, 80, 140, 220)),
        "money2": rng.choice((9, 28, 60, 110, 180)), "time": f"{rng.uniform(9.7, 10.3):.2f}",
        "ordinal": rng.choice(("second", "third", "fourth", "fifth")), "tenths": rng.randint(1, 9),
        "big": f"{rng.randint(2, 90) * 1000:,}", "years": rng.randint(2, 6), "age": rng.randint(19, 36),
        "goals": rng.randint(5, 60), "games": rng.randint(20, 120), "minute": rng.randint(10, 89),
        "pct": f"{rng.uniform(0.2, 9.5):.1f}", "rate": f"{rng.uniform(1.1, 160):.2f}",
        "cents": rng.randint(5, 95), "price": f"{rng.uniform(60, 95):.2f}", "bn": rng.randint(2, 40),
        "rate2": f"{rng.uniform(0.5, 12):.1f}", "gold": f"{rng.randint(1900, 2700):,}",
        "temp": rng.randint(-12, 46), "rain": rng.randint(20, 150), "wind": rng.randint(40, 120),
        "vis": rng.randint(20, 200),
    }
    pool = _FEED_DOMAINS[domain]
    paragraphs = rng.sample(pool, min(len(pool), rng.randint(10, 14))) + rng.sample(_GENERAL, rng.randint(1, 3))
    rng.shuffle(paragraphs)
    text = "\n".join(p.format(**fill) for p in paragraphs)
    year, month, day = rng.randint(2010, 2024), rng.randint(1, 12), rng.randint(1, 28)
    return {"id": f"{prefix}-{domain}-{seed}-{index}", "title": f"{fill['country']} {domain} report",
            "published_at": f"{year:04d}-{month:02d}-{day:02d}", "source": rng.choice(_WIRES), "text": text}


def generate_feed(count: int, seed: int = 0, start: int = 0, prefix: str = "feed") -> list[dict[str, Any]]:
    """Articles `start` .. `start + count - 1` of a general-news feed: 70 % hard negatives.

    Of every ten articles, three are `generate_article` stories (diplomatic and
    casualty content) and seven are `generate_negative` reports, interleaved.
    """
    out = []
    for i in range(start, start + count):
        if (i % 10) in (0, 4, 7):  # three in ten
            out.append(generate_article(i, seed, prefix=f"{prefix}-news"))
        else:
            out.append(generate_negative(i, seed, prefix=prefix))
    return out
