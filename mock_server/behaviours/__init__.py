"""Behaviours: what an operation answers, by operationId; the generic answer for every other one.

Owns: `context` (what a behaviour is given: `Context`, the validated `Request`, control's
`Directive`), `reply` (what it returns: `Reply`), `registry` (operationId → behaviour, explicit),
`bundled` (the default registry), `generic` (examples or generated data from the contract),
`reflect` (generated answers that carry the request: path ids, sent fields), `filters` and
`paging` (lists as the query asks for them), `stateful` and `preload` (`serve --stateful`:
collections in the store, `--data`), `events` (generic event streams), and the API-specific
modules: `openai_chat`, `emporix_ai`, `oauth`, with `text` (token counting, seeds) and `writing`
(reply texts of the kind a prompt asks for) shared by the AI ones.

May import generate, media, state, contracts and settings; may not import the pipeline (serve/)
or anything above it: the pipeline calls behaviours, never the other way round.
"""

from .bundled import default_behaviours
from .context import Behaviour, Context, Directive, Request
from .registry import Registry
from .reply import Reply

__all__ = ["Behaviour", "Context", "Directive", "Registry", "Reply", "Request", "default_behaviours"]
