"""Schema → value: compiled once at start-up, called per request with a seeded `Source`.

    faker = new_faker()                                   # once per app
    generate = compile_schema(schema, defs, name="pet")   # once per schema, at start-up
    value = generate(Source.from_seed(seed, faker))       # per request; same seed, same value

Modules, in the order a schema flows through them: `values` (the compiler), `merge` (allOf/$ref
folding), `refs` (ref resolution, recursion detection), `nodes` (combinators), `containers`
(objects, arrays), `scalars` (numbers, strings), `formats`, then what makes values look real:
`entities` (what an object is, from its title, ref or holding property), `names` (strings by the
field's name and entity), `makers` and `wordlists` (the values), `people` (one persona per user-like
object), `dates` (past, future, birth, around `source.now`), `quantities` (number windows by name);
`regex` (strings matching `pattern`), `source` (the seeded RNG and Faker), `examples` (declared
examples that fit their schema), `headers` (response headers by example or meaning), `responses`
(every declared response of an operation, compiled: example or generator, validator, headers,
media type chosen by `Accept`), and `fitting` (known values written into generated objects where
their schema takes them; resource seeds).

May import `contracts` and `media`; may not import state, behaviours, the pipeline or anything above.
"""

from .source import Source, new_faker
from .values import Generator, compile_schema

__all__ = ["Generator", "Source", "compile_schema", "new_faker"]
