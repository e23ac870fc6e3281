"""Word lists the replies draw from: small, hand-picked for plausible copy, plus Faker's name lists.

Colours are ones a shop would name (no "papayawhip"); adjectives come with their article decided at
run time (grammar.article), so "an elegant" and "a sturdy" both come out right.
"""

from __future__ import annotations

from faker.providers.person.en_US import Provider as _People

QUALITIES = (
    "durability", "comfort", "precision", "reliability", "versatility", "ease of use", "performance",
    "efficiency", "safety", "style", "value for money", "quality", "longevity", "convenience",
)
ADJECTIVES = (
    "compact", "lightweight", "sturdy", "versatile", "elegant", "reliable", "practical", "robust", "modern",
    "ergonomic", "durable", "well-made", "easy-to-use", "award-winning", "thoughtfully designed", "efficient",
    "innovative", "premium", "understated", "everyday",
)
MATERIALS = (
    "hardened steel", "anodised aluminium", "recycled plastic", "solid oak", "stainless steel", "premium cotton",
    "tempered glass", "high-grade polymer", "full-grain leather", "organic cotton", "bamboo", "merino wool",
)
AUDIENCES = (
    "professionals", "families", "beginners and experts alike", "busy households", "hobbyists", "small businesses",
    "everyday users", "outdoor enthusiasts", "students", "frequent travellers",
)
PLACES = ("small spaces", "the workshop", "the kitchen", "the office", "any home", "tight corners", "the road",
          "a backpack", "the car")
COLOURS = (
    "black", "white", "silver", "graphite grey", "navy blue", "forest green", "sand beige", "deep red", "sky blue",
    "charcoal", "olive green", "stone grey", "midnight blue", "warm white",
)
FEATURES = (
    "a non-slip grip", "a scratch-resistant finish", "tool-free assembly", "replaceable parts", "a slim profile", "a protective storage case",
    "a quick-start guide", "easy cleaning", "a low-noise design", "an energy-saving mode",
)
CALLS_TO_ACTION = ("Order today", "Shop now", "Discover the range today", "Order yours today")
SHOP_PERKS = ("free shipping", "free returns", "fast delivery", "secure checkout", "a 30-day return policy")
FACTORS = ("cost", "time", "quality", "scale", "risk", "maintenance", "the people involved", "the tools available",
           "the budget", "long-term goals")
PLAN_STEPS = (
    ("Set the goal", "decide what a good result looks like, and by when"),
    ("Do your research", "look at a few options and what others recommend"),
    ("Make a plan", "break it into small steps and put them in order"),
    ("Check the budget and time", "make sure the plan fits what you have"),
    ("Start", "take the first step, even if it is a small one"),
    ("Review and adjust", "see what works, and change the plan where it does not"),
    ("Enjoy the result", "and note what you would do differently next time"),
)
STEPS = (
    ("Get ready", "gather what you need and check that you have access to everything involved"),
    ("Open the right place", "go to the settings, page or tool where this is handled"),
    ("Follow the prompts", "choose the option that matches your case and fill in the details asked for"),
    ("Check the details", "review what you entered before you confirm, since some changes cannot be undone"),
    ("Confirm", "save or submit, and wait for the confirmation message"),
    ("Verify the result", "make sure everything works as expected, and try again if it does not"),
    ("Keep a record", "note what you changed so you can repeat it or undo it later"),
)
TIP_LEADS = (
    "Start small", "Be consistent", "Plan ahead", "Keep it simple", "Measure what matters", "Ask for feedback",
    "Set a routine", "Use the right tools", "Learn from others", "Review regularly", "Take breaks",
    "Focus on quality", "Stay flexible", "Write things down", "Celebrate progress",
)
TIP_BODIES = (
    "a little every day beats a lot once in a while",
    "decide in advance what you want to achieve and how you will know",
    "the simplest approach is usually the one you will stick with",
    "a few minutes of preparation saves hours later",
    "other people often spot what you miss",
    "small improvements add up faster than you expect",
    "good habits make the hard parts easier",
    "keep track of what works and drop what does not",
)
BRAND_WORDS = (
    "Golden", "Urban", "Little", "Copper", "Blue", "North", "Wild", "Bright", "Silver", "Maple", "Harbor", "Summit",
    "Velvet", "Honest", "Ember", "Juniper", "Cedar", "Lumen", "Nova", "Atlas", "Pioneer", "Willow", "Cobalt", "Oak",
)
BRAND_ENDINGS = ("Co.", "Studio", "House", "Collective", "Works", "Lab", "& Co.", "Company", "Corner", "Club")
COINAGE_STARTS = ("Nova", "Lumi", "Zen", "Vira", "Orbi", "Kin", "Flux", "Sol", "Brio", "Cura", "Aero", "Veri")
COINAGE_ENDS = ("ly", "io", "ra", "nix", "va", "lo", "fy", "sta", "ence", "um")
PET_NAMES = (
    "Luna", "Milo", "Bella", "Oliver", "Charlie", "Daisy", "Max", "Nala", "Leo", "Coco", "Pepper", "Biscuit",
    "Maple", "Mochi", "Ziggy", "Olive", "Rocky", "Willow", "Simba", "Hazel",
)
CODENAMES = ("Phoenix", "Aurora", "Falcon", "Horizon", "Catalyst", "Everest", "Lighthouse", "Compass", "Nimbus",
             "Keystone", "Meridian", "Sparrow")
TOPIC_HEADS = ("The Complete Guide to", "Everything You Need to Know About", "A Beginner's Guide to",
               "Getting Started with", "The Future of", "Why We Love")
TOPIC_TAILS = ("What Nobody Tells You", "Lessons Learned", "A Practical Guide", "Tips, Tricks and Mistakes to Avoid",
               "What Really Matters", "Myths and Facts")
SIGN_OFFS = ("Best regards", "Kind regards", "Many thanks", "Warm regards", "Best wishes")
ROLES = ("Customer Success Manager", "Head of Operations", "Account Manager", "Product Manager", "Support Team Lead")

FIRST_NAMES = tuple(dict.fromkeys((*_People.first_names_female, *_People.first_names_male)))
LAST_NAMES = tuple(_People.last_names)
