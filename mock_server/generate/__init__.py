"""Schema → value: compiled once at start-up, called per request with a seeded `Source`."""

from .source import Source, new_faker
from .values import Generator, compile_schema

__all__ = ["Generator", "Source", "compile_schema", "new_faker"]
