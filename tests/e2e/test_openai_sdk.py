"""The official `openai` SDK against a real `mock-server serve`, on each engine: what an OpenAI client sees."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import openai
import pytest

from mock_server.contracts.loading import load_contracts
from mock_server.contracts.schema import Direction, normalize
from mock_server.contracts.validators import compile_validator
from tests.fixtures.server import BUNDLED, ENGINES, RunningServer, start_server

pytestmark = pytest.mark.e2e

ORG = str(uuid.UUID(int=7))
MESSAGES: list[Any] = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "Tell me about solar panels for a small house."},
]


def _chat_operation():
    for contract in load_contracts([BUNDLED]):
        for op in contract.operations:
            if op.operation_id == "createChatCompletion":
                return op
    raise LookupError("createChatCompletion")


def _validators() -> tuple[jsonschema_rs.Validator, jsonschema_rs.Validator]:
    op = _chat_operation()
    content = op.responses["200"].content
    sse_schema = content["text/event-stream"].extensions["x-sse-event-schema"]
    chunk_schema = normalize(sse_schema, oas30=True, direction=Direction.RESPONSE)
    return (
        compile_validator(content["application/json"].schema, op.response_defs),
        compile_validator(chunk_schema, op.response_defs),
    )


COMPLETION_VALIDATOR, CHUNK_VALIDATOR = _validators()


def base_url(server: RunningServer) -> str:
    return f"{server.url}/api/organizations/{ORG}/ai"


def client(server: RunningServer, **kwargs: Any) -> openai.OpenAI:
    options: dict[str, Any] = {"default_headers": {"x-api-key": "test"}, "max_retries": 0, **kwargs}
    return openai.OpenAI(base_url=base_url(server), api_key="x", **options)


def async_client(server: RunningServer) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        base_url=base_url(server), api_key="x", default_headers={"x-api-key": "test"}, max_retries=0
    )


@pytest.fixture(scope="module", params=ENGINES)
def paced_server(request: pytest.FixtureRequest) -> Iterator[RunningServer]:
    server = start_server("--contracts", str(BUNDLED), "--seed", "0", "--ttft", "200", "--tokens-per-second", "50",
                          "--engine", request.param)
    yield server
    server.stop()


def test_a_completion_parses(served: RunningServer) -> None:
    completion = client(served).chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    COMPLETION_VALIDATOR.validate(completion.to_dict())
    assert completion.object == "chat.completion"
    assert completion.model == "gpt-4o-mini"
    assert completion.id.startswith("chatcmpl-")
    assert completion.choices[0].message.role == "assistant"
    assert completion.choices[0].message.content
    assert completion.choices[0].finish_reason == "stop"
    usage = completion.usage
    assert usage is not None and usage.total_tokens == usage.prompt_tokens + usage.completion_tokens > 0


def test_n_choices(served: RunningServer) -> None:
    completion = client(served).chat.completions.create(model="m", messages=MESSAGES, n=3)
    assert [c.index for c in completion.choices] == [0, 1, 2]
    assert len({c.message.content for c in completion.choices}) == 3


def test_stop(served: RunningServer) -> None:
    sdk = client(served)
    full = sdk.chat.completions.create(model="m", messages=MESSAGES).choices[0].message.content
    assert full is not None and "." in full
    choice = sdk.chat.completions.create(model="m", messages=MESSAGES, stop=["."]).choices[0]
    assert choice.message.content == full[: full.index(".")]
    assert choice.finish_reason == "stop"


def test_max_tokens_gives_length(served: RunningServer) -> None:
    completion = client(served).chat.completions.create(model="m", messages=MESSAGES, max_tokens=4)
    assert completion.choices[0].finish_reason == "length"
    assert completion.usage is not None and completion.usage.completion_tokens == 4


def test_a_stream_with_usage(served: RunningServer) -> None:
    sdk = client(served)
    whole = sdk.chat.completions.create(model="m", messages=MESSAGES, n=2, max_tokens=20)
    stream = sdk.chat.completions.create(
        model="m", messages=MESSAGES, n=2, max_tokens=20, stream=True, stream_options={"include_usage": True}
    )
    contents: dict[int, str] = {0: "", 1: ""}
    finish: dict[int, str | None] = {}
    chunks = list(stream)
    for chunk in chunks:
        CHUNK_VALIDATOR.validate(chunk.to_dict())
        for choice in chunk.choices:
            contents[choice.index] += choice.delta.content or ""
            if choice.finish_reason:
                finish[choice.index] = choice.finish_reason
    assert len({c.id for c in chunks}) == 1
    assert contents == {c.index: c.message.content for c in whole.choices}
    assert finish == {c.index: c.finish_reason for c in whole.choices}
    assert chunks[-1].choices == [] and chunks[-1].usage == whole.usage
    assert all(c.usage is None for c in chunks[:-1])


def test_async_client_plain_and_streaming(served: RunningServer) -> None:
    async def run() -> tuple[str | None, str]:
        sdk = async_client(served)
        completion = await sdk.chat.completions.create(model="m", messages=MESSAGES)
        stream = await sdk.chat.completions.create(model="m", messages=MESSAGES, stream=True)
        streamed = ""
        async for chunk in stream:
            CHUNK_VALIDATOR.validate(chunk.to_dict())
            streamed += "".join(choice.delta.content or "" for choice in chunk.choices)
        await sdk.close()
        return completion.choices[0].message.content, streamed

    content, streamed = asyncio.run(run())
    assert content and streamed == content


def test_bad_request_error(served: RunningServer) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client(served).chat.completions.create(model="m", messages=MESSAGES, temperature=5)
    assert caught.value.status_code == 400


def test_authentication_error_without_api_key(served: RunningServer) -> None:
    sdk = openai.OpenAI(base_url=base_url(served), api_key="x", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as caught:
        sdk.chat.completions.create(model="m", messages=MESSAGES)
    assert caught.value.status_code == 401


def test_a_paced_stream_arrives_as_it_is_produced(paced_server: RunningServer) -> None:
    """--ttft 200 --tokens-per-second 50: the first event lands long before the last is produced."""
    sdk = client(paced_server)
    started = time.perf_counter()
    stream = sdk.chat.completions.create(model="m", messages=MESSAGES, stream=True, max_tokens=30)
    stamps = []
    for chunk in stream:
        CHUNK_VALIDATOR.validate(chunk.to_dict())
        stamps.append(time.perf_counter() - started)
    tokens = len(stamps) - 2  # role chunk and finish chunk around one chunk per token
    assert tokens == 30
    assert stamps[0] >= 0.18  # time to first token
    assert stamps[-1] - stamps[0] >= (tokens - 1) / 50 * 0.8  # paced at ~50 tokens per second
    assert stamps[0] < stamps[-1] - 0.4  # the first event did not wait for the last


def test_an_abandoned_paced_stream_leaves_the_server_healthy(paced_server: RunningServer) -> None:
    sdk = client(paced_server)
    stream = sdk.chat.completions.create(model="m", messages=MESSAGES, stream=True)
    next(iter(stream))
    stream.close()
    started = time.perf_counter()
    completion = sdk.chat.completions.create(model="m", messages=MESSAGES, max_tokens=3)
    assert completion.choices[0].finish_reason == "length"
    assert time.perf_counter() - started < 2
    assert "Traceback" not in paced_server.log()
