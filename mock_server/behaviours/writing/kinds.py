"""The kinds of reply a prompt can ask for (reading.py decides which; compose.py writes each)."""

GREETING = "greeting"  # "Hello", "How are you?"
THANKS = "thanks"  # "Thanks!"
FAREWELL = "farewell"  # "Bye"
ROLE = "role"  # a system prompt alone: "You are an assistant responsible for …"
QUESTION = "question"  # "What is machine learning?"
REASONS = "reasons"  # "Why is the sky blue?"
MECHANISM = "mechanism"  # "How does a refrigerator work?"
DEPENDS = "depends"  # "When should I …?", "Where can I …?"
FACT = "fact"  # "What is the capital of France?"
REACTION = "reaction"  # "I love hiking": a statement about oneself
YES_NO = "yes_no"  # "Is it safe to …?"
EXPLANATION = "explanation"  # "Explain recursion", "Describe the water cycle"
HOW_TO = "how_to"  # "How do I reset my password?"
MATH = "math"  # "What is 12 * 7?"
ANSWER = "answer"  # anything else in a chat
PRODUCT = "product"  # "Write a product description for …" (and every Emporix prompt without another kind)
SEO_TEXT = "seo_text"  # "Write an SEO text for …"
META_DESCRIPTION = "meta_description"  # "Write a meta description for …" (at most 160 characters)
META_TITLE = "meta_title"  # "SEO title for …" (at most 60 characters)
TITLES = "titles"  # "Suggest a title for my blog post about …"
KEYWORDS = "keywords"  # "Keywords for …", "hashtags for …"
NAMES = "names"  # "Suggest a name for a coffee shop"
SLOGANS = "slogans"  # "A slogan for …"
LIST = "list"  # "Give me 5 tips for …"
COMPARISON = "comparison"  # "Compare A and B"
EMAIL = "email"  # "Write an email to …"
POEM = "poem"  # "Write a poem about …"
STORY = "story"  # "Tell me a story about …"
JOKE = "joke"  # "Tell me a joke"
SUMMARY = "summary"  # "Summarise this: …"
TRANSLATION = "translation"  # "Translate … into German"
REWRITE = "rewrite"  # "Rewrite this more formally: …", "Make it shorter"
CODE = "code"  # "Write a Python function that …"
SOCIAL_POST = "social_post"  # "Write a tweet about our summer sale"
RECIPE = "recipe"  # "Give me a recipe for pancakes"
FAQ = "faq"  # "Create a FAQ for an online shoe store"
ARTICLE = "article"  # "Write a blog post / an essay / a paragraph about …": prose in paragraphs
BIO = "bio"  # "Write a short bio for a software engineer"
LIVE = "live"  # "What's the weather like today?": what a model cannot look up

TRANSFORMS = (SUMMARY, TRANSLATION, REWRITE)  # kinds that work on a text: the prompt's, else the last answer
# Kinds whose reply depends on the prompt only through its subject, count, length and `detail`:
# written once per (kind, those, whether the subject is plural, seed variant) with the subject left
# open, then filled in (skeleton.py).
SKELETAL = frozenset({
    GREETING, THANKS, FAREWELL, ROLE, QUESTION, REASONS, MECHANISM, DEPENDS, REACTION, YES_NO, EXPLANATION, HOW_TO,
    ANSWER, PRODUCT, SEO_TEXT, SUMMARY, ARTICLE, LIVE,
})
ALL = (
    GREETING, THANKS, FAREWELL, ROLE, QUESTION, REASONS, MECHANISM, DEPENDS, FACT, REACTION, YES_NO, EXPLANATION,
    HOW_TO, MATH, ANSWER, PRODUCT, SEO_TEXT,
    META_DESCRIPTION, META_TITLE, TITLES, KEYWORDS, NAMES, SLOGANS, LIST, COMPARISON, EMAIL, POEM, STORY, JOKE,
    SUMMARY, TRANSLATION, REWRITE, CODE, SOCIAL_POST, RECIPE, FAQ, ARTICLE, BIO, LIVE,
)
