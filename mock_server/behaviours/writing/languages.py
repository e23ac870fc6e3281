"""Languages a reply can be asked for: translation targets (with a phrasebook) and code languages.

No model can translate offline, so a translation reads as one: whole phrases (greetings, shop and
UI strings) come from `PHRASEBOOK`, known words are translated word by word, names and numbers
stay, and any other word becomes a word of the target language from Faker's word lists, the same
word each time. Languages without a phrasebook column but with a Faker word list (Japanese,
Russian, Arabic…) are written in their own script that way, which is what a UI needs to be tried on.
"""

from __future__ import annotations

import importlib
import re
import zlib
from functools import cache

PHRASEBOOK_LANGUAGES = ("de", "fr", "es", "it", "nl", "pt")
# English | German | French | Spanish | Italian | Dutch | Portuguese
_PHRASES = """
hello|Hallo|Bonjour|Hola|Ciao|Hallo|Olá
hi|Hallo|Salut|Hola|Ciao|Hoi|Oi
good morning|Guten Morgen|Bonjour|Buenos días|Buongiorno|Goedemorgen|Bom dia
good evening|Guten Abend|Bonsoir|Buenas noches|Buonasera|Goedenavond|Boa noite
good night|Gute Nacht|Bonne nuit|Buenas noches|Buonanotte|Welterusten|Boa noite
how are you|Wie geht es dir|Comment allez-vous|Cómo estás|Come stai|Hoe gaat het|Como está
thank you|Danke|Merci|Gracias|Grazie|Dank je|Obrigado
thank you very much|Vielen Dank|Merci beaucoup|Muchas gracias|Grazie mille|Hartelijk dank|Muito obrigado
thanks|Danke|Merci|Gracias|Grazie|Bedankt|Obrigado
please|Bitte|S'il vous plaît|Por favor|Per favore|Alsjeblieft|Por favor
yes|Ja|Oui|Sí|Sì|Ja|Sim
no|Nein|Non|No|No|Nee|Não
goodbye|Auf Wiedersehen|Au revoir|Adiós|Arrivederci|Tot ziens|Adeus
welcome|Willkommen|Bienvenue|Bienvenido|Benvenuto|Welkom|Bem-vindo
add to cart|In den Warenkorb|Ajouter au panier|Añadir al carrito|Aggiungi al carrello|In winkelwagen|Adicionar ao carrinho
buy now|Jetzt kaufen|Acheter maintenant|Comprar ahora|Acquista ora|Nu kopen|Comprar agora
checkout|Zur Kasse|Passer la commande|Finalizar compra|Procedi all'acquisto|Afrekenen|Finalizar compra
free shipping|Kostenloser Versand|Livraison gratuite|Envío gratis|Spedizione gratuita|Gratis verzending|Frete grátis
out of stock|Nicht vorrätig|En rupture de stock|Agotado|Esaurito|Niet op voorraad|Esgotado
in stock|Auf Lager|En stock|En stock|Disponibile|Op voorraad|Em estoque
sign in|Anmelden|Se connecter|Iniciar sesión|Accedi|Inloggen|Entrar
sign up|Registrieren|S'inscrire|Registrarse|Registrati|Registreren|Cadastre-se
log out|Abmelden|Se déconnecter|Cerrar sesión|Esci|Uitloggen|Sair
search|Suchen|Rechercher|Buscar|Cerca|Zoeken|Pesquisar
shopping cart|Warenkorb|Panier|Carrito|Carrello|Winkelwagen|Carrinho
your order|Ihre Bestellung|Votre commande|Su pedido|Il tuo ordine|Uw bestelling|Seu pedido
order|Bestellung|commande|pedido|ordine|bestelling|pedido
price|Preis|prix|precio|prezzo|prijs|preço
product|Produkt|produit|producto|prodotto|product|produto
products|Produkte|produits|productos|prodotti|producten|produtos
customer|Kunde|client|cliente|cliente|klant|cliente
delivery|Lieferung|livraison|entrega|consegna|levering|entrega
shipping|Versand|expédition|envío|spedizione|verzending|envio
payment|Zahlung|paiement|pago|pagamento|betaling|pagamento
account|Konto|compte|cuenta|account|account|conta
settings|Einstellungen|paramètres|ajustes|impostazioni|instellingen|configurações
save|Speichern|Enregistrer|Guardar|Salva|Opslaan|Salvar
cancel|Abbrechen|Annuler|Cancelar|Annulla|Annuleren|Cancelar
continue|Weiter|Continuer|Continuar|Continua|Doorgaan|Continuar
back|Zurück|Retour|Atrás|Indietro|Terug|Voltar
new|neu|nouveau|nuevo|nuovo|nieuw|novo
the|der|le|el|il|de|o
a|ein|un|un|un|een|um
an|ein|un|un|un|een|um
and|und|et|y|e|en|e
or|oder|ou|o|o|of|ou
with|mit|avec|con|con|met|com
for|für|pour|para|per|voor|para
in|in|dans|en|in|in|em
on|auf|sur|en|su|op|em
of|von|de|de|di|van|de
to|zu|à|a|a|naar|para
is|ist|est|es|è|is|é
are|sind|sont|son|sono|zijn|são
it|es|il|lo|esso|het|ele
this|dies|ce|este|questo|dit|este
our|unser|notre|nuestro|nostro|ons|nosso
your|Ihr|votre|su|tuo|uw|seu
we|wir|nous|nosotros|noi|wij|nós
you|Sie|vous|usted|tu|u|você
i|ich|je|yo|io|ik|eu
my|mein|mon|mi|mio|mijn|meu
day|Tag|jour|día|giorno|dag|dia
time|Zeit|temps|tiempo|tempo|tijd|tempo
world|Welt|monde|mundo|mondo|wereld|mundo
love|Liebe|amour|amor|amore|liefde|amor
friend|Freund|ami|amigo|amico|vriend|amigo
home|Zuhause|maison|casa|casa|thuis|casa
house|Haus|maison|casa|casa|huis|casa
water|Wasser|eau|agua|acqua|water|água
coffee|Kaffee|café|café|caffè|koffie|café
bottle|Flasche|bouteille|botella|bottiglia|fles|garrafa
bicycle|Fahrrad|vélo|bicicleta|bicicletta|fiets|bicicleta
red|rot|rouge|rojo|rosso|rood|vermelho
blue|blau|bleu|azul|blu|blauw|azul
green|grün|vert|verde|verde|groen|verde
black|schwarz|noir|negro|nero|zwart|preto
white|weiß|blanc|blanco|bianco|wit|branco
small|klein|petit|pequeño|piccolo|klein|pequeno
large|groß|grand|grande|grande|groot|grande
big|groß|grand|grande|grande|groot|grande
good|gut|bon|bueno|buono|goed|bom
great|großartig|génial|genial|ottimo|geweldig|ótimo
fast|schnell|rapide|rápido|veloce|snel|rápido
easy|einfach|facile|fácil|facile|makkelijk|fácil
quality|Qualität|qualité|calidad|qualità|kwaliteit|qualidade
today|heute|aujourd'hui|hoy|oggi|vandaag|hoje
now|jetzt|maintenant|ahora|ora|nu|agora
here|hier|ici|aquí|qui|hier|aqui
very|sehr|très|muy|molto|zeer|muito
all|alle|tous|todos|tutti|alle|todos
more|mehr|plus|más|più|meer|mais
not|nicht|pas|no|non|niet|não
can|kann|peut|puede|può|kan|pode
have|haben|avoir|tener|avere|hebben|ter
has|hat|a|tiene|ha|heeft|tem
be|sein|être|ser|essere|zijn|ser
see|sehen|voir|ver|vedere|zien|ver
find|finden|trouver|encontrar|trovare|vinden|encontrar
use|verwenden|utiliser|usar|usare|gebruiken|usar
made|hergestellt|fabriqué|hecho|fatto|gemaakt|feito
from|aus|de|de|da|uit|de
"""
PHRASEBOOK: dict[str, dict[str, str]] = {}
for _line in _PHRASES.strip().splitlines():
    _english, *_translations = _line.split("|")
    PHRASEBOOK[_english] = dict(zip(PHRASEBOOK_LANGUAGES, _translations))

# language code → (English name, Faker locale of its word list or None)
LANGUAGES = {
    "de": ("German", "de_DE"), "fr": ("French", "fr_FR"), "es": ("Spanish", "es_ES"), "it": ("Italian", "it_IT"),
    "nl": ("Dutch", "nl_NL"), "pt": ("Portuguese", None), "ja": ("Japanese", "ja_JP"), "zh": ("Chinese", "zh_CN"),
    "ru": ("Russian", "ru_RU"), "ar": ("Arabic", "ar_AA"), "el": ("Greek", "el_GR"), "he": ("Hebrew", "he_IL"),
    "pl": ("Polish", "pl_PL"), "cs": ("Czech", "cs_CZ"), "uk": ("Ukrainian", "uk_UA"), "th": ("Thai", "th_TH"),
    "da": ("Danish", "da_DK"),
}
_NAMES = {name.lower(): code for code, (name, _) in LANGUAGES.items()}
_NAMES.update({"deutsch": "de", "francais": "fr", "español": "es", "espanol": "es", "mandarin": "zh",
               "portugese": "pt", "brazilian": "pt"})


def language_named(word: str) -> str | None:
    return _NAMES.get(word.lower())


def language_name(code: str) -> str:
    return LANGUAGES[code][0]


@cache
def _word_list(code: str) -> tuple[tuple[str, ...], str]:
    """A language's Faker word list and the string between its words (nothing, in Japanese)."""
    locale = LANGUAGES[code][1]
    if locale is None:
        return (), " "
    provider = importlib.import_module(f"faker.providers.lorem.{locale}").Provider
    return tuple(word for word in provider.word_list if word.strip()), provider.word_connector


_NOT_WORDS = re.compile(r"[^\w\s']")
_WORD_OR_NOT = re.compile(r"([^\W\d_][\w'-]*)|(\d[\d.,]*)|(\s+)|(.)", re.DOTALL)


def translate(source: str, code: str) -> str:
    """`source` as a text in language `code`: phrasebook phrases and words, names kept, the rest
    replaced by words of that language (chosen by a checksum of the word, so it is stable)."""
    column = code if code in PHRASEBOOK_LANGUAGES else None
    key = _NOT_WORDS.sub("", source).strip().lower()
    if column and key in PHRASEBOOK:
        phrase = PHRASEBOOK[key][column]
        return phrase + source.rstrip()[len(source.rstrip().rstrip("!?.")):]
    words, connector = _word_list(code)
    out: list[str] = []
    parts = _WORD_OR_NOT.findall(source)
    index = 0
    while index < len(parts):
        word, number, space, other = parts[index]
        index += 1
        if not word:
            out.append(number or (connector if space and connector == "" else space) or _PUNCTUATION.get(code, {}).get(
                other, other))
            continue
        known, used = _phrase_at(parts, index - 1, column)
        if known is not None:  # a phrase mid-sentence loses its capital; a word keeps the phrasebook's case
            index += used
            if word[:1].isupper():
                known = known[:1].upper() + known[1:]
            elif used:
                known = known[:1].lower() + known[1:]
            out.append(known)
        elif (word[:1].isupper() and out and not out[-1].rstrip().endswith((".", "!", "?"))) or not words:
            out.append(word)  # a name (capitalised mid-sentence) stays, as in a real translation
        else:
            chosen = words[zlib.crc32(word.lower().encode()) % len(words)]
            out.append(chosen[:1].upper() + chosen[1:] if word[:1].isupper() else chosen)
    return "".join(out).strip()


_PUNCTUATION = {"ja": {",": "、", ".": "。", "!": "！", "?": "？"}, "zh": {",": "，", ".": "。", "!": "！", "?": "？"}}
_LONGEST_PHRASE = max(len(phrase.split()) for phrase in PHRASEBOOK)
_PHRASE_STARTS = {phrase.split()[0] for phrase in PHRASEBOOK if " " in phrase}


def _phrase_at(parts: list[tuple[str, str, str, str]], start: int, column: str | None) -> tuple[str | None, int]:
    """The phrasebook's longest phrase starting at word `start` ("free shipping"), and how many more
    parts (words and the spaces between them) it spans."""
    if column is None:
        return None, 0
    word = parts[start][0].lower()
    if word not in _PHRASE_STARTS:
        entry = PHRASEBOOK.get(word)
        return (entry[column], 0) if entry else (None, 0)
    for length in range(_LONGEST_PHRASE, 0, -1):
        span = parts[start:start + 2 * length - 1]
        if len(span) < 2 * length - 1 or any(not part[0] for part in span[::2]) or any(
                not part[2] for part in span[1::2]):
            continue
        phrase = " ".join(part[0].lower() for part in span[::2])
        if phrase in PHRASEBOOK:
            return PHRASEBOOK[phrase][column], 2 * length - 2
    return None, 0


CODE_LANGUAGE_NAMES = {  # a word of the prompt → the code fence's language tag
    "typescript": "typescript", "tsx": "typescript", "javascript": "javascript", "node.js": "javascript",
    "nodejs": "javascript", "node": "javascript", "react": "jsx", "jsx": "jsx", "python": "python", "golang": "go",
    "rust": "rust", "kotlin": "kotlin", "java": "java", "c#": "csharp", "csharp": "csharp", "c++": "cpp", "sql": "sql",
    "bash": "bash", "shell": "bash", "html": "html", "css": "css", "php": "php", "ruby": "ruby", "swift": "swift",
    "yaml": "yaml", "json": "json",
}
