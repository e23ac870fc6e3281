"""State: everything a request can change and a later request can see.

Owns: `memory` (`ServerState`: the journal, rule sequence counters, quotas, deleted resources and
minted tokens of one process; `/__mock/reset` clears it) and `tokens` (minting bearer tokens).

May import `contracts`; may not import behaviours, the pipeline or anything above.
"""

from .memory import ServerState
from .tokens import MintedToken, mint_token

__all__ = ["MintedToken", "ServerState", "mint_token"]
