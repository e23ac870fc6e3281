"""Shop copy: product descriptions, SEO texts, meta descriptions and titles, product and article
titles, keywords and hashtags, names and slogans: what an e-commerce back office asks an AI for."""

from __future__ import annotations

import re

from . import words as W
from .conversation import sentences_wanted
from .grammar import article, capitalise, forms_of, number_word, title_case
from .pieces import Draw, Drawer, Template, Values, Writer, templates
from .reading import Prompt, as_written

_MANY_TITLES = re.compile(r"\b(?:titles|headlines|headings|ideas|options)\b")
_WORD = re.compile(r"\w+")
_NAME_WORD = re.compile(r"[A-Za-z][\w'-]*")
_ONE_NAME_ASKED = re.compile(r"\ba name\b")
_NAMES_ASKED = re.compile(r"\bnames\b")
_PETS = re.compile(r"\b(?:cat|dog|pupp(?:y|ies)|kitten|pet|hamster|rabbit|bunny|parrot|bird|fish|horse|guinea pig)s?\b")
_PEOPLE = re.compile(r"\b(?:baby|boy|girl|son|daughter|child|character|hero|villain)s?\b")
_PROJECTS = re.compile(r"\b(?:project|team|initiative|sprint|release|codename)s?\b")


def _pair(name: str, options: tuple[str, ...]) -> Drawer:
    def draw_pair(draw: Draw) -> dict[str, str]:
        first, second = draw.sample(options, 2)
        return {name: first, f"{name}2": second}

    return draw_pair


def _one(name: str, options: tuple[str, ...]) -> Drawer:
    return lambda draw: {name: draw.choice(options)}


def _qualities(draw: Draw) -> dict[str, str]:
    q1, q2, q3 = draw.sample(W.QUALITIES, 3)
    return {"q1": q1, "q2": q2, "q3": q3}


_WITH_ARTICLE = {adjective: f"{article(adjective)} {adjective}" for adjective in W.ADJECTIVES}


def _adjectives(draw: Draw) -> dict[str, str]:
    adj, adj2 = draw.sample(W.ADJECTIVES, 2)
    return {"adj": adj, "adj2": adj2, "a_adj": _WITH_ARTICLE[adj]}


_PRODUCT_DRAWERS: dict[str, Drawer] = {
    "q1": _qualities, "q2": _qualities, "q3": _qualities, "adj": _adjectives, "adj2": _adjectives,
    "a_adj": _adjectives, "colour": _pair("colour", W.COLOURS), "colour2": _pair("colour", W.COLOURS),
    "feature": _pair("feature", W.FEATURES), "feature2": _pair("feature", W.FEATURES),
    "material": _one("material", W.MATERIALS), "audience": _one("audience", W.AUDIENCES),
    "place": _one("place", W.PLACES), "cta": _one("cta", W.CALLS_TO_ACTION),
    "perk": _one("perk", W.SHOP_PERKS),
    "warranty": lambda draw: {"warranty": f"a {number_word(draw.between(1, 3))}-year warranty"},
}


def product_values(prompt: Prompt, draw: Draw) -> Values:
    """What a product sentence can name: the subject's forms now, the rest when a template asks."""
    return Values(draw, _PRODUCT_DRAWERS, forms_of(prompt))


_PRODUCT_OPENERS = templates(
    "{the_subject} {is} {a_adj} choice for {audience} who care about {q1} and {q2}.",
    "Meet {the_subject}: {a_adj} companion built for {q1} and {q2}.",
    "Designed for {audience}, {the_subject} {combines} {q1} with {q2}.",
)
_PRODUCT_SENTENCES = templates(
    "Made from {material}, {it_is} built to last and easy to keep in good condition.",
    "{its} {adj2} design fits easily into {place}.",
    "Every detail is tuned for {q3}, so {it} {does} {its} job day after day.",
    "With {feature} and {feature2}, {it_is} even easier to live with.",
    "{it_is} available in {colour} and {colour2}.",
    "Unlike bulkier alternatives, {it} {stays} {adj} and light enough to take anywhere.",
    "Whether for daily use or occasional projects, {the_subject} {delivers} consistent {q1}.",
    "Customers appreciate {its} {q2} and the care that went into {its} {adj2} finish.",
    "Backed by {warranty}, {it_is} a purchase you can make with confidence.",
    "In short, {it} {makes} everyday tasks simpler, day in and day out.",
)


def product(prompt: Prompt, draw: Draw) -> Writer:
    """5-7 sentences (or as many as the prompt asks for) about the product, like Emporix's own example."""
    out, values = Writer(), product_values(prompt, draw)
    total = sentences_wanted(prompt, draw.between(5, 7))
    out.add(draw.choice(_PRODUCT_OPENERS), values)
    for template in draw.sample(_PRODUCT_SENTENCES, total - 1):
        out.add(template, values)
    return out


_SEO_HEADINGS = templates("## {Title}: {Adj} and Built for {Q1}", "## {Title} for {Audience}",
                          "## Discover the {Title}")
_SEO_WHY = templates("### Why choose {the_subject}?")
_SEO_POINTS = templates("- **{Q}**: {it_is} designed around {q} from the first sketch to the final check.",
                        "- **{Q}**: made from {material}, with {feature}.",
                        "- **{Q}**: available in {colour} and {colour2}, to suit any style.",
                        "- **{Q}**: {it} {comes} with {warranty} and {feature2}.")
_SEO_CLOSE = templates("{cta} and enjoy {perk} on {the_subject}.", "{cta}: {perk} included.")


def seo_text(prompt: Prompt, draw: Draw) -> Writer:
    """A headline, a keyword-rich paragraph, a bullet list of reasons and a call to action."""
    out, values = Writer(), product_values(prompt, draw)
    values.update(Adj=title_case(values["adj"]), Q1=title_case(values["q1"]), Audience=title_case(values["audience"]))
    out.add(draw.choice(_SEO_HEADINGS), values)
    out.add(draw.choice(_PRODUCT_OPENERS), values, "\n\n")
    for template in draw.sample(_PRODUCT_SENTENCES, 3):
        out.add(template, values)
    out.add(_SEO_WHY[0], values, "\n\n")
    qualities = (values["q1"], values["q2"], values["q3"])
    for index, (quality, point) in enumerate(zip(qualities, draw.sample(_SEO_POINTS, 3))):
        values.update(Q=capitalise(quality), q=quality)
        out.add(point, values, "\n\n" if index == 0 else "\n")
    out.add(draw.choice(_SEO_CLOSE), values, "\n\n")
    return out


_META = templates(
    "Discover {the_subject}: {adj}, {adj2} and built for {q1}.", "Shop {the_subject}, {a_adj} pick for {audience}.",
)
_META_MORE = templates("{its} {q2} sets {it_obj} apart.", "Enjoy {perk} and {perk2}.", "{cta}!")
_META_TITLE = templates("{Title}", "| {Adj} & {Q}", "| {shop}")
META_DESCRIPTION_CHARS = 160
META_TITLE_CHARS = 60


def meta_description(prompt: Prompt, draw: Draw) -> Writer:
    """One line of at most 160 characters, as search engines show."""
    out, values = Writer(), product_values(prompt, draw)
    values["perk2"] = draw.choice([perk for perk in W.SHOP_PERKS if perk != values["perk"]])
    out.add(draw.choice(_META), values)
    for template in _META_MORE[draw.below(2):]:
        _add_within(out, template, values, META_DESCRIPTION_CHARS, " ")
    return out


def meta_title(prompt: Prompt, draw: Draw) -> Writer:
    """At most 60 characters: the product, a benefit, the shop."""
    out, values = Writer(), product_values(prompt, draw)
    values["Adj"] = title_case(values["adj"])
    values["shop"] = f"{draw.choice(W.BRAND_WORDS)} {draw.choice(W.BRAND_ENDINGS)}"
    out.add(_META_TITLE[0], values)
    values["Q"] = title_case(values["q1"])
    _add_within(out, _META_TITLE[1], values, META_TITLE_CHARS, " ")
    _add_within(out, _META_TITLE[2], values, META_TITLE_CHARS, " ")
    return out


def _add_within(out: Writer, template: Template, values: dict[str, str], limit: int, sep: str) -> None:
    start = len(out.pieces)
    out.add(template, values, sep)
    if sum(map(len, out.pieces)) > limit:
        del out.pieces[start:]


_LIST_INTROS = templates("Here are {n} {what} for {about}:", "Sure! {N} {what} for {about}:",
                         "Here are some {what} for {about}:")
_NUMBERED = templates("{n}. {item}")
_LIST_CLOSERS = templates("Would you like more options in a particular style?",
                          "Let me know which direction you like, and I can suggest more like it.",
                          "Want me to check any of these for availability or tweak the tone?")
_TITLE_PATTERNS = ("{head} {Title}", "{Title}: {tail}", "{N} Things to Know About {Title}",
                   "Why {Title} Matters More Than Ever", "How to Get Started with {Title}", "{Title}, Explained")
_PRODUCT_TITLE = templates("{Title} – {Adj}, {Adj2} and {Colour}", "{Title} in {Colour} – {Adj} & {Adj2}",
                           "{Adj} {Title} with {Feature}")


def titles(prompt: Prompt, draw: Draw) -> Writer:
    """One title when one is asked for ("a product title for …"), else a numbered list of them."""
    values = product_values(prompt, draw)
    many = prompt.count and prompt.count > 1 or _MANY_TITLES.search(prompt.text.lower())
    if not many:
        out = Writer()
        values.update(Adj=title_case(values["adj"]), Adj2=title_case(values["adj2"]),
                      Colour=title_case(values["colour"]), Feature=title_case(values["feature"].partition(" ")[2]))
        out.add(draw.choice(_PRODUCT_TITLE), values)
        return out
    count = prompt.count or 5
    items = []
    for pattern in draw.sample(_TITLE_PATTERNS, count):
        items.append(pattern.format(head=draw.choice(W.TOPIC_HEADS), tail=draw.choice(W.TOPIC_TAILS),
                                    N=str(draw.between(3, 10)), Title=values["Title"]))
    while len(items) < count:
        items.append(f"{draw.choice(W.TOPIC_HEADS)} {values['Title']}, Part {len(items) - len(_TITLE_PATTERNS) + 2}")
    return _numbered(prompt, draw, items, "title ideas")


def keywords(prompt: Prompt, draw: Draw) -> Writer:
    """A comma-separated keyword list, or hashtags when those are asked for."""
    values, out = product_values(prompt, draw), Writer()
    subject = prompt.subject.lower()
    count = prompt.count or 8
    if "hashtag" in prompt.text.lower():
        words = _WORD.findall(prompt.subject)
        tags = ["".join(capitalise(word) for word in words), *(capitalise(word) for word in words if len(word) > 3),
                title_case(values["adj"]).replace(" ", "").replace("-", ""), "NewArrival", "ShopSmall", "MustHave",
                title_case(values["q1"]).replace(" ", ""), "GiftIdeas"]
        out.text(" ".join(f"#{tag}" for tag in list(dict.fromkeys(tags))[:count]))
        return out
    candidates = [subject, f"buy {subject}", f"best {subject}", f"{subject} online", f"{values['adj']} {subject}",
                  f"{subject} for {values['audience']}", f"{subject} price", f"{values['colour']} {subject}",
                  f"{subject} reviews", f"{subject} deals", f"{values['material']} {subject}", f"cheap {subject}"]
    out.text(", ".join(candidates[:count]))
    return out


def names(prompt: Prompt, draw: Draw) -> Writer:
    """Names that fit what is being named: a pet, a baby, a project, or a business or product."""
    low = f"{prompt.subject} {prompt.text}".lower()
    count = prompt.count or (1 if _ONE_NAME_ASKED.search(low) and not _NAMES_ASKED.search(low) else 5)
    count = max(count, 3) if count == 1 and "ideas" in low else count
    if _PETS.search(low):
        items = draw.sample(W.PET_NAMES, count)
    elif _PEOPLE.search(low):
        items = draw.sample(W.FIRST_NAMES, count)
    elif _PROJECTS.search(low):
        items = [f"Project {name}" for name in draw.sample(W.CODENAMES, count)]
    else:
        items = _brand_names(prompt.subject, draw, count)
    if count == 1:
        out = Writer()
        out.add(_ONE_NAME[0], {"about": as_written(prompt), "name": items[0]})
        return out
    return _numbered(prompt, draw, [f"**{item}**" for item in items], "name ideas")


_ONE_NAME = templates("How about **{name}**? It is short, easy to remember and fits {about}.")


def _brand_names(subject: str, draw: Draw, count: int) -> list[str]:
    words = _NAME_WORD.findall(subject) or ["Studio"]
    key, tail = title_case(words[0]), title_case(words[-1])
    makers = (
        lambda: f"{draw.choice(W.BRAND_WORDS)} {key}",
        lambda: f"The {draw.choice(W.BRAND_WORDS)} {tail}",
        lambda: " & ".join(draw.sample(W.BRAND_WORDS, 2)),
        lambda: f"{key} {draw.choice(W.BRAND_ENDINGS)}",
        lambda: draw.choice(W.COINAGE_STARTS) + draw.choice(W.COINAGE_ENDS),
        lambda: f"{draw.choice(W.BRAND_WORDS)} & {tail}",
    )
    found: list[str] = []
    for attempt in range(count * 4):
        name = makers[attempt % len(makers) if attempt < len(makers) else draw.below(len(makers))]()
        if name not in found:
            found.append(name)
        if len(found) == count:
            break
    return found


_SLOGAN_PATTERNS = ("{Adj} by design.", "Made for {audience}.", "{Title}, done right.", "Less hassle. More {q1}.",
                    "Your {subject}, your way.", "Built for {q1}. Loved for {q2}.", "Everyday {q1}, {adj} style.",
                    "The {subject} you'll reach for first.", "Small details. Big difference.")


def slogans(prompt: Prompt, draw: Draw) -> Writer:
    values = product_values(prompt, draw)
    values["Adj"] = capitalise(values["adj"])
    count = prompt.count or 5
    items = [capitalise(pattern.format_map(values)) for pattern in draw.sample(_SLOGAN_PATTERNS, count)]
    return _numbered(prompt, draw, [f"*{item}*" for item in items], "slogans")


def _numbered(prompt: Prompt, draw: Draw, items: list[str], what: str) -> Writer:
    out = Writer()
    values = {"about": as_written(prompt), "n": number_word(len(items)), "N": capitalise(number_word(len(items))),
              "what": what}
    out.add(draw.choice(_LIST_INTROS), values)
    for number, item in enumerate(items, 1):
        out.add(_NUMBERED[0], {"n": str(number), "item": item}, "\n\n" if number == 1 else "\n")
    out.add(draw.choice(_LIST_CLOSERS), values, "\n\n")
    return out
