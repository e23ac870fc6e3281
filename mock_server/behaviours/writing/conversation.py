"""Small talk and the conversational replies: greetings, thanks, goodbyes, the acknowledgement of a
system prompt, a reaction to something the user says about themselves, and the reply to anything
that asks for nothing in particular."""

from __future__ import annotations

from . import words as W
from .grammar import forms_of
from .pieces import Draw, Drawer, Values, Writer, templates
from .reading import Prompt

_GREETINGS = templates(
    "Hello! How can I help you today?", "Hi there! What can I do for you?", "Hey! How can I help?",
    "Hello! What would you like to talk about?", "Hi! What can I help you with today?",
)
_TIME_GREETINGS = {
    time: templates(f"Good {time}! How can I help you today?", f"Good {time}! What can I do for you?")
    for time in ("morning", "afternoon", "evening", "day")
}
_HOW_ARE_YOU = templates(
    "I'm doing well, thanks for asking! How can I help you today?",
    "All good here, thank you! What can I do for you?",
    "I'm great, thanks! What would you like to work on?",
)
_WHO_ARE_YOU = templates(
    "I'm an AI assistant. I can answer questions, write and summarise text, translate, suggest names and ideas, "
    "and help with code. What would you like to do?",
)
_THANKS = templates(
    "You're welcome! Let me know if there is anything else I can help with.",
    "Happy to help! Is there anything else you need?", "Any time! Feel free to ask if anything else comes up.",
    "Glad I could help!",
)
_FAREWELL = templates("Goodbye! Have a great day.", "Bye! Feel free to come back any time.",
                      "Take care, and good luck!", "See you next time!")

_ROLE = templates(
    "Understood. I'm ready to help with {the_subject}.",
    "Share the details you have, such as your goal, any constraints and your preferences, and I will turn them "
    "into {a_subject}.",
    "If something important is missing, I will ask before filling it in.",
    "I will keep the result clear and structured, so it is easy to review and change.",
    "Where there are several reasonable options, I will suggest one and explain why.",
)

_ANSWER_OPENERS = templates("Here's a quick overview of {subject}.", "Sure! Let's talk about {subject}.",
                            "Happy to help with {subject}.")
_ANSWER_BODY = templates(
    "The key thing to know is that {subject} {is} mostly about {purpose}.",
    "In practice, {f1} and {f2} matter most.",
    "A good first step is to look at what you already have and decide what you want to improve.",
    "Many people find that {f1} makes the biggest difference early on.",
    "Over time, paying attention to {f3} pays off as well.",
)
_ANSWER_CLOSERS = templates("Is there a particular part of {subject} you would like to dive into?",
                            "What would you like to know more about?",
                            "Let me know if you want more detail on any of this.")
_REACTIONS = templates("That sounds great!", "Nice, thanks for sharing!", "I hear you.", "That makes sense.")
_FOLLOW_UPS = templates("What do you enjoy most about {subject}?", "How did you get into {subject}?",
                        "Is there anything about {subject} I can help you with?")
_PURPOSES = ("solving a specific problem in a repeatable way", "making complex things easier to manage",
             "turning information into better decisions", "getting reliable results with less effort")


def _factors(draw: Draw) -> dict[str, str]:
    f1, f2, f3 = draw.sample(W.FACTORS, 3)
    return {"f1": f1, "f2": f2, "f3": f3}


DRAWERS: dict[str, Drawer] = {
    "f1": _factors, "f2": _factors, "f3": _factors, "purpose": lambda draw: {"purpose": draw.choice(_PURPOSES)},
}


def greeting(prompt: Prompt, draw: Draw) -> Writer:
    """A greeting back: the time of day it was given, or an answer to "how are you" / "who are you"."""
    out = Writer()
    if prompt.detail == "who":
        out.add(draw.choice(_WHO_ARE_YOU), {})
    elif prompt.detail == "how":
        out.add(draw.choice(_HOW_ARE_YOU), {})
    else:
        out.add(draw.choice(_TIME_GREETINGS.get(prompt.detail, _GREETINGS)), {})
    return out


def thanks(prompt: Prompt, draw: Draw) -> Writer:
    out = Writer()
    out.add(draw.choice(_THANKS), {})
    return out


def farewell(prompt: Prompt, draw: Draw) -> Writer:
    out = Writer()
    out.add(draw.choice(_FAREWELL), {})
    return out


def role(prompt: Prompt, draw: Draw) -> Writer:
    """A system prompt alone: what the assistant will do in that role (four or five sentences)."""
    out, values = Writer(), forms_of(prompt)
    out.add(_ROLE[0], values)
    for template in draw.sample(_ROLE[1:], 3):
        out.add(template, values)
    return out


def reaction(prompt: Prompt, draw: Draw) -> Writer:
    """'I love hiking' → a reaction and a question back about hiking."""
    out, values = Writer(), forms_of(prompt)
    out.add(draw.choice(_REACTIONS), values)
    out.add(draw.choice(_FOLLOW_UPS), values)
    return out


def answer(prompt: Prompt, draw: Draw) -> Writer:
    """A short overview of the subject and a question back."""
    out, values = Writer(), Values(draw, DRAWERS, forms_of(prompt))
    out.add(draw.choice(_ANSWER_OPENERS), values)
    for template in draw.sample(_ANSWER_BODY, sentences_wanted(prompt, draw.between(3, 5)) - 2):
        out.add(template, values)
    out.add(draw.choice(_ANSWER_CLOSERS), values)
    return out


def sentences_wanted(prompt: Prompt, usual: int) -> int:
    """How many sentences a prose reply has: the prompt's "in 2 sentences" / "in 50 words", else `usual`."""
    if prompt.length is None:
        return usual
    value, unit = prompt.length
    return {"sentence": value, "word": max(1, value // 15), "paragraph": value * 3}.get(unit, usual)
