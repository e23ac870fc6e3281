"""behaviours/writing: each kind of prompt gets a reply of its kind, deterministic, grammatical, and
split into exactly the tokens `text.TOKEN` finds."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mock_server.behaviours import text, writing
from mock_server.behaviours.writing import K, grammar, pieces, reading, skeleton, words
from mock_server.behaviours.writing.pieces import Draw, Template


def reply(prompt: str, seed: int = 1, default: str = K.ANSWER) -> writing.Written:
    return writing.write_prompt(prompt, seed, default)


def chat(*turns: tuple[str, str], seed: int = 1) -> writing.Written:
    return writing.write(tuple(turns), seed)


def sentences(value: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", value.strip()) if s]


def items(value: str) -> list[str]:
    """The lines of a Markdown list (numbered or bulleted)."""
    return re.findall(r"^(?:\d+\.|-) (.+)$", value, re.MULTILINE)


SEEDS = range(12)

# --- each kind of prompt gets its kind of reply ---------------------------------------------


@pytest.mark.parametrize("prompt", ["Hello", "Hi there!", "hey", "Good morning"])
def test_a_greeting_gets_a_short_greeting(prompt: str) -> None:
    for seed in SEEDS:
        value = reply(prompt, seed)
        assert value.kind == K.GREETING
        assert len(value.pieces) <= 20 and re.match(r"(Hello|Hi|Hey|Good morning)\b", value.text)
        assert "summar" not in value.text.lower()
    assert reply("Good morning").text.startswith("Good morning!")


def test_small_talk_gets_small_talk() -> None:
    assert re.search(r"\b(well|great|good)\b.*\bthank", reply("How are you?").text, re.IGNORECASE)
    assert "AI assistant" in reply("Who are you?").text
    assert re.search(r"welcome|help", reply("Thanks!").text)
    assert re.search(r"(?i)bye|take care|see you", reply("Bye").text)


def test_a_definition_question_gets_an_explanation_of_its_subject() -> None:
    value = reply("What is machine learning?")
    assert value.kind == K.QUESTION
    assert "machine learning" in value.text.lower() and len(sentences(value.text)) >= 3
    assert "the machine learning" not in value.text.lower()  # a topic, not a thing


def test_why_gets_reasons_and_how_gets_the_stages() -> None:
    why = reply("Why is the sky blue?")
    assert why.kind == K.REASONS and len(items(why.text)) == 3
    how = reply("How does a refrigerator work?")
    assert how.kind == K.MECHANISM and how.text.startswith("The refrigerator works in") and len(items(how.text)) >= 3


def test_a_yes_no_question_is_answered_yes_or_no() -> None:
    for seed in SEEDS:
        value = reply("Is it safe to eat raw eggs?", seed)
        assert value.kind == K.YES_NO and re.match(r"(Yes|No|Not|Generally|In most cases)\b", value.text)


def test_how_to_gets_numbered_steps_in_the_readers_words() -> None:
    value = reply("How do I reset my password?")
    assert value.kind == K.HOW_TO and "reset your password" in value.text
    steps = items(value.text)
    assert len(steps) >= 3 and steps[0].startswith("**Get ready**")
    assert len(items(reply("Give me 6 steps to set up a printer").text)) == 6


def test_facts_and_arithmetic_are_answered_right() -> None:
    assert reply("What is the capital of France?").text.startswith("The capital of France is Paris.")
    assert "don't have reliable information" in reply("What's the capital of Atlantis?").text
    assert reply("What is 12 * 7?").text == "12 * 7 = 84."
    assert reply("calculate (2 + 3) * 4.5").text == "(2 + 3) * 4.5 = 22.5."
    assert "undefined" in reply("What is 1/0?").text
    assert "too large" in reply("What is 9 ** 9 ** 9 ** 9?").text  # said so, not computed


def test_a_names_request_gets_names() -> None:
    one = reply("Suggest a name for a coffee shop")
    assert one.kind == K.NAMES and re.search(r"\*\*[A-Z][^*]+\*\*", one.text) and "a coffee shop" in one.text
    assert "warranty" not in one.text
    five = reply("Give me 5 names for my cat")
    names = items(five.text)
    assert len(names) == 5 and all(name.startswith("**") for name in names) and "your cat" in five.text
    assert {name.strip("*") for name in names} <= set(words.PET_NAMES)
    assert len(items(reply("Brainstorm three names for a new app").text)) == 3


def test_a_list_request_gets_a_list_of_that_many_items() -> None:
    value = reply("Give me 5 tips for better sleep")
    assert value.kind == K.LIST and len(items(value.text)) == 5 and "tips for better sleep" in value.text
    assert len(items(reply("List three ideas for a birthday party").text)) == 3
    assert all(line.startswith("- ") for line in reply("Give me some bullet points about onboarding").text.splitlines()
               if line and line[0] in "-0123456789")


def test_a_product_prompt_gets_a_grammatical_product_description() -> None:
    for seed in SEEDS:
        for prompt, subject in (("Write a product description for an electric kettle", "electric kettle"),
                                ("Write a product description for wool socks", "wool socks")):
            value = reply(prompt, seed, K.PRODUCT)
            assert value.kind == K.PRODUCT and subject in value.text and 5 <= len(sentences(value.text)) <= 8
            assert not re.search(r"\ba (?!one\b|one-|u)[aeiou]|\ban (?!hour|hon)[b-df-hj-np-tv-z]", value.text,
                                 re.IGNORECASE), value.text
            assert not re.search(r"\bwool socks (is|has)\b|\bit is available\b.*socks", value.text)
            colours = re.search(r"available in ([a-z ]+) and ([a-z ]+)\.", value.text)
            assert colours is None or {colours[1], colours[2]} <= set(words.COLOURS)


def test_every_emporix_prompt_without_another_kind_is_product_copy() -> None:
    assert reply("red bicycle", default=K.PRODUCT).kind == K.PRODUCT
    assert reply("red bicycle").kind == K.ANSWER  # in a chat, a bare phrase gets a conversational answer


def test_seo_texts_titles_and_keywords() -> None:
    seo = reply("Write an SEO text for wool socks", default=K.PRODUCT)
    assert seo.kind == K.SEO_TEXT and seo.text.startswith("## ") and len(re.findall(r"^- \*\*", seo.text, re.MULTILINE)) == 3
    for seed in SEEDS:
        meta = reply("Write a meta description for an electric kettle", seed, K.PRODUCT).text
        assert len(meta) <= 160 and "\n" not in meta and "electric kettle" in meta
        meta_title = reply("SEO title for an electric kettle", seed, K.PRODUCT)
        assert meta_title.kind == K.META_TITLE and len(meta_title.text) <= 60
    title = reply("Generate a product title for a stainless steel water bottle", default=K.PRODUCT).text
    assert "\n" not in title and "Stainless Steel Water Bottle" in title
    titles = reply("Suggest titles for a blog post about remote work").text
    assert len(items(titles)) == 5 and all("Remote Work" in line for line in items(titles))
    keywords = reply("Keywords for an umbrella", default=K.PRODUCT).text.split(", ")
    assert len(keywords) == 8 and all("umbrella" in keyword for keyword in keywords)
    hashtags = reply("Hashtags for a summer dress").text.split()
    assert hashtags[0] == "#SummerDress" and all(tag.startswith("#") for tag in hashtags)
    assert len(items(reply("A slogan for an organic bakery").text)) == 5


def test_a_comparison_gets_a_table() -> None:
    value = reply("Compare iPhone and Android").text
    assert "| | iPhone | Android |" in value and "|---|---|---|" in value
    assert len(re.findall(r"^\| \*\*", value, re.MULTILINE)) >= 4
    assert "| | tea | coffee |" in reply("What's the difference between tea and coffee?").text


def test_emails_poems_stories_and_jokes_have_their_shape() -> None:
    email = reply("Write an email to a customer about a delayed order").text
    assert email.startswith("Subject: Delayed Order\n\nDear ") and "a delayed order" in email
    assert re.search(r"\n\n(Best regards|Kind regards|Many thanks|Warm regards|Best wishes),\n[A-Z]", email)
    assert reply("Write an email to the team about the holiday schedule").text.split("\n\n")[1] == "Hi team,"
    poem = reply("Write a poem about the sea").text
    assert poem.startswith("**The Sea**") and len(poem.splitlines()) >= 10 and "the sea" in poem
    assert len(reply("Write a haiku about autumn").text.splitlines()) == 3
    assert "Once upon a time" in reply("Tell me a short story about a dragon").text
    assert "?" in reply("Tell me a joke").text


SOURCE = ("The meeting started late because the projector failed. The team reviewed the quarterly numbers, "
          "which showed sales up 12 percent. Marketing asked for more budget for the autumn campaign. Finance "
          "agreed to review the request next week. The meeting ended with a plan to hire two new engineers.")


def test_a_summary_is_shorter_than_what_it_summarises() -> None:
    for seed in SEEDS:
        value = reply(f"Summarise this: {SOURCE}", seed)
        assert value.kind == K.SUMMARY and len(value.text) < len(SOURCE)
        assert all(sentence in SOURCE for sentence in sentences(value.text.split(":", 1)[1]))
    short = reply("Summarize the following text:\nWe met. We talked about the weather for an hour.").text
    assert len(short) < len("We met. We talked about the weather for an hour.")
    invoice = reply("Summarise the attached invoice in one sentence.")
    assert len(sentences(invoice.text)) == 1 and invoice.text.startswith("The attached invoice from ")
    assert re.search(r"\b(EUR|USD|GBP) [\d,]+\.\d\d\b", invoice.text)


def test_a_translation_reads_as_one() -> None:
    assert reply("Translate 'Good morning' into German").text == "Guten Morgen"
    assert reply('How do you say "thank you" in Spanish?').text == "Gracias"
    french = reply("Translate this into French: Our new red bicycle is light and fast, with free shipping today.")
    intro, translated = french.text.split("\n\n")
    assert intro.endswith("French:") and "livraison gratuite" in translated and "aujourd'hui" in translated
    japanese = reply("Translate to Japanese: Thank you for your order, it ships tomorrow.").text
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", japanese.split("\n\n", 1)[1])
    assert "which language" in reply("Translate this: hello world").text.lower()
    earlier = chat(("user", "Say something nice"), ("assistant", "Thank you very much"),
                   ("user", "Now translate it into Italian"))
    assert earlier.text == "Grazie mille"


def test_a_rewrite_is_the_text_rewritten_as_asked() -> None:
    formal = reply("Rewrite this more formally: hey, we can't make it tomorrow, can we get a new date asap?").text
    assert "cannot" in formal and "can't" not in formal and "as soon as possible" in formal
    longer_answer = "We are really very excited about our new store. It opens on Monday. There will be cake."
    shorter = chat(("user", "Announce the store"), ("assistant", longer_answer), ("user", "Make it shorter"))
    body = shorter.text.split("\n\n", 1)[1]
    assert shorter.kind == K.REWRITE and len(body) < len(longer_answer) and "really" not in body
    assert "Please paste" in reply("Rewrite my text").text


def test_code_requests_get_a_code_block_in_the_language_asked_for() -> None:
    python = reply("Write a Python function that reverses a string").text
    assert "```python\ndef reverse_string(" in python and python.count("```") == 2
    sql = reply("Write a SQL query that finds all customers who ordered last month").text
    assert "```sql\n" in sql and "FROM customers AS c" in sql
    assert "```javascript\nfunction " in reply("Write a JavaScript function to sort a list of numbers").text
    as_json = reply("Return JSON for a red bicycle").text
    block = re.search(r"```json\n(.*?)\n```", as_json, re.DOTALL)
    assert block and json.loads(block.group(1))["name"] == "Red Bicycle"


def test_a_system_prompt_alone_gets_an_acknowledgement_and_a_statement_a_reaction() -> None:
    role = writing.write((("system", "You are an assistant responsible for creating a configuration."),), 1)
    assert role.kind == K.ROLE and role.text.startswith("Understood.") and "configuration" in role.text
    reaction = reply("I love hiking in the mountains")
    assert reaction.kind == K.REACTION and "hiking" in reaction.text and reaction.text.endswith("?")


def test_a_system_prompt_about_products_makes_product_copy_the_default() -> None:
    conversation = (("system", "You write product copy for our shop."), ("user", "a cordless drill"))
    assert writing.write(conversation, 1).kind == K.PRODUCT


def test_a_greeting_in_front_of_a_request_does_not_hide_it() -> None:
    assert reply("Hi! Can you write me a poem about autumn leaves?").kind == K.POEM


# --- the promises every reply keeps ---------------------------------------------------------

PROMPTS = [
    "Hello", "What is machine learning?", "Why is the sky blue?", "How do I reset my password?",
    "Suggest a name for a coffee shop", "Give me 5 tips for better sleep", "Write a product description for a red bicycle",
    "Write an SEO text for wool socks", "Compare tea and coffee", f"Summarise this: {SOURCE}",
    "Translate 'hello' into French", "Write a Python function that reverses a string", "Tell me a joke",
    "Write a poem about the sea", "What is 2+2?",
]


@pytest.mark.parametrize("prompt", PROMPTS)
def test_same_prompt_and_seed_same_reply_and_the_seed_varies_it(prompt: str) -> None:
    writing.write.cache_clear()
    first = reply(prompt, 7)
    skeleton._skeleton.cache_clear()
    assert reply(prompt, 7) == first  # the memo aside, the reply is recomputed identically
    if first.kind not in (K.MATH, K.TRANSLATION, K.SUMMARY):
        assert len({reply(prompt, seed).text for seed in range(8)}) > 1


@settings(max_examples=100, deadline=None)
@example("Give me ² names", 0, K.ANSWER)  # a digit int() cannot read
@given(st.one_of(st.sampled_from(PROMPTS), st.text(max_size=80)), st.integers(0, 2**64 - 1),
       st.sampled_from([K.ANSWER, K.PRODUCT]))
def test_a_reply_is_exactly_its_tokens(prompt: str, seed: int, default: str) -> None:
    """usage, max_tokens and the stream's deltas are computed from `pieces` without splitting the text."""
    value = reply(prompt, seed, default)
    assert value.text and list(value.pieces) == text.tokens(value.text)
    assert "\x00" not in value.text  # no stand-in subject leaks


SUBJECTS = ["red bicycle", "wool socks", "Python", "your cat", "electric kettle", "the attached report", "iPhone 15"]


@pytest.mark.parametrize("kind", sorted(K.SKELETAL))
def test_a_filled_skeleton_is_what_the_writer_writes_for_the_subject(kind: str) -> None:
    """A skeletal writer may read nothing of the prompt but its subject, count, length and detail."""
    write = writing.WRITERS[kind]
    for subject in SUBJECTS:
        for variant in range(4):
            prompt = reading.Prompt(kind, subject, "", count=3, length=None, about=subject, detail="")
            direct = write(prompt, Draw(variant)).done()
            forms = grammar.forms_of(prompt)
            shape = skeleton.shape_of(kind, 3, None, "", forms["is"] == "are")
            filled = skeleton.Skeleton.of(write(shape, Draw(variant)).done()).fill(forms)
            assert filled == direct


# --- the parts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [("elegant choice", "an"), ("sturdy choice", "a"), ("hour", "an"), ("honest answer", "an"), ("user", "a"),
     ("unique gift", "a"), ("umbrella", "an"), ("European brand", "a"), ("one-year warranty", "a"), ("FAQ", "an"),
     ("USB stick", "a"), ("8-inch pan", "an"), ("11-piece set", "an"), ("100-page book", "a"), ("X-ray", "an")],
)
def test_a_or_an(phrase: str, expected: str) -> None:
    assert grammar.article(phrase) == expected


def test_subject_forms_agree_with_the_subject() -> None:
    socks, kettle, python = (grammar.subject_forms(s) for s in ("wool socks", "electric kettle", "Python"))
    assert (socks["the_subject"], socks["is"], socks["it_is"], socks["a_subject"]) == (
        "the wool socks", "are", "they are", "wool socks")
    assert (kettle["a_subject"], kettle["is"], kettle["its"]) == ("an electric kettle", "is", "its")
    assert python["the_subject"] == "Python" and not grammar.is_plural("glass") and grammar.is_plural("glasses")


@pytest.mark.parametrize(
    ("prompt", "subject"),
    [
        ("Write a description for a red bicycle", "red bicycle"),
        ("a red bicycle", "red bicycle"),
        ("Write a product description of the Acme 3000 blender for kids.", "Acme 3000 blender"),
        ("Summarise the attached invoice in one sentence.", "attached invoice"),
        ("You are an assistant responsible for creating a configuration based on information.", "configuration"),
        ("Give me 5 tips for better sleep", "better sleep"),
        ("Tell me about the US economy", "US economy"),
        ("", "this product"),
    ],
)
def test_subject_of_a_prompt(prompt: str, subject: str) -> None:
    assert reading.subject_of(prompt) == subject


def test_the_subject_as_written_keeps_its_determiner_in_the_readers_words() -> None:
    assert reading.read_prompt("Tell me about my order history", K.ANSWER).about == "your order history"
    assert reading.read_prompt("Name ideas for a app", K.ANSWER).about == "an app"
    assert reading.read_prompt("Give me 5 tips for better sleep", K.ANSWER).about == "better sleep"


def test_a_template_may_not_let_a_value_touch_a_letter() -> None:
    """Where a value meets a letter, the tokens of the whole are not the tokens of the parts."""
    with pytest.raises(ValueError, match="touches"):
        Template("un{word}")
    with pytest.raises(ValueError, match="followed by a letter"):
        Template("{noun}s are great")
    with pytest.raises(ValueError, match="touches"):
        Template("{a}{b}")
    with pytest.raises(ValueError):
        pieces.split("trailing space ")


def test_draws_are_the_same_on_every_machine() -> None:
    """blake2b and integer arithmetic only: no hash randomisation, no platform RNG."""
    draw = Draw(2024)
    assert [draw.below(100) for _ in range(8)] == [68, 28, 28, 19, 90, 71, 10, 92]
    assert Draw(2024).sample("abcdefghij", 3) == Draw(2024).sample("abcdefghij", 3)


def test_posts_recipes_faqs_articles_bios_and_live_questions() -> None:
    post = reply("Write a tweet about our summer sale").text
    assert "our summer sale" in post.lower() and "#SummerSale" in post
    pancakes = reply("Give me a recipe for pancakes").text
    assert "**Ingredients**" in pancakes and "**Method**" in pancakes and "garlic" not in pancakes
    assert len(re.findall(r"^\*\*.+\?\*\*$", reply("Create a FAQ for an online shoe store").text, re.MULTILINE)) >= 4
    blog = reply("Write a blog post about remote work")
    assert blog.kind == K.ARTICLE and blog.text.startswith("## ") and blog.text.count("\n\n") >= 2
    bio = reply("Write a short bio for a software engineer").text
    assert " is a software engineer with " in bio
    weather = reply("What's the weather like today?")
    assert weather.kind == K.LIVE and "real time" in weather.text and "weather" in weather.text


def test_a_polite_request_is_read_as_the_request() -> None:
    assert reply("Can you explain recursion?").kind in (K.QUESTION, K.EXPLANATION)
    assert reply("Could you please write a haiku about rain").kind == K.POEM
    plan = reply("Can you help me plan a trip to Japan?")
    assert plan.kind == K.HOW_TO and "plan a trip to Japan" in plan.text and "settings" not in plan.text
