"""Property tests over the real-world corpus: every schema generates values its validator accepts,
and every generated `oneOf` value fits exactly one branch.

The schemas are those the server compiles: each operation's request and response bodies and every
component schema of each corpus contract, in both directions (requests do not require readOnly
properties; responses carry no writeOnly ones), plus every `oneOf` nested anywhere in them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mock_server.contracts.index import Contract
from mock_server.contracts.loading import load_contracts
from mock_server.contracts.validators import compile_validator
from mock_server.generate import Source, compile_schema, new_faker
from tests.fixtures.corpus import corpus_contracts

FAKER = new_faker()
SWEEP_SEEDS = range(3)
PROPERTY = settings(max_examples=200, deadline=None, derandomize=True, database=None)


@dataclass(frozen=True, eq=False)  # hashed by identity: the compiled generators are cached per case
class Case:
    where: str
    schema: Any
    defs: Mapping[str, Any]

    def __repr__(self) -> str:  # hypothesis prints the failing case: keep it to where it is
        return self.where


@cache
def contracts() -> tuple[tuple[str, Contract], ...]:
    """(corpus folder name, contract) for each corpus contract."""
    return tuple((path.parent.name, contract) for path in corpus_contracts() for contract in load_contracts([path]))


def _bodies(name: str, contract: Contract) -> Iterator[Case]:
    for op in contract.operations:
        if op.request_body is not None:
            for media_type, media in op.request_body.content.items():
                if media.schema is not None:
                    yield Case(f"{name} {op.operation_id} request {media_type}", media.schema, op.request_defs)
        for status, response in op.responses.items():
            for media_type, media in response.content.items():
                if media.schema is not None:
                    yield Case(f"{name} {op.operation_id} {status} {media_type}", media.schema, op.response_defs)


def _components(name: str, contract: Contract) -> Iterator[Case]:
    if not contract.operations:
        return
    first = contract.operations[0]
    for direction, defs in (("request", first.request_defs), ("response", first.response_defs)):
        for component in defs:
            yield Case(f"{name} #/components/schemas/{component} ({direction})", {"$ref": _pointer(component)}, defs)


def _pointer(name: str) -> str:
    return "#/$defs/" + name.replace("~", "~0").replace("/", "~1")


@cache
def schemas() -> tuple[Case, ...]:
    return tuple(case for name, contract in contracts() for case in [*_bodies(name, contract), *_components(name, contract)])


def _one_ofs(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    stack = [(node, where)]
    while stack:
        current, path = stack.pop()
        if isinstance(current, dict):
            if isinstance(current.get("oneOf"), list) and current["oneOf"]:
                yield path, current
            stack.extend((v, f"{path}/{k}") for k, v in current.items()
                         if k not in ("enum", "const", "example", "examples", "default"))
        elif isinstance(current, list):
            stack.extend((v, f"{path}/{i}") for i, v in enumerate(current))


@cache
def one_ofs() -> tuple[Case, ...]:
    """Every distinct oneOf of the corpus (component schemas, both directions, and inline ones)."""
    found: dict[str, Case] = {}
    for name, contract in contracts():
        if not contract.operations:
            continue
        first = contract.operations[0]
        for direction, defs in (("request", first.request_defs), ("response", first.response_defs)):
            for where, schema in _one_ofs(defs, f"{name} ({direction}) #/$defs"):
                found.setdefault(where, Case(where, schema, defs))
        for case in _bodies(name, contract):
            for where, schema in _one_ofs(case.schema, case.where):
                found.setdefault(where, Case(where, schema, case.defs))
    return tuple(found.values())


@cache
def _generator(case: Case) -> Any:
    return compile_schema(case.schema, case.defs)


@cache
def _validator(case: Case) -> Any:
    return compile_validator(case.schema, case.defs)


@cache
def _branches(case: Case) -> tuple[Any, ...]:
    return tuple(compile_validator(branch, case.defs) for branch in case.schema["oneOf"])


def _check_valid(case: Case, seed: int) -> None:
    value = _generator(case)(Source.from_seed(seed, FAKER))
    errors = [f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in _validator(case).iter_errors(value)]
    assert not errors, (case.where, repr(value)[:2000], errors[:3])


def _check_exactly_one(case: Case, seed: int) -> None:
    value = _generator(case)(Source.from_seed(seed, FAKER))
    matching = [i for i, branch in enumerate(_branches(case)) if branch.is_valid(value)]
    assert len(matching) == 1, (case.where, repr(value)[:2000], matching)


def test_the_corpus_has_schemas_and_discriminated_one_ofs() -> None:
    assert len(schemas()) > 500
    assert sum("discriminator" in case.schema for case in one_ofs()) >= 5


@pytest.mark.parametrize("contract", [p.parent.name for p in corpus_contracts()])
def test_every_schema_of_the_contract_generates_valid_values(contract: str) -> None:
    for case in schemas():
        if case.where.split(" ")[0] == contract:
            for seed in SWEEP_SEEDS:
                _check_valid(case, seed)


def test_every_one_of_value_fits_exactly_one_branch_for_a_few_seeds() -> None:
    for case in one_ofs():
        for seed in SWEEP_SEEDS:
            _check_exactly_one(case, seed)


@PROPERTY
@given(case=st.deferred(lambda: st.sampled_from(schemas())), seed=st.integers(0, 2**32 - 1))
def test_generated_values_validate(case: Case, seed: int) -> None:
    _check_valid(case, seed)


@PROPERTY
@given(case=st.deferred(lambda: st.sampled_from(one_ofs())), seed=st.integers(0, 2**32 - 1))
def test_generated_one_of_values_fit_exactly_one_branch(case: Case, seed: int) -> None:
    _check_exactly_one(case, seed)
