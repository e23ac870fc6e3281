"""The cue words of a prompt: which words and phrases say what kind of reply is wanted.

Looked up word by word in dictionaries built once: one regular expression splits the instruction
into words, then each word (and the phrases starting with it) is a dictionary lookup. A single
regular expression with an alternative per cue took ~100 us on a one-line prompt, more than the
rest of a reply together.
"""

from __future__ import annotations

import re

CUE_PHRASES: dict[str, tuple[str, ...]] = {
    "code_lang": ("python", "javascript", "typescript", "java", "golang", "go code", "rust", "sql", "bash",
                  "shell script", "html", "css", "php", "ruby", "kotlin", "swift", "react", "node", "nodejs", "node.js",
                  "c++", "c#", "csharp", "yaml", "jsx", "tsx"),
    "code_noun": ("code", "function", "functions", "script", "snippet", "class", "method", "regex",
                  "regular expression", "algorithm", "program", "query", "component", "endpoint", "unit test",
                  "unit tests", "implement", "implements", "implementation", "hook"),
    "json": ("json",),
    "translate": ("translate", "translates", "translated", "translating", "translation", "translations",
                  "how do you say", "how would you say", "how can i say", "how do i say"),
    "summary": ("summarise", "summarize", "summarised", "summarized", "summarising", "summarizing", "summary",
                "summaries", "tldr", "tl dr", "sum up", "sum it up", "sum this up", "sum that up", "recap",
                "key points", "main points", "gist"),
    "rewrite": ("rewrite", "re-write", "rephrase", "paraphrase", "reword", "proofread", "shorten", "simplify",
                "polish", "improve this", "improve the", "improve my", "improve it", "fix the grammar",
                "fix my grammar", "fix the spelling", "fix the typos", "fix typos", "fix grammar", "fix spelling",
                "fix this", "make it shorter", "make it longer", "make it more", "make it less", "make it sound",
                "make this shorter", "make this longer", "make this more", "make this less", "make this sound",
                "make that shorter", "make it friendlier", "make it clearer", "make it simpler", "make it better"),
    "email": ("email", "e-mail", "emails", "letter", "cover letter", "newsletter", "message to", "reply to"),
    "name_ask": ("should i call", "should we call", "should i name", "should we name", "name for", "names for",
                 "name ideas", "names ideas", "naming"),
    "names": ("name", "names"),
    "slogan": ("slogan", "slogans", "tagline", "taglines", "motto", "mottos", "catchphrase", "catchphrases"),
    "meta": ("meta", "meta-description", "metadescription", "meta-title"),
    "seo": ("seo",),
    "keywords": ("keyword", "keywords", "key words", "hashtag", "hashtags", "tags"),
    "title": ("title", "titles", "headline", "headlines", "heading", "headings", "subject line", "subject lines"),
    "poem": ("poem", "poems", "poetry", "haiku", "limerick", "sonnet", "verse", "rhyme", "song", "lyrics"),
    "story": ("story", "stories", "tale", "fable", "bedtime"),
    "joke": ("joke", "jokes", "pun", "puns", "funny", "make me laugh"),
    "compare": ("compare", "comparison", "versus", "vs", "difference between", "differences between",
                "pros and cons", "better than"),
    "steps": ("how do i", "how can i", "how should i", "how would i", "how do you", "how can you", "how do we",
              "how can we", "how to", "steps to", "step to", "steps for", "step-by-step", "step by step", "guide to",
              "instructions"),
    "list": ("list", "tips", "ideas", "ways", "reasons", "examples", "suggestions", "options", "bullet", "bullets",
             "checklist", "things to", "benefits", "advantages", "disadvantages", "features"),
    "social": ("tweet", "tweets", "caption", "instagram", "linkedin", "facebook", "social media"),
    "bio": ("bio", "biography", "about me", "profile summary"),
    "recipe": ("recipe", "recipes", "ingredients", "how to cook", "how to bake", "how do i cook", "how do i bake"),
    "faq": ("faq", "faqs", "frequently asked questions"),
    "article": ("article", "essay", "blog", "paragraph", "paragraphs", "about us", "introduction", "announcement",
                "press release", "speech", "report"),
    "live": ("weather", "forecast", "news", "headlines today", "stock price", "exchange rate", "what time is it",
             "score"),
    "describe": ("describe", "describes", "described", "describing", "description", "descriptions"),
    "product": ("product", "products", "shop", "store", "ecommerce", "e-commerce", "catalog", "catalogue",
                "listing", "sell", "selling", "customer", "customers", "brand", "webshop"),
    "explain": ("explain", "define", "definition", "meaning of", "tell me about", "teach me", "eli5", "overview",
                "what does"),
    "write": ("write", "create", "generate", "draft", "compose", "give me", "suggest", "come up with", "brainstorm",
              "make", "need", "propose", "produce", "craft", "provide", "recommend", "list", "think of", "help me"),
}

_TOKEN = re.compile(r"[\w'+#-]+(?:\.\w+)*|[,.;:!?\n\"“”]")
_SINGLE: dict[str, tuple[str, ...]] = {}
_PHRASES: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = {}  # first two words → (words, cue)
for _cue, _phrases in CUE_PHRASES.items():
    for _phrase in _phrases:
        _words = tuple(_phrase.split())
        if len(_words) == 1:
            _SINGLE[_phrase] = (*_SINGLE.get(_phrase, ()), _cue)
        else:
            _PHRASES.setdefault(_words[:2], []).append((_words, _cue))


def words_of(text: str) -> list[str]:
    """The words and punctuation marks of a text ('c++', 'node.js' and "what's" are one word each;
    a phrase never spans a comma). One split serves the cues and the subject (subjects.py)."""
    return _TOKEN.findall(text)


def cues_of(words: list[str]) -> set[str]:
    """Every cue whose word or phrase occurs in `words`."""
    found: set[str] = set()
    for index, (word, after) in enumerate(zip(words, [*words[1:], ""])):
        single = _SINGLE.get(word)
        if single:
            found.update(single)
        phrases = _PHRASES.get((word, after))
        if phrases:
            for phrase, cue in phrases:
                if len(phrase) == 2 or tuple(words[index:index + len(phrase)]) == phrase:
                    found.add(cue)
        if word == "top" and after.isdigit():
            found.add("list")  # "top 10"
    return found
