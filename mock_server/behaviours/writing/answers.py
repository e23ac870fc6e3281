"""Answers to questions: definitions ("What is …?"), reasons ("Why …?"), how something works,
"it depends" (when / where), yes or no, how-to steps, a capital city, and arithmetic worked out."""

from __future__ import annotations

import ast
import operator
import re

from . import words as W
from .conversation import DRAWERS, sentences_wanted
from .grammar import capitalise, forms_of, number_word, title_case
from .pieces import Draw, Drawer, Values, Writer, templates
from .reading import Prompt

_DEFINITION_OPENERS = templates(
    "{subject} {is} a broad topic, but the core idea is simple.", "Here is a short explanation of {subject}.",
    "Good question!", "In short, {subject} {is} easier to grasp than {it} {sounds}.",
)
_DEFINITION_FIRST = templates("At heart, {subject} {is} about {purpose}.",
                              "Put simply, {subject} {is} a way of {purpose}.")
_DEFINITION_BODY = templates(
    "{it} {matters} because {it} {improves} {outcome}.",
    "Over the years, {subject} {has} changed how people {change}.",
    "In practice, people turn to {it_obj} to {use}.",
    "The main ideas to keep in mind are {f1}, {f2} and {f3}.",
    "{subject} {is} often confused with related ideas, but the difference usually lies in {f1} and {f2}.",
    "A good way to understand {it_obj} is to look at a simple example first and build from there.",
    "Most of the details follow from that one idea, so it is worth getting it clear before going further.",
)
_OUTCOMES = ("how decisions are made", "the quality of the result", "how quickly things get done",
             "the experience of everyone involved")
_USES = ("save time", "reduce mistakes", "understand what is going on", "plan the next steps")
_CHANGES = ("work and learn", "make decisions", "solve everyday problems", "plan ahead")
_CLOSERS = templates(
    "If you tell me more about what you need it for, I can go into more detail.",
    "Let me know if you would like an example or a deeper dive into any part.",
    "Would you like me to expand on any of these points?",
)
_REASONS_OPENERS = templates("Short answer: it comes down to {r1} and {r2}.",
                             "There are a few reasons, and they build on each other.",
                             "Good question! The answer has more to do with {r1} than most people expect.")
_REASON_FACTORS = ("how it is built", "its surroundings", "history", "the way it is used", "simple physics",
                   "what people expect", "cost", "timing")
_REASON = templates("{n}. **{Factor}**: {reason}.")
_REASON_TEXTS = ("it sets the limits everything else has to work within",
                 "small differences here add up to large differences in the result",
                 "it decides what is practical and what is not",
                 "it changes over time, and the outcome changes with it",
                 "it is where most of the trade-offs are made")
_REASONS_END = templates("In short, it is the combination of these factors rather than any single one.",
                         "Put together, these explain most of what you see.")
_STAGES = templates("{the_subject} {works} in {n} main stages:")
_STAGE = templates("{n}. **{Stage}**: {text}.")
_STAGE_TEXTS = (("Input", "it starts from what it is given and checks that it is complete"),
                ("Processing", "the core step does the actual work, one part at a time"),
                ("Feedback", "the result is compared with what was expected and adjusted"),
                ("Output", "the final result is delivered where it is needed"))
_DEPENDS = templates("It depends mostly on {f1} and {f2}, but in most cases the answer is simpler than it looks.",
                     "The short answer: it varies, and {f1} is usually the deciding factor.")
_YES = templates("Yes, in most cases.", "Generally, yes, with a few caveats.", "Yes, as long as a few conditions hold.")
_NO = templates("Not usually.", "In most cases, no.", "Generally not, although there are exceptions.")
_YES_NO_BODY = templates(
    "The main thing to check is {f1}, since that is where most problems come from.",
    "It also helps to think about {f2} before you decide.",
    "If your situation is unusual, for example because of {f3}, the answer can change.",
    "When in doubt, start with a small test and see how it goes.",
)
_YES_NO_END = templates("If you share more details, I can give you a more specific answer.")
_HOW_TO_OPENERS = templates("Here is how to {subject}:", "Sure! To {subject}, follow these steps:",
                            "You can {subject} in a few steps:")
_STEPS = {
    "settings": templates(*(f"{{n}}. **{lead}**: {text}." for lead, text in W.STEPS)),
    "plan": templates(*(f"{{n}}. **{lead}**: {text}." for lead, text in W.PLAN_STEPS)),
}
_HOW_TO_END = templates("If you get stuck at any step, tell me where and I will help.",
                        "That's it! Let me know if anything does not work as described.")
_FACT = templates("The capital of {country} is {capital}.")
_FACT_MORE = templates("It is also the country's largest city.", "It is home to the national government.",
                       "It is the seat of the national government.")
_CAPITALS = {
    "France": "Paris", "Germany": "Berlin", "Italy": "Rome", "Spain": "Madrid", "Portugal": "Lisbon",
    "the United Kingdom": "London", "the UK": "London", "England": "London", "Ireland": "Dublin",
    "the Netherlands": "Amsterdam", "Belgium": "Brussels", "Switzerland": "Bern", "Austria": "Vienna",
    "Poland": "Warsaw", "Sweden": "Stockholm", "Norway": "Oslo", "Denmark": "Copenhagen", "Finland": "Helsinki",
    "Greece": "Athens", "Czechia": "Prague", "the Czech Republic": "Prague", "Hungary": "Budapest",
    "the United States": "Washington, D.C.", "the USA": "Washington, D.C.", "the US": "Washington, D.C.",
    "Canada": "Ottawa", "Mexico": "Mexico City", "Brazil": "Brasília", "Argentina": "Buenos Aires",
    "Japan": "Tokyo", "China": "Beijing", "India": "New Delhi", "South Korea": "Seoul", "Australia": "Canberra",
    "New Zealand": "Wellington", "Egypt": "Cairo", "Kenya": "Nairobi", "South Africa": "Pretoria",
    "Turkey": "Ankara", "Russia": "Moscow", "Ukraine": "Kyiv", "Thailand": "Bangkok", "Vietnam": "Hanoi",
}
_UNKNOWN_CAPITAL = templates("I don't have reliable information about the capital of {country}.",
                             "Could you check the spelling, or tell me more about where {country} is?")


_EXPRESSION = re.compile(r"[-+*/x×÷().\d\s^]*\d[-+*/x×÷().\d\s^]*")
_ANSWER_DRAWERS: dict[str, Drawer] = {
    **DRAWERS, "outcome": lambda draw: {"outcome": draw.choice(_OUTCOMES)},
    "use": lambda draw: {"use": draw.choice(_USES)}, "change": lambda draw: {"change": draw.choice(_CHANGES)},
}


def _values(prompt: Prompt, draw: Draw) -> Values:
    return Values(draw, _ANSWER_DRAWERS, forms_of(prompt))


def explanation(prompt: Prompt, draw: Draw) -> Writer:
    """An opener, a one-line definition, a few supporting sentences and an offer to go on."""
    out, values = Writer(), _values(prompt, draw)
    total = sentences_wanted(prompt, draw.between(5, 7))
    if total > 1:
        out.add(draw.choice(_DEFINITION_OPENERS), values)
    out.add(draw.choice(_DEFINITION_FIRST), values)
    _body(out, _DEFINITION_BODY, values, draw, total - 2 - (prompt.length is None), paragraph_every=2)
    if prompt.length is None:
        out.add(draw.choice(_CLOSERS), values, "\n\n")
    return out


def reasons(prompt: Prompt, draw: Draw) -> Writer:
    """"Why …?": a short answer, three numbered reasons and a conclusion."""
    out, values = Writer(), _values(prompt, draw)
    factors = draw.sample(_REASON_FACTORS, 3)
    values.update(r1=factors[0], r2=factors[1])
    out.add(draw.choice(_REASONS_OPENERS), values)
    for number, (factor, reason) in enumerate(zip(factors, draw.sample(_REASON_TEXTS, 3)), 1):
        out.add(_REASON[0], {"n": str(number), "Factor": capitalise(factor), "reason": reason},
                "\n\n" if number == 1 else "\n")
    out.add(draw.choice(_REASONS_END), values, "\n\n")
    return out


def mechanism(prompt: Prompt, draw: Draw) -> Writer:
    """"How does X work?": the stages it works in, numbered."""
    out, values = Writer(), _values(prompt, draw)
    stages = _STAGE_TEXTS if draw.chance(50) else (_STAGE_TEXTS[0], _STAGE_TEXTS[1], _STAGE_TEXTS[3])
    values["n"] = number_word(len(stages))
    out.add(_STAGES[0], values)
    for number, (stage, text) in enumerate(stages, 1):
        out.add(_STAGE[0], {"n": str(number), "Stage": stage, "text": text}, "\n\n" if number == 1 else "\n")
    out.add(draw.choice(_CLOSERS), values, "\n\n")
    return out


def depends(prompt: Prompt, draw: Draw) -> Writer:
    """"When / where …?": it depends, on what, and what to check."""
    out, values = Writer(), _values(prompt, draw)
    out.add(draw.choice(_DEPENDS), values)
    _body(out, _YES_NO_BODY, values, draw, sentences_wanted(prompt, 3) - 1)
    out.add(_YES_NO_END[0], values)
    return out


def yes_no(prompt: Prompt, draw: Draw) -> Writer:
    """Yes or no first, then what it depends on."""
    out, values = Writer(), _values(prompt, draw)
    out.add(draw.choice(_YES if draw.chance(65) else _NO), values)
    _body(out, _YES_NO_BODY, values, draw, sentences_wanted(prompt, draw.between(3, 4)) - 2)
    out.add(_YES_NO_END[0], values)
    return out


def how_to(prompt: Prompt, draw: Draw) -> Writer:
    """Numbered steps to do what was asked ("reset your password"), in their natural order."""
    out, values = Writer(), Values(draw, {}, forms_of(prompt))
    out.add(draw.choice(_HOW_TO_OPENERS), values)
    steps = _STEPS[prompt.detail or "plan"]
    middle = sorted(draw.sample(range(1, len(steps) - 1), max(1, (prompt.count or draw.between(4, 5)) - 2)))
    for number, step in enumerate([steps[0], *(steps[index] for index in middle), steps[-1]], 1):
        values["n"] = str(number)
        out.add(step, values, "\n" if number > 1 else "\n\n")
    out.add(draw.choice(_HOW_TO_END), {}, "\n\n")
    return out


def fact(prompt: Prompt, draw: Draw) -> Writer:
    """The capital of a country the prompt names, or a plain "I don't know" for one it does not know."""
    out, country = Writer(), prompt.subject
    known = {name.lower(): name for name in _CAPITALS}
    key = country.lower().removeprefix("the ")
    name = known.get(country.lower()) or known.get(key) or known.get(f"the {key}")
    if name is None:
        for template in _UNKNOWN_CAPITAL:
            out.add(template, {"country": title_case(country)})
        return out
    out.add(_FACT[0], {"country": name, "capital": _CAPITALS[name]})
    out.add(draw.choice(_FACT_MORE), {})
    return out


_LIVE_SOURCES = {
    "weather": ("the weather", "a weather app or your local forecast"), "forecast": ("the forecast", "a weather app"),
    "stock": ("stock prices", "your broker's app or a financial news site"),
    "exchange rate": ("exchange rates", "your bank or a currency converter"),
    "time": ("the time where you are", "the clock on your device"), "score": ("live scores", "a sports app"),
    "news": ("the news", "a news site you trust"),
}
_LIVE = templates("I can't look up {thing} in real time, so I can't tell you what it is right now.",
                  "I don't have live access to {thing}, so I can't give you an up-to-date answer.")
_LIVE_MORE = templates("For the latest, check {source}.", "{source} will have the current picture.")
_LIVE_OFFER = templates("If you tell me what you find, I'm happy to help you make sense of it.")


def live(prompt: Prompt, draw: Draw) -> Writer:
    """What a model cannot know (today's weather, a stock price): said plainly, with where to look."""
    thing, source = _LIVE_SOURCES[prompt.detail or "news"]
    out, values = Writer(), {"thing": thing, "source": source}
    out.add(draw.choice(_LIVE), values)
    out.add(draw.choice(_LIVE_MORE), values)
    out.add(_LIVE_OFFER[0], values)
    return out


_ARTICLE_HEADINGS = templates("## {Title}", "## {Title}: What You Need to Know", "## A Closer Look at {Title}")


def article(prompt: Prompt, draw: Draw) -> Writer:
    """Prose under a heading, in two or three paragraphs (a post, a bio, an essay, an announcement)."""
    out, values = Writer(), _values(prompt, draw)
    out.add(draw.choice(_ARTICLE_HEADINGS), values)
    paragraphs = prompt.length[0] if prompt.length and prompt.length[1] == "paragraph" else draw.between(2, 3)
    out.add(draw.choice(_DEFINITION_FIRST), values, "\n\n")
    for index, template in enumerate(draw.sample(_DEFINITION_BODY, 2 * paragraphs - 1)):
        out.add(template, values, "\n\n" if index % 2 == 1 else " ")
    return out


def _body(out: Writer, options: tuple, values: dict[str, str], draw: Draw, count: int, paragraph_every: int = 0) -> None:
    for index, template in enumerate(draw.sample(options, max(0, count)), 1):
        out.add(template, values, "\n\n" if paragraph_every and index % paragraph_every == 0 else " ")


_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
              ast.Pow: operator.pow, ast.USub: operator.neg, ast.UAdd: operator.pos}
_MATH_TEXT = templates("{expression} = {result}.", "The answer is {result}.")
_MATH_UNREADABLE = templates("I could not read that as a calculation. Could you write it with numbers and + - * /?")
_MATH_TOO_LARGE = templates("The result of {expression} is too large to write out here.")
_MATH_UNDEFINED = templates("Dividing by zero is undefined, so {expression} has no value.")


def math(prompt: Prompt, draw: Draw) -> Writer:
    """The expression and its value ("12 * 7 = 84."), worked out without eval."""
    out = Writer()
    found = _EXPRESSION.search(prompt.text)
    expression = " ".join((found.group() if found else "0").split())
    python = expression.replace("×", "*").replace("x", "*").replace("÷", "/").replace("^", "**")
    try:
        result = _evaluate(ast.parse(python, mode="eval").body)
        shown = f"{result:,.10g}" if isinstance(result, float) and not result.is_integer() else f"{int(result):,}"
    except ZeroDivisionError:
        out.add(_MATH_UNDEFINED[0], {"expression": expression})
    except OverflowError:
        out.add(_MATH_TOO_LARGE[0], {"expression": expression})
    except (SyntaxError, ValueError, TypeError, RecursionError):
        out.add(_MATH_UNREADABLE[0], {})
    else:
        out.add(_MATH_TEXT[0], {"expression": expression, "result": shown})
    return out


def _evaluate(node: ast.AST) -> float:
    """Numbers, + - * / ** and parentheses only; no names, calls or huge powers."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left, right = _evaluate(node.left), _evaluate(node.right)
        if isinstance(node.op, ast.Pow) and (abs(right) > 100 or abs(left) > 10**6):
            raise OverflowError("power too large")
        value = _OPERATORS[type(node.op)](left, right)
        if isinstance(value, complex):
            raise ValueError("not a real number")
        return value
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_evaluate(node.operand))
    raise ValueError("not arithmetic")
