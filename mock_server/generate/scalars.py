"""Leaf generators: numbers within their bounds and strings within format, pattern and length."""

from __future__ import annotations

import math
import string
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from . import formats, names, quantities
from .entities import NO_ENTITY, Entity
from .regex import RegexGenerator, compile_regex
from .source import Source

SOFT_WIDTH = 1000
RETRIES = 8
Number = Fraction | int


def soft_window(low: Number | None, high: Number | None, width: Number = SOFT_WIDTH) -> tuple[Number, Number]:
    """A realistic sub-range: `int64` allows 2**63, but an id of 412 reads better in a mock."""
    if low is None and high is None:
        return 0, width
    if high is None:
        return low, low + width  # type: ignore[operator,return-value]
    if low is None:
        return (max(high - width, 0) if high > 0 else high - width), high
    if high - low <= width:
        return low, high
    if low <= 0 <= high:
        return 0, min(high, width)
    return (low, low + width) if low > 0 else (high - width, high)


def _exact(value: Any) -> Fraction | None:
    return None if value is None or isinstance(value, bool) else Fraction(str(value))


@dataclass(frozen=True, slots=True)
class Bounds:
    """Inclusive/exclusive numeric bounds read once from the schema, kept exact."""

    low: Fraction | None
    high: Fraction | None
    low_open: bool
    high_open: bool
    step: Fraction | None

    @classmethod
    def of(cls, schema: dict[str, Any]) -> Bounds:
        low, high = _exact(schema.get("minimum")), _exact(schema.get("maximum"))
        xlow, xhigh = _exact(schema.get("exclusiveMinimum")), _exact(schema.get("exclusiveMaximum"))
        low_open = xlow is not None and (low is None or xlow >= low)
        high_open = xhigh is not None and (high is None or xhigh <= high)
        step = _exact(schema.get("multipleOf"))
        return cls(xlow if low_open else low, xhigh if high_open else high, low_open, high_open,
                   step if step and step > 0 else None)

    def integer_range(self) -> tuple[int | None, int | None]:
        low = None if self.low is None else (math.floor(self.low) + 1 if self.low_open else math.ceil(self.low))
        high = None if self.high is None else (math.ceil(self.high) - 1 if self.high_open else math.floor(self.high))
        return low, high


def _multiples(step: Fraction, low: Number, high: Number) -> tuple[int, int]:
    return math.ceil(Fraction(low) / step), math.floor(Fraction(high) / step)


def hinted_window(
    hint: quantities.NumberHint | None, low: Number | None, high: Number | None
) -> tuple[Number, Number] | None:
    """The name's realistic window cut to the schema's bounds; None when they do not overlap."""
    if hint is None:
        return None
    window_low, window_high = Fraction(str(hint.low)), Fraction(str(hint.high))
    if low is not None:
        window_low = max(window_low, Fraction(low))
    if high is not None:
        window_high = min(window_high, Fraction(high))
    return (window_low, window_high) if window_low <= window_high else None


class IntegerNode:
    """An integer in a window worked out once from the bounds and the field's name (ids from 1,
    a `quantity` of 1–20), as multiples of `multipleOf`."""

    __slots__ = ("fallback", "high", "low", "unit")

    def __init__(self, bounds: Bounds, hint: quantities.NumberHint | None = None) -> None:
        low, high = bounds.integer_range()
        step = bounds.step
        self.unit = step.numerator if step is not None else 1
        self.fallback = low if low is not None else 0
        self.low: int | None = None
        self.high = 0
        soft = hinted_window(hint, low, high) or soft_window(low, high)
        for window in (soft, (low if low is not None else -(2**63), high if high is not None else 2**63)):
            kmin, kmax = _multiples(Fraction(self.unit), *window)
            if kmin <= kmax:
                self.low, self.high = kmin, kmax
                break

    def __call__(self, source: Source, budget: int) -> int:
        if self.low is None:
            return self.fallback
        return source.rng.randint(self.low, self.high) * self.unit


class NumberNode:
    """A number in a window worked out once from the bounds and the field's name (a price with two
    decimals, a `rating` of 1–5 with one), checked exactly against exclusive bounds."""

    __slots__ = ("bounds", "decimals", "high", "low")

    def __init__(self, bounds: Bounds, hint: quantities.NumberHint | None = None) -> None:
        self.bounds = bounds
        self.low, self.high = hinted_window(hint, bounds.low, bounds.high) or soft_window(bounds.low, bounds.high)
        self.decimals = hint.decimals if hint is not None else 2

    def __call__(self, source: Source, budget: int) -> float | int:
        b = self.bounds
        low, high = self.low, self.high
        if b.step is not None:
            return self._multiple(source, b.step, low, high)
        value = None
        for _ in range(RETRIES):
            value = round(source.rng.uniform(float(low), float(high)), self.decimals)
            if self._inside(value):
                return value
        return float((Fraction(low) + Fraction(high)) / 2) if low != high else float(low)

    def _inside(self, value: float) -> bool:
        b = self.bounds
        if b.low is None and b.high is None:
            return True
        exact = Fraction(value)
        if b.low is not None and (exact < b.low or (b.low_open and exact == b.low)):
            return False
        return not (b.high is not None and (exact > b.high or (b.high_open and exact == b.high)))

    def _multiple(self, source: Source, step: Fraction, low: Number, high: Number) -> float | int:
        b = self.bounds
        hard = (b.low if b.low is not None else Fraction(-(10**15)), b.high if b.high is not None else Fraction(10**15))
        kmin, kmax = _multiples(step, low, high)
        if kmin > kmax:
            kmin, kmax = _multiples(step, *hard)
        value = step * kmin
        for _ in range(RETRIES):
            value = step * source.rng.randint(kmin, max(kmin, kmax))
            as_float = float(value)
            if self._inside(as_float) and (as_float / float(step)).is_integer():
                break
        return int(value) if value.denominator == 1 else float(value)


def fit(text: str, low: int, high: int | None, source: Source) -> str:
    """Cut or pad text to the length window; padding uses letters so it reads as a word."""
    if high is not None and len(text) > high:
        cut = text[:high].rstrip()
        text = cut if len(cut) >= low else text[:high]
    if len(text) < low:
        text += "".join(source.rng.choice(string.ascii_lowercase) for _ in range(low - len(text)))
    return text


@dataclass(frozen=True, slots=True)
class StringNode:
    """A guess from the field's name when the contract's pattern and lengths accept it, else
    pattern, then format, then words; all kept in length."""

    low: int
    high: int | None
    format: str | None
    regex: RegexGenerator | None
    provider: names.NameProvider | None

    @classmethod
    def of(cls, schema: dict[str, Any], name: str | None, entity: Entity = NO_ENTITY) -> StringNode:
        declared = schema.get("format")
        fmt = declared if declared in formats.FORMATS else None  # unknown formats: the name still hints
        pattern = schema.get("pattern")
        regex = compile_regex(pattern) if isinstance(pattern, str) else None
        low = int(schema.get("minLength", 0))
        high = int(schema["maxLength"]) if "maxLength" in schema else None
        return cls(low=low, high=high, format=fmt, regex=regex,
                   provider=names.string_provider(name, entity, fmt, (low, high)))

    def _fits(self, text: str) -> bool:
        return len(text) >= self.low and (self.high is None or len(text) <= self.high)

    def __call__(self, source: Source, budget: int) -> str:
        provider = self.provider
        if provider is not None:
            text = provider.make(source)
            if self._fits(text) and (self.regex is None or self.regex.matches(text)):
                return text
            if not provider.exact and self.regex is None and self.format is None:
                return fit(text, self.low, self.high, source)
        if self.regex is not None:
            return self._from_regex(source, self.regex)
        if self.format == "byte":
            return self._base64(source)
        if self.format is not None:
            return self._exact(source, formats.FORMATS[self.format])
        if provider is not None and provider.exact:
            return self._exact(source, provider.make)
        return self._words(source)

    def _exact(self, source: Source, make: formats.FormatFn) -> str:
        text = ""
        for _ in range(RETRIES):
            text = make(source)
            if self._fits(text):
                return text
        return fit(text, self.low, self.high, source)

    def _from_regex(self, source: Source, regex: RegexGenerator) -> str:
        text = ""
        for _ in range(RETRIES * 3):
            text = regex.generate(source.rng)
            if self._fits(text) and regex.matches(text):
                return text
        fitted = fit(text, self.low, self.high, source)
        return fitted if regex.matches(fitted) else text

    def _base64(self, source: Source) -> str:
        high = self.high if self.high is not None else max(self.low, 32)
        quads = [n for n in range(math.ceil(self.low / 4), high // 4 + 1)]
        if not quads:
            return fit("", self.low, self.high, source)
        soft = [n for n in quads if n <= 8] or quads[:1]
        return formats.base64_of(source, 3 * source.rng.choice(soft))

    def _words(self, source: Source) -> str:
        high = self.high if self.high is not None else max(self.low + 8, 24)
        target = source.rng.randint(max(self.low, min(high, 3)), max(self.low, min(high, self.low + 24)))
        text = " ".join(formats.words(source, source.rng.randint(1, 3)))
        while len(text) < target:
            text += " " + source.rng.choice(formats.WORDS)
        return fit(text, self.low, high, source)
