"""behaviours/openai_chat.py over the in-process app: choices, stop, limits, usage, streams, pacing."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from mock_server.app import create_app
from mock_server.behaviours import openai_chat, text
from mock_server.behaviours.context import Context, Directive
from mock_server.behaviours.reply import LastChunk
from mock_server.contracts.schema import Direction, normalize
from mock_server.contracts.validators import compile_validator
from mock_server.generate.source import Source
from mock_server.serve.render import send_reply
from mock_server.settings import ServeSettings

ROOT = Path(__file__).resolve().parents[2]
URL = f"/api/organizations/{uuid.UUID(int=7)}/ai/chat/completions"
KEY = {"x-api-key": "test"}
BODY: dict[str, Any] = {
    "model": "gpt-4o-mini",
    "messages": [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "Tell me about solar panels for a small house."},
    ],
}


def make_app(**settings: Any):
    return create_app(ServeSettings(contracts=(ROOT / "openapi",), **settings))


APP = make_app()
COMPILED = next(c for c in APP.operations.values() if c.operation.operation_id == "createChatCompletion")
RESPONSE = COMPILED.responses.for_status(200)
JSON_VALIDATOR = RESPONSE.media["application/json"].validator
SSE_SCHEMA = RESPONSE.media["text/event-stream"].extensions["x-sse-event-schema"]
CHUNK_VALIDATOR = compile_validator(
    normalize(SSE_SCHEMA, oas30=True, direction=Direction.RESPONSE), COMPILED.operation.response_defs
)


def post(body: dict[str, Any], app=APP, headers: dict[str, str] | None = None) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock") as client:
            return await client.post(URL, json=body, headers={**KEY, **(headers or {})})

    return asyncio.run(go())


def completion(body: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    response = post(body, **kwargs)
    assert response.status_code == 200, response.text
    value = response.json()
    JSON_VALIDATOR.validate(value)
    return value


def events(body: dict[str, Any], **kwargs: Any) -> list[Any]:
    response = post({**body, "stream": True}, **kwargs)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    raw = response.text
    assert raw.endswith("data: [DONE]\n\n")
    values: list[Any] = []
    for block in raw.split("\n\n")[:-1]:
        assert block.startswith("data: ")
        payload = block[len("data: "):]
        if payload == "[DONE]":
            values.append(payload)
            continue
        value = orjson.loads(payload)
        CHUNK_VALIDATOR.validate(value)
        values.append(value)
    assert values[-1] == "[DONE]" and values.count("[DONE]") == 1
    return values[:-1]


def streamed_contents(chunks: list[dict[str, Any]]) -> dict[int, str]:
    contents: dict[int, str] = {}
    for chunk in chunks:
        for choice in chunk["choices"]:
            contents[choice["index"]] = contents.get(choice["index"], "") + (choice["delta"].get("content") or "")
    return contents


def test_a_completion_conforms_and_echoes_the_model() -> None:
    value = completion(BODY)
    assert value["object"] == "chat.completion"
    assert value["model"] == "gpt-4o-mini"
    assert value["id"].startswith("chatcmpl-")
    assert [c["index"] for c in value["choices"]] == [0]
    choice = value["choices"][0]
    assert choice["message"]["role"] == "assistant"
    assert "solar panels" in choice["message"]["content"]
    assert choice["finish_reason"] == "stop"
    usage = value["usage"]
    assert usage["prompt_tokens"] == text.prompt_tokens(BODY["messages"])
    assert usage["completion_tokens"] == text.count_tokens(choice["message"]["content"])
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_same_request_same_bytes_and_fixed_clock() -> None:
    first, again = post(BODY), post(BODY)
    assert first.content == again.content
    created = first.json()["created"]
    assert text.FIXED_EPOCH <= created < text.FIXED_EPOCH + 86_400


def test_real_clock() -> None:
    before = int(time.time())
    assert completion(BODY, app=make_app(clock="real"))["created"] >= before


def test_n_gives_n_different_choices() -> None:
    value = completion({**BODY, "n": 3})
    assert [c["index"] for c in value["choices"]] == [0, 1, 2]
    assert len({c["message"]["content"] for c in value["choices"]}) == 3
    assert value["usage"]["completion_tokens"] == sum(
        text.count_tokens(c["message"]["content"]) for c in value["choices"]
    )


def test_stop_cuts_before_the_first_stop_sequence() -> None:
    full = completion(BODY)["choices"][0]["message"]["content"]
    for stop in (".", ["zzz", "."]):
        choice = completion({**BODY, "stop": stop})["choices"][0]
        assert choice["message"]["content"] == full[: full.index(".")]
        assert choice["finish_reason"] == "stop"


@pytest.mark.parametrize("field", ["max_tokens", "max_completion_tokens"])
def test_a_token_limit_truncates_with_finish_reason_length(field: str) -> None:
    full = completion(BODY)["choices"][0]["message"]["content"]
    value = completion({**BODY, field: 5})
    choice = value["choices"][0]
    assert choice["finish_reason"] == "length"
    assert full.startswith(choice["message"]["content"])
    assert value["usage"]["completion_tokens"] == 5
    assert completion({**BODY, field: 5000})["choices"][0]["finish_reason"] == "stop"


@pytest.mark.parametrize("n", [1, 2])
def test_a_stream_says_what_the_completion_says(n: int) -> None:
    body = {**BODY, "n": n, "max_tokens": 12, "stream_options": {"include_usage": True}}
    whole = completion(body)
    chunks = events(body)
    assert len({c["id"] for c in chunks}) == 1 and len({c["created"] for c in chunks}) == 1
    assert chunks[0]["id"].startswith("chatcmpl-")
    assert {c["model"] for c in chunks} == {"gpt-4o-mini"}
    *content_chunks, usage_chunk = chunks
    assert usage_chunk["choices"] == [] and usage_chunk["usage"] == whole["usage"]
    assert all(c["usage"] is None for c in content_chunks)
    assert all(len(c["choices"]) == 1 for c in content_chunks)
    contents = streamed_contents(content_chunks)
    assert contents == {c["index"]: c["message"]["content"] for c in whole["choices"]}
    for choice in whole["choices"]:
        own = [c["choices"][0] for c in content_chunks if c["choices"][0]["index"] == choice["index"]]
        assert own[0]["delta"] == {"role": "assistant", "content": ""}
        assert all(set(o["delta"]) == {"content"} and o["finish_reason"] is None for o in own[1:-1])
        assert own[-1]["delta"] == {} and own[-1]["finish_reason"] == choice["finish_reason"]
        assert len(own) == 2 + text.count_tokens(choice["message"]["content"])


def test_choices_interleave_in_a_stream() -> None:
    chunks = events({**BODY, "n": 2})
    indices = [c["choices"][0]["index"] for c in chunks]
    assert indices[:4] == [0, 1, 0, 1]


def test_without_include_usage_chunks_carry_no_usage() -> None:
    chunks = events(BODY)
    assert all("usage" not in c and c["choices"] for c in chunks)


def test_prefer_code_gives_the_declared_error() -> None:
    response = post(BODY, headers={"Prefer": "code=429"})
    assert response.status_code == 429
    assert "error" in response.json()


def test_temperature_out_of_bounds_is_400() -> None:
    assert post({**BODY, "temperature": 5}).status_code == 400


# --- the behaviour called directly, with a Directive from rules -------------------------------


def context(body: dict[str, Any], directive: Directive = Directive(), **settings: Any) -> Context:
    request = COMPILED.validator.validate(
        method="POST", path=URL, path_params={"orgId": str(uuid.UUID(int=7))}, raw_query="", query_pairs=[], cookies={},
        headers={"content-type": "application/json", **KEY}, body=orjson.dumps(body),
    )
    return Context(
        operation=COMPILED.operation, request=request, directive=directive, responses=COMPILED.responses,
        source=Source.from_seed(1, APP.faker), seed=1,
        settings=ServeSettings(contracts=(ROOT / "openapi",), **settings), state=APP.state,
    )


def test_a_canned_reply_replaces_the_text_and_is_still_limited() -> None:
    reply = openai_chat.create_chat_completion(
        context({**BODY, "n": 2, "max_tokens": 3}, Directive(reply_text="Canned answer, always the same."))
    )
    assert [c["message"]["content"] for c in reply.body["choices"]] == ["Canned answer,"] * 2
    reply = openai_chat.create_chat_completion(context({**BODY, "stop": ","}, Directive(reply_text="Canned, yes")))
    assert reply.body["choices"][0]["message"]["content"] == "Canned"


async def collect(reply) -> tuple[list[float], list[bytes]]:
    stamps, chunks = [], []
    async for chunk in reply.events:
        stamps.append(time.perf_counter())
        chunks.append(chunk)
    return stamps, chunks


@pytest.mark.parametrize("tokens_per_second", [0, 1000])
def test_a_stream_marks_its_last_chunk_only(tokens_per_second: int) -> None:
    """render sends a marked chunk together with the end of the body: it must be the [DONE] one."""
    reply = openai_chat.create_chat_completion(context({**BODY, "stream": True}, tokens_per_second=tokens_per_second))
    _, chunks = asyncio.run(collect(reply))
    assert [isinstance(chunk, LastChunk) for chunk in chunks] == [False] * (len(chunks) - 1) + [True]
    assert chunks[-1].endswith(b"data: [DONE]\n\n")


@pytest.mark.parametrize("n, include_usage", [(1, False), (3, True)])
def test_the_first_round_goes_out_before_the_reply_is_composed(
    monkeypatch: pytest.MonkeyPatch, n: int, include_usage: bool
) -> None:
    """Like a real model's, the role chunks do not wait for the text: composing a new prompt's reply
    takes ~0.3 ms, which every stream's first event used to wait for."""
    planned: list[str] = []
    real_plan = openai_chat.plan

    def recording_plan(ctx: Context, head: openai_chat.Opening | None = None) -> openai_chat.Completion:
        planned.append("composed")
        return real_plan(ctx, head)

    monkeypatch.setattr(openai_chat, "plan", recording_plan)
    body = {**BODY, "stream": True, "n": n, "stream_options": {"include_usage": include_usage}}
    reply = openai_chat.create_chat_completion(context(body))

    async def first_then_rest() -> tuple[bytes, int, list[bytes]]:
        assert reply.events is not None
        first = await reply.events.__anext__()
        composed_by_then = len(planned)
        return first, composed_by_then, [chunk async for chunk in reply.events]

    first, composed_by_then, rest = asyncio.run(first_then_rest())
    assert composed_by_then == 0 and planned == ["composed"]
    stream = openai_chat.encoded_stream(real_plan(context(body)), include_usage)
    assert first == stream.span(0, 1)  # the opening is the composed stream's own first round
    assert b"".join([first, *rest]) == stream.data + b"data: [DONE]\n\n"


def test_an_encoded_stream_is_cut_in_pieces_where_its_rounds_end() -> None:
    rounds = [b"a" * 5, b"b" * 3, b"c" * 9, b"d" * 2, b"e" * 4]
    stream = openai_chat.EncodedStream.of(rounds)
    assert stream.pieces(1, 4) == [b"bbb" + b"c" * 9, b"dd" + b"eeee"]
    assert stream.pieces(0, 100) == [b"".join(rounds)]
    assert stream.pieces(2, 1) == rounds[2:]
    assert stream.pieces(5, 4) == []


def test_an_unpaced_stream_takes_a_few_turns_of_whole_events() -> None:
    """Each write after the opening is at least UNPACED_WRITE_BYTES (the last may be less) and ends
    on an event boundary; a typical stream takes more than one such turn (see UNPACED_WRITE_BYTES)."""
    reply = openai_chat.create_chat_completion(context({**BODY, "stream": True, "max_tokens": 200}))
    _, chunks = asyncio.run(collect(reply))
    rest = chunks[1:]  # after the opening
    assert len(rest) >= 2 and all(chunk.endswith(b"\n\n") for chunk in chunks)
    assert all(len(chunk) >= openai_chat.UNPACED_WRITE_BYTES for chunk in rest[:-1])
    assert all(len(chunk) < 2 * openai_chat.UNPACED_WRITE_BYTES for chunk in rest[:-1])  # one round past the mark at most


def test_every_chunk_shows_one_clock_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """The opening goes out before the text is composed; the clock may tick in between, the stream may not."""
    readings = iter(range(1_700_000_000, 1_700_000_100))
    monkeypatch.setattr(text.time, "time", lambda: next(readings))
    reply = openai_chat.create_chat_completion(context({**BODY, "stream": True}, clock="real"))
    _, chunks = asyncio.run(collect(reply))
    events = [block[len(b"data: "):] for block in b"".join(chunks).split(b"\n\n") if block.startswith(b"data: {")]
    assert len(events) > 2 and {orjson.loads(event)["created"] for event in events} == {1_700_000_000}


def test_pacing_from_settings_and_directive() -> None:
    body = {**BODY, "stream": True, "max_tokens": 10}
    start = time.perf_counter()
    paced = context(body, ttft_ms=150, tokens_per_second=100)
    stamps, _ = asyncio.run(collect(openai_chat.create_chat_completion(paced)))
    assert stamps[0] - start >= 0.14
    assert stamps[-1] - stamps[0] >= 9 * 0.01 * 0.9  # ten tokens, nine gaps
    directive = Directive(ttft_ms=0, tokens_per_second=0)
    start = time.perf_counter()
    stamps, _ = asyncio.run(
        collect(openai_chat.create_chat_completion(context(body, directive, ttft_ms=500, tokens_per_second=1)))
    )
    assert stamps[-1] - start < 0.2


def test_an_abandoned_stream_costs_nothing() -> None:
    """The client leaves after the first event: the generator is closed and no task is left behind."""
    reply = openai_chat.create_chat_completion(context({**BODY, "stream": True}, tokens_per_second=2))
    sent: list[dict[str, Any]] = []
    gone = asyncio.Event()

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message.get("body"):
            gone.set()

    async def receive() -> dict[str, Any]:
        await gone.wait()
        return {"type": "http.disconnect"}

    async def run() -> set[asyncio.Task[Any]]:
        await asyncio.wait_for(send_reply(reply, send, receive), timeout=3)
        await asyncio.sleep(0)
        return asyncio.all_tasks() - {asyncio.current_task()}

    started = time.perf_counter()
    leftover = asyncio.run(run())
    assert time.perf_counter() - started < 1.5  # not the ~15 s the whole paced reply would take
    assert leftover == set()
    assert reply.events.ag_frame is None  # closed
    bodies = [m for m in sent if m["type"] == "http.response.body"]
    assert 1 <= len(bodies) <= 3


# --- replies of every kind keep the stream, limit and usage promises --------------------------

KINDS_OF_PROMPTS = [
    "Hello",
    "Write a Python function that reverses a string",  # newlines and code
    "Give me 5 tips for better sleep",  # a Markdown list
    "Compare iPhone and Android",  # a table
    "Translate to Japanese: Thank you for your order, it ships tomorrow.",  # another script
]


@pytest.mark.parametrize("prompt", KINDS_OF_PROMPTS)
def test_every_kind_of_reply_streams_what_it_answers(prompt: str) -> None:
    body = {"model": "m", "messages": [{"role": "user", "content": prompt}], "n": 2,
            "stream_options": {"include_usage": True}}
    whole = completion(body)
    *chunks, usage = events(body)
    assert streamed_contents(chunks) == {c["index"]: c["message"]["content"] for c in whole["choices"]}
    assert usage["usage"] == whole["usage"]
    assert whole["usage"]["completion_tokens"] == sum(text.count_tokens(c["message"]["content"]) for c in whole["choices"])


@pytest.mark.parametrize("prompt", KINDS_OF_PROMPTS[1:3])
def test_every_kind_of_reply_is_cut_by_max_tokens_and_stop(prompt: str) -> None:
    body = {"model": "m", "messages": [{"role": "user", "content": prompt}]}
    full = completion(body)["choices"][0]["message"]["content"]
    cut = completion({**body, "max_tokens": 9})
    assert full.startswith(cut["choices"][0]["message"]["content"]) and cut["usage"]["completion_tokens"] == 9
    assert cut["choices"][0]["finish_reason"] == "length"
    stopped = completion({**body, "stop": "\n"})["choices"][0]
    assert stopped["message"]["content"] == full[: full.index("\n")] and stopped["finish_reason"] == "stop"
    assert events({**body, "max_tokens": 9})[-1]["choices"][0]["finish_reason"] == "length"


def test_a_greeting_is_greeted_and_a_question_answered() -> None:
    hello = completion({"model": "m", "messages": [{"role": "user", "content": "Hello"}]})
    assert "summarise" not in hello["choices"][0]["message"]["content"].lower()
    assert hello["usage"]["completion_tokens"] <= 20
    capital = completion({"model": "m", "messages": [{"role": "user", "content": "What is the capital of Italy?"}]})
    assert capital["choices"][0]["message"]["content"].startswith("The capital of Italy is Rome.")
