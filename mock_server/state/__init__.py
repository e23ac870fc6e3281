"""State: everything a request can change and a later request can see, behind one interface.

Owns: `store` (the `Store` protocol: tokens, counters, deleted paths, the resources of
`--stateful`, runtime rules, the journal), `memory` (`MemoryStore`, the in-process default), `redis`
(`RedisStore`, shared by workers and replicas; imported only when `--state redis://…` asks for it,
with `redis_collections` and `redis_scripts`), `tokens` (minting bearer tokens).

May import `errors` and `contracts`; may not import behaviours, the pipeline or anything above.
"""

from .memory import MemoryStore
from .store import Journaled, Store
from .tokens import MintedToken, new_token

__all__ = ["Journaled", "MemoryStore", "MintedToken", "Store", "new_token"]
