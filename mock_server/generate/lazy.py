"""A mapping of declared things compiled the first time each is asked for.

Start-up then does not grow with what a contract declares, and memory grows with what is used:
the operations of a contract (serve/compiled.py) and the responses of an operation
(generate/responses.py) are both held this way. Iterating, `len` and `in` read the declarations
only. Compiling is deterministic, so a thing compiled late is the same as one compiled early.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Generic, TypeVar

Key = TypeVar("Key")
Declared = TypeVar("Declared")
Compiled = TypeVar("Compiled")


class CompiledOnUse(Mapping[Key, Compiled], Generic[Key, Declared, Compiled]):
    def __init__(self, declared: Mapping[Key, Declared], compile: Callable[[Declared], Compiled]) -> None:
        self._declared = declared
        self._compile = compile
        self._compiled: dict[Key, Compiled] = {}

    def __getitem__(self, key: Key) -> Compiled:
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(self._declared[key])
        return compiled

    def __contains__(self, key: object) -> bool:
        return key in self._declared

    def __iter__(self) -> Iterator[Key]:
        return iter(self._declared)

    def __len__(self) -> int:
        return len(self._declared)

    @property
    def declared(self) -> Mapping[Key, Declared]:
        return self._declared

    def compiled_count(self) -> int:
        return len(self._compiled)

    def uncompiled(self) -> list[Key]:
        """Declared keys not compiled yet (for the background warm-up)."""
        return [key for key in self._declared if key not in self._compiled]
