"""Media: how bodies and headers look on the wire, one module per family.

Owns: `types` (Content-Type parsing, JSON detection, media-range matching), `negotiation` (`Accept`
with q-values and wildcards), `sse` (server-sent events: encode, parse, check a stream against its
contract), `authorization` (the bearer and basic `Authorization` schemes).

May not import anything above `contracts` (no generation, state, behaviours or pipeline).
"""

from .negotiation import choose_media_type, parse_accept
from .types import is_json, match_media_type, media_type_of

__all__ = ["choose_media_type", "is_json", "match_media_type", "media_type_of", "parse_accept"]
