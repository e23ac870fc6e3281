"""Media: how bodies and headers look on the wire, one module per family.

Owns the codecs (`codecs` finds one by media type; `json`, `form`, `multipart`, `xml`, `text`,
`binary` each decode a request body into its schema's shape and encode an answer; `shapes` is what
they read in a schema, `samples` the files binary answers carry), `types` (Content-Type parsing,
media-range matching), `negotiation` (`Accept` with q-values and wildcards), `sse` (server-sent
events: encode, parse, check a stream against its contract), `authorization` (the bearer and basic
`Authorization` schemes).

May not import anything above `contracts` (no generation, state, behaviours or pipeline).
"""

from .codecs import BodyCodec, BodyShape, codec_for, family_of
from .negotiation import choose_media_type, parse_accept
from .types import is_json, match_media_type, media_type_of

__all__ = [
    "BodyCodec", "BodyShape", "choose_media_type", "codec_for", "family_of", "is_json", "match_media_type",
    "media_type_of", "parse_accept",
]
