"""Structured and creative replies: lists, comparisons (a Markdown table), emails, poems, stories
and jokes, each in the shape a chat UI renders for them."""

from __future__ import annotations

import re

from . import words as W
from .grammar import capitalise, forms_of, number_word, title_case
from .pieces import Draw, Template, Values, Writer, templates
from .reading import Prompt, as_written

_LIST_NOUN = re.compile(r"\b(tips|ideas|ways|reasons|examples|suggestions|options|things|steps|facts|questions"
                        r"|activities|habits|benefits|advantages|features|mistakes|points)\b")
_LIST_INTROS = templates("Here are {n} {what} {of} {about}:", "Sure! Here are {n} {what} {of} {about}:",
                         "{N} {what} {of} {about}:")
_MERITS = {"benefits", "advantages", "features"}  # a list of merits is of its subject, and says what they are
_MERIT_ITEMS = (
    ("Flexibility", "{subject} adapts to the way you already work"), ("Time saved", "less time on routine, more on what matters"),
    ("Lower costs", "fewer surprises and less waste over time"), ("Better focus", "fewer distractions and clearer priorities"),
    ("Happier people", "more control over how and when things get done"), ("Easy to scale", "it grows with you"),
    ("Reliability", "consistent results, day after day"),
)
_ITEM = templates("{mark} **{lead}**: {body}.")
_SUBJECT_BODIES = ("make {subject} part of your routine rather than an extra task",
                   "keep notes on what works for {subject} and what does not",
                   "set one clear goal for {subject} before you start")
_LIST_CLOSERS = templates("Pick the two or three that fit you best and start there.",
                          "Would you like more detail on any of these?", "Want me to turn these into a plan?")


def bulleted_list(prompt: Prompt, draw: Draw) -> Writer:
    """A numbered (or bulleted, if asked) list of `count` items, default five."""
    low = prompt.text.lower()
    count = prompt.count or 5
    noun = _LIST_NOUN.search(low)
    what = noun.group(1) if noun else "ideas"
    values = {"n": number_word(count), "N": capitalise(number_word(count)), "what": what, "about": as_written(prompt),
              "of": "of" if what in _MERITS else "for"}
    out = Writer()
    out.add(draw.choice(_LIST_INTROS), values)
    if what in _MERITS:
        merits = draw.sample(_MERIT_ITEMS, count)
        leads = [lead for lead, _ in merits]
        chosen = [body.format(subject=prompt.subject) for _, body in merits]
    else:
        bodies = [body.format(subject=prompt.subject) for body in _SUBJECT_BODIES] + list(W.TIP_BODIES)
        leads = draw.sample(W.TIP_LEADS, count)
        chosen = draw.sample(bodies, count)
    bullets = "bullet" in low
    for number in range(1, count + 1):
        lead = leads[(number - 1) % len(leads)]
        body = chosen[(number - 1) % len(chosen)]
        mark = "-" if bullets else f"{number}."
        out.add(_ITEM[0], {"mark": mark, "lead": lead, "body": body}, "\n\n" if number == 1 else "\n")
    out.add(draw.choice(_LIST_CLOSERS), values, "\n\n")
    return out


_PAIR = (re.compile(r"\bbetween\s+(?P<a>.+?)\s+and\s+(?P<b>.+?)\s*[?.!]*$", re.IGNORECASE),
         re.compile(r"\bcompare\s+(?P<a>.+?)\s+(?:and|with|to|vs\.?|versus)\s+(?P<b>.+?)\s*[?.!]*$", re.IGNORECASE),
         re.compile(r"^(?:which is better,?\s+)?(?P<a>.+?)\s+(?:vs\.?|versus|or)\s+(?P<b>.+?)\s*[?.!]*$", re.IGNORECASE))
_ROWS = (("Cost", ("Lower", "Higher"), ("Higher up front", "Cheaper over time")),
         ("Ease of use", ("Easier to start with", "Steeper learning curve"), ("Takes some practice", "Simple")),
         ("Flexibility", ("Covers the common cases", "Very flexible"), ("Highly adaptable", "More opinionated")),
         ("Performance", ("Good", "Excellent"), ("Excellent", "Good enough for most uses")),
         ("Support", ("Large community", "Smaller but active community"), ("Official support", "Community-driven")),
         ("Best for", ("Getting started quickly", "Demanding projects"), ("Long-term use", "Quick results")))
_COMPARE_INTRO = templates("Here's how {a} and {b} compare:", "Both are good choices; they differ mainly in a few areas:")
_ROW = templates("| **{row}** | {x} | {y} |")
_COMPARE_END = templates("**In short:** choose {a} if {q1} matters most to you, and {b} if you value {q2}.",
                         "**Bottom line:** {a} suits most people; {b} pays off when {q2} is the priority.")


def comparison(prompt: Prompt, draw: Draw) -> Writer:
    """A Markdown table of the two things compared, with a one-line verdict."""
    text = prompt.text.strip()
    match = next((found for pattern in _PAIR if (found := pattern.search(text))), None)
    a, b = (match["a"].strip(" '\""), match["b"].strip(" '\"")) if match else (prompt.subject, "the alternatives")
    q1, q2 = draw.sample(W.QUALITIES, 2)
    values = {"a": a or "the first", "b": b or "the second", "q1": q1, "q2": q2}
    out = Writer()
    out.add(draw.choice(_COMPARE_INTRO), values)
    out.text(f"| | {values['a']} | {values['b']} |", "\n\n")
    out.text("|---|---|---|", "\n")
    for row, first, second in draw.sample(_ROWS, draw.between(4, 5)):
        x, y = first if draw.chance(50) else second
        out.add(_ROW[0], {"row": row, "x": x, "y": y}, "\n")
    out.add(draw.choice(_COMPARE_END), values, "\n\n")
    return out


_RECIPIENT = re.compile(r"\bto (?:my |our |a |an |the |all )?(?P<who>[a-z]+)", re.IGNORECASE)
_SUBJECT_LINE = templates("Subject: {Title}")
_EMAIL_OPEN = templates("I hope you are well.", "Thank you for your message.", "I hope this email finds you well.")
_EMAIL_BODY = templates(
    "I am writing to you about {about}.",
    "I wanted to give you a quick update on {about} and what happens next.",
    "We are on it, and I will keep you informed as things progress.",
    "If you have any questions, simply reply to this email and I will get back to you.",
    "Please let me know if there is anything else I can do to help.",
)
_EMAIL_CLOSE = templates("{sign_off},", "{name}", "{role}, {company}")


def email(prompt: Prompt, draw: Draw) -> Writer:
    """Subject line, salutation, two short paragraphs and a signature."""
    who = _RECIPIENT.search(prompt.text)
    recipient = who["who"].lower() if who else "customer"
    if recipient in ("team", "everyone", "all", "colleagues", "staff"):
        salutation = "Hi team,"
    else:
        salutation = f"Dear {draw.choice(W.FIRST_NAMES)},"
    about = as_written(prompt)
    values = {"Title": title_case(prompt.subject), "about": about, "sign_off": draw.choice(W.SIGN_OFFS),
              "name": f"{draw.choice(W.FIRST_NAMES)} {draw.choice(W.LAST_NAMES)}", "role": draw.choice(W.ROLES),
              "company": f"{draw.choice(W.LAST_NAMES)} {draw.choice(('Inc.', 'Ltd', 'GmbH', 'Group', 'LLC'))}"}
    out = Writer()
    out.add(_SUBJECT_LINE[0], values)
    out.text(salutation, "\n\n")
    out.add(draw.choice(_EMAIL_OPEN), values, "\n\n")
    out.add(_EMAIL_BODY[0], values)
    out.add(draw.choice(_EMAIL_BODY[1:3]), values)
    out.add(draw.choice(_EMAIL_BODY[3:]), values, "\n\n")
    for index, template in enumerate(_EMAIL_CLOSE):
        out.add(template, values, "\n\n" if index == 0 else "\n")
    return out


_IMAGES = ("morning light", "the open sky", "a winding road", "the evening tide", "a quiet room", "the turning year",
           "falling leaves", "a city at night", "the first snow", "a summer storm")
_FEELINGS = ("wonder", "calm", "hope", "longing", "delight", "patience", "courage")
_STANZAS = (
    templates("Of {about} I could write all day,", "through {image} and {image2},",
              "it carries {feeling} where it goes,", "and asks for nothing in return."),
    templates("When {image} fades to grey,", "{the_subject} {is} still here, steady and sure,",
              "a small and {adj} kind of {feeling}", "that stays long after the day is done."),
    templates("So here's to {about}, old and new,", "to {image} and to skies of blue,",
              "to {feeling} found in simple things,", "and all the quiet joy {it} {brings}."),
)
_HAIKU = templates("{Image},", "{subject} in the stillness,", "{feeling} takes its time.")


def poem(prompt: Prompt, draw: Draw) -> Writer:
    """A titled poem of two or three four-line stanzas (three lines for a haiku)."""
    image, image2 = draw.sample(_IMAGES, 2)
    values = Values(draw, {}, forms_of(prompt))
    values.update(image=image, image2=image2, Image=capitalise(image), feeling=draw.choice(_FEELINGS),
                  adj=draw.choice(("gentle", "quiet", "bright", "steady")))
    out = Writer()
    if "haiku" in prompt.text.lower():
        for index, line in enumerate(_HAIKU):
            out.add(line, values, "\n")
        return out
    out.text(f"**{title_case(capitalise(as_written(prompt)))}**", capital=True)
    stanzas = _STANZAS if draw.chance(50) else (_STANZAS[0], _STANZAS[2])
    for stanza in stanzas:
        for index, line in enumerate(stanza):
            out.add(line, values, "\n\n" if index == 0 else "\n")
    return out


_TOWNS = ("Eldermoor", "Brightwater", "Stonebridge", "Willowmere", "Fernhollow", "Ashford Vale", "Maplecross")
_STORY = (
    templates("Once upon a time, in the little town of {town}, there lived {a_subject} called {name}.",
              "Every morning, {name} watched the sun rise over the hills and wondered what lay beyond them."),
    templates("One day, a stranger arrived with a map and a question that nobody in {town} could answer.",
              "{name} listened carefully, packed a small bag and set off before anyone could say no.",
              "The journey was longer than expected, and more than once {name} thought about turning back."),
    templates("In the end, the answer had been close to home all along.",
              "{name} returned to {town} a little wiser, with a story that people would tell for years.",
              "And whenever someone doubted that {a_subject} could change anything, they were told this tale."),
)


def story(prompt: Prompt, draw: Draw) -> Writer:
    """A titled three-paragraph tale whose hero is the subject."""
    values = Values(draw, {}, forms_of(prompt))
    values.update(town=draw.choice(_TOWNS), name=draw.choice(W.FIRST_NAMES))
    out = Writer()
    out.text(f"**The {title_case(prompt.subject)} of {values['town']}**", capital=True)
    for paragraph in _STORY:
        for index, sentence in enumerate(paragraph):
            out.add(sentence, values, "\n\n" if index == 0 else " ")
    return out


_ABOUT = re.compile(r"\babout\b", re.IGNORECASE)
_JOKES = tuple((Template(setup), Template(punchline)) for setup, punchline in (
    ("Why don't scientists trust atoms?", "Because they make up everything."),
    ("Why did the developer go broke?", "Because they used up all their cache."),
    ("What do you call a fake noodle?", "An impasta."),
    ("Why did the scarecrow win an award?", "Because he was outstanding in his field."),
    ("How do you organise a space party?", "You planet."),
    ("Why do programmers prefer dark mode?", "Because light attracts bugs."),
    ("What did the ocean say to the beach?", "Nothing, it just waved."),
    ("Why did the bicycle fall over?", "Because it was two-tired."),
))
_SUBJECT_JOKES = templates("Why did {the_subject} sit in the corner? {it} {was} feeling a little out of place.",
                           "I'd tell you a joke about {subject}, but I'm still working on the punchline.")


def joke(prompt: Prompt, draw: Draw) -> Writer:
    out = Writer()
    if prompt.subject not in ("this topic", "this product") and _ABOUT.search(prompt.text):
        out.add(draw.choice(_SUBJECT_JOKES), forms_of(prompt))
        if draw.chance(50):
            return out
        out.text("Here's a classic instead:", capital=True)
    setup, punchline = draw.choice(_JOKES)
    out.add(setup, {}, "\n\n")
    out.add(punchline, {}, "\n\n")
    return out


_POST_OPENERS = templates("Big news: {Subject} is finally here!", "We're excited to share {subject_here}!",
                          "You asked, we listened: {Subject} is live!")
_POST_MIDDLES = templates("Expect {q1}, {q2} and a few surprises along the way.",
                          "Come for the deals, stay for the {q1}.", "Made for everyone who cares about {q1}.")
_POST_CLOSERS = templates("Tap the link in our bio to find out more.", "Tag someone who needs to see this!",
                          "Don't miss out.")


def social_post(prompt: Prompt, draw: Draw) -> Writer:
    """A post of three short sentences and a few hashtags, in the brand's own voice ("our sale")."""
    q1, q2 = draw.sample(W.QUALITIES, 2)
    ours = _OURS.search(prompt.text)  # the post speaks for the brand: "our summer sale" stays ours
    values = {"Subject": f"Our {prompt.subject}" if ours else capitalise(prompt.subject), "q1": q1, "q2": q2,
              "subject_here": f"our {prompt.subject}" if ours else prompt.subject}
    out = Writer()
    for options in (_POST_OPENERS, _POST_MIDDLES, _POST_CLOSERS):
        out.add(draw.choice(options), values)
    tag = "".join(word[:1].upper() + word[1:] for word in re.findall(r"\w+", prompt.subject))
    out.text(" ".join(f"#{name}" for name in (tag, *draw.sample(_HASHTAGS, 2)) if name), "\n\n")
    return out


_OURS = re.compile(r"\bour\b", re.IGNORECASE)
_HASHTAGS = ("ShopNow", "NewArrival", "LimitedTime", "DontMissOut", "ShopSmall", "Weekend", "TreatYourself")
_SWEET = re.compile(r"(?i)cake|cookie|muffin|pancake|waffle|brownie|pie\b|dessert|crumble|scone|biscuit|sweet")
_PANTRY_SWEET = ("250 g flour", "2 eggs", "300 ml milk", "2 tbsp sugar", "a pinch of salt", "50 g butter, melted",
                 "1 tsp baking powder", "1 tsp vanilla extract", "a handful of berries")
_PANTRY_SAVOURY = ("1 onion, finely chopped", "2 cloves of garlic", "1 tbsp olive oil", "200 g cheese, grated",
                   "a handful of fresh herbs", "salt and pepper", "400 g chopped tomatoes", "250 ml stock",
                   "1 red pepper, sliced")
_METHOD = (
    "Gather and measure all the ingredients before you start.", "Mix the dry ingredients in a large bowl.",
    "Whisk in the wet ingredients until smooth, without overmixing.", "Heat a lightly oiled pan over a medium heat.",
    "Cook in batches until golden, turning once.", "Taste, season and adjust as you go.",
    "Serve warm, with whatever you like best on top.",
)


def recipe(prompt: Prompt, draw: Draw) -> Writer:
    """A titled recipe: servings and time, a list of ingredients, numbered steps."""
    out = Writer()
    out.text(f"**{title_case(prompt.subject)}**", capital=True)
    out.text(f"Serves {draw.between(2, 6)} · Ready in {draw.choice((20, 30, 45, 60))} minutes", "\n\n")
    out.text("**Ingredients**", "\n\n")
    pantry = _PANTRY_SWEET if _SWEET.search(prompt.subject) else _PANTRY_SAVOURY
    for ingredient in draw.sample(pantry, draw.between(5, 7)):
        out.text(f"- {ingredient}", "\n")
    out.text("**Method**", "\n\n")
    steps = [_METHOD[0], *sorted(draw.sample(_METHOD[1:-1], 3), key=_METHOD.index), _METHOD[-1]]
    for number, step in enumerate(steps, 1):
        out.text(f"{number}. {step}", "\n")
    out.text(f"Enjoy your {prompt.subject}!", "\n\n", capital=True)
    return out


_FAQ = (
    ("How long does delivery take?",
     "Most orders arrive within {days} working days. You get a tracking link as soon as your order ships."),
    ("Can I return an item?", "Yes. You can return anything within 30 days, unused and in its original packaging."),
    ("Which payment methods do you accept?", "We accept all major credit cards, PayPal and bank transfer."),
    ("Do you ship internationally?", "Yes, we ship to most countries in Europe and North America."),
    ("How can I contact you?",
     "Write to us through the contact form or at support@example.com; we reply within one working day."),
    ("Is my payment information secure?", "Yes. Payments are encrypted and we never store your card details."),
)


def faq(prompt: Prompt, draw: Draw) -> Writer:
    """Frequently asked questions about the subject, each a bold question and a short answer."""
    out = Writer()
    out.text(f"**Frequently asked questions: {title_case(prompt.subject)}**", capital=True)
    for question, answer in draw.sample(_FAQ, prompt.count or draw.between(4, 5)):
        out.text(f"**{question}**", "\n\n")
        out.text(answer.replace("{days}", f"{draw.between(2, 3)}–{draw.between(4, 5)}"), "\n")
    return out


_BIO = templates(
    "{name} is {a_subject} with {years} years of experience, most recently at {company}.",
    "Known for a calm, practical approach, {first} enjoys turning complicated problems into simple, reliable results.",
    "Outside work, {first} can usually be found {hobby}.",
)
_HOBBIES = ("hiking in the hills", "reading a good book", "cooking for friends", "running along the river",
            "learning a new language", "tending a small garden")


def bio(prompt: Prompt, draw: Draw) -> Writer:
    """A short third-person bio of a (made-up) person who is what the prompt names."""
    values = Values(draw, {}, forms_of(prompt))
    first = draw.choice(W.FIRST_NAMES)
    values.update(name=f"{first} {draw.choice(W.LAST_NAMES)}", first=first, years=str(draw.between(3, 15)),
                  company=f"{draw.choice(W.LAST_NAMES)} {draw.choice(('Labs', 'Group', 'Studio', 'Systems'))}",
                  hobby=draw.choice(_HOBBIES))
    out = Writer()
    for template in _BIO:
        out.add(template, values)
    return out
