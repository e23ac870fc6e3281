"""Short word lists for what Faker's en_US providers lack: pet names, categories, tags, products,
neutral names of things, common colours, roles. Plain data, part of the output's bytes: change a list
and every seed's answer changes with it."""

from __future__ import annotations

PET_NAMES = (
    "Bella", "Luna", "Max", "Charlie", "Lucy", "Cooper", "Daisy", "Milo", "Bailey", "Rocky", "Coco", "Buddy",
    "Sadie", "Teddy", "Molly", "Bear", "Lola", "Duke", "Rosie", "Tucker", "Maggie", "Oliver", "Pepper", "Leo",
    "Stella", "Zeus", "Nala", "Loki", "Ruby", "Winston", "Penny", "Oscar", "Ginger", "Jasper", "Willow",
    "Biscuit", "Mochi", "Simba", "Cleo", "Finn", "Hazel", "Murphy", "Olive", "Rex", "Shadow", "Toby", "Ziggy",
    "Pumpkin", "Sasha", "Bruno",
)
PET_CATEGORIES = ("Dogs", "Cats", "Birds", "Fish", "Reptiles", "Rabbits", "Small Animals", "Horses")
PET_TAGS = (
    "friendly", "playful", "house-trained", "vaccinated", "neutered", "good-with-kids", "senior", "puppy",
    "kitten", "indoor", "outdoor", "calm", "energetic", "rescue", "hypoallergenic",
)
CATEGORIES = (
    "Electronics", "Books", "Home & Garden", "Toys", "Sports", "Clothing", "Beauty", "Grocery",
    "Office Supplies", "Outdoors", "Health", "Automotive", "Jewelry", "Music", "Kitchen", "Pet Supplies",
)
TAGS = (
    "new", "featured", "sale", "popular", "bestseller", "limited", "eco", "premium", "clearance", "gift",
    "trending", "seasonal", "exclusive", "organic", "handmade", "refurbished",
)
PRODUCT_ADJECTIVES = (
    "Ergonomic", "Rustic", "Sleek", "Handcrafted", "Recycled", "Compact", "Wireless", "Classic", "Premium",
    "Lightweight", "Durable", "Modern", "Vintage", "Portable", "Smart", "Organic",
)
PRODUCT_MATERIALS = (
    "Steel", "Wooden", "Cotton", "Leather", "Bamboo", "Ceramic", "Glass", "Wool", "Aluminum", "Linen",
    "Granite", "Rubber", "Copper", "Silk",
)
PRODUCT_NOUNS = (
    "Chair", "Lamp", "Backpack", "Headphones", "Mug", "Desk", "Jacket", "Bottle", "Keyboard", "Watch",
    "Sneakers", "Blender", "Table", "Wallet", "Speaker", "Scarf", "Kettle", "Notebook", "Sunglasses", "Pillow",
)
NAME_ADJECTIVES = (
    "Amber", "Blue", "Bright", "Cedar", "Crimson", "Golden", "Granite", "Hidden", "Lunar", "Maple", "Northern",
    "Quiet", "Rapid", "Silver", "Summit", "Coral", "Emerald", "Iron", "Misty", "Solar",
)
NAME_NOUNS = (
    "Harbor", "Falcon", "Ridge", "River", "Meadow", "Canyon", "Beacon", "Orchard", "Atlas", "Comet", "Forest",
    "Lake", "Peak", "Willow", "Horizon", "Spark", "Voyage", "Garden", "Bridge", "Compass",
)
COLOURS = (
    "Black", "White", "Red", "Blue", "Navy", "Green", "Gray", "Silver", "Beige", "Brown", "Yellow", "Orange",
    "Purple", "Pink", "Teal", "Olive", "Maroon", "Gold",
)
ROLES = ("admin", "editor", "viewer", "owner", "member", "manager", "support", "billing")
FILE_EXTENSIONS = ("pdf", "png", "jpg", "csv", "docx", "xlsx", "txt", "zip")
FILE_STEMS = (
    "invoice", "report", "contract", "receipt", "photo", "summary", "statement", "presentation", "proposal",
    "export", "backup", "notes", "agenda", "diagram",
)
JOB_TITLES = (
    "Software Engineer", "Product Manager", "Account Executive", "Data Analyst", "Designer", "Sales Manager",
    "Customer Success Manager", "Marketing Specialist", "Operations Lead", "Engineering Manager", "Consultant",
    "Support Specialist", "Chief Technology Officer", "Recruiter", "Financial Analyst",
)
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
CITIES = (
    "Springfield", "Portland", "Austin", "Denver", "Madison", "Boston", "Seattle", "Chicago", "Nashville",
    "Phoenix", "Raleigh", "Salem", "Columbus", "Richmond", "San Diego", "Sacramento", "Atlanta", "Pittsburgh",
    "Minneapolis", "Milwaukee", "Omaha", "Tucson", "Boise", "Savannah", "Charleston", "Lincoln", "Dayton",
    "Eugene", "Fresno", "Albany",
)
STREETS = (
    "Oak", "Maple", "Main", "Pine", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park", "Sunset", "River",
    "Church", "Mill", "Highland", "Forest", "Jackson", "Lincoln", "Spring", "Walnut",
)
STREET_SUFFIXES = ("Street", "Avenue", "Road", "Lane", "Drive", "Boulevard", "Way", "Court", "Place")
COMPANY_SUFFIXES = ("Inc", "LLC", "Group", "Ltd", "& Co", "Partners", "Labs", "Holdings")
TLDS = ("com", "net", "org", "io")
DEPARTMENTS = ("Engineering", "Sales", "Marketing", "Finance", "Support", "Operations", "Legal", "Human Resources")
LOCALES = ("en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "it-IT", "nl-NL", "pt-BR", "ja-JP", "sv-SE", "pl-PL", "da-DK")
MIME_TYPES = ("application/pdf", "image/png", "image/jpeg", "text/plain", "text/csv", "application/json", "application/zip")
STATUSES = ("active", "pending", "inactive")
DOC_TOPICS = (
    "authentication", "authorization", "validation", "rate-limits", "not-found", "conflicts", "server-errors",
    "request-format", "quotas", "permissions",
)
