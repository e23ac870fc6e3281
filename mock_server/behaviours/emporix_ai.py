"""Emporix AI Service: product texts (`/texts`), assistant replies (`/completions`) and the token quota.

Both operations answer `GenerationResponse` (`result`, and `id` only when the request gave one).
Emporix limits a tenant without its own OpenAI token to 3M input and 1M output tokens and rejects
later requests; with `--quota-input-tokens` / `--quota-output-tokens` the mock counts tokens per
tenant and rejects once a limit is reached. The contract declares no 429, and its 403 says it is
the quota rejection, so `QuotaExceeded` falls back to 403 with an `ErrorMessage` body.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import QuotaExceeded
from . import generic, text, writing
from .context import Context
from .registry import Registry
from .reply import Reply

TEXTS = "POST-ai-generate-description"
COMPLETIONS = "POST-ai-completions"
DEFAULT_MAX_TOKENS = 4097  # stated by the Emporix documentation and declared as the default


def register(registry: Registry) -> None:
    registry.register(TEXTS, generate_description)
    registry.register(COMPLETIONS, complete)


async def generate_description(context: Context) -> Reply:
    """The text the prompt asks for (a product description unless it asks for something else:
    a title, an SEO text, names…), at most `maxTokens` tokens."""
    if _asks_for_something_else(context):
        return generic.answer(context)
    body = _body(context)
    prompt: str = body.get("prompt", "")
    max_tokens = body.get("maxTokens", DEFAULT_MAX_TOKENS)
    if max_tokens is None:
        max_tokens = DEFAULT_MAX_TOKENS
    max_tokens = max(max_tokens, 0)  # the contract allows any integer: below 1 leaves no room for text
    tenant = _tenant(context)
    await check_quota(context, tenant)
    if context.directive.reply_text is None:
        reply = writing.write_prompt(prompt, text.derive_seed(context, prompt), writing.K.PRODUCT)
        generated, pieces = reply.text, reply.pieces
    else:
        generated = context.directive.reply_text
        pieces = text.tokens(generated)
    result = generated if len(pieces) <= max_tokens else "".join(pieces[:max_tokens])
    await charge(context, tenant, lambda: text.count_tokens(prompt), min(len(pieces), max_tokens))
    return Reply(200, _generation(body, result))


async def complete(context: Context) -> Reply:
    """The ASSISTANT's next message: the reply the last USER (else any) message asks for, product
    copy unless it asks for something else."""
    if _asks_for_something_else(context):
        return generic.answer(context)
    body = _body(context)
    messages: list[dict[str, Any]] = body.get("messages", [])
    tenant = _tenant(context)
    await check_quota(context, tenant)
    result = context.directive.reply_text
    if result is None:
        conversation = tuple((message["role"].lower(), message["content"]) for message in messages)
        reply = writing.write(conversation, text.derive_seed(context, messages), writing.K.PRODUCT)
        result, output_tokens = reply.text, len(reply.pieces)
    else:
        output_tokens = text.count_tokens(result)
    await charge(context, tenant, lambda: text.prompt_tokens(messages), output_tokens)
    return Reply(200, _generation(body, result))


def _body(context: Context) -> dict[str, Any]:
    """The request body; the contract does not make it required, so an absent one is answered too."""
    body = context.request.body
    return body if isinstance(body, dict) else {}


def _asks_for_something_else(context: Context) -> bool:
    directive = context.directive
    return directive.example is not None or (directive.status is not None and directive.status != 200)


def _generation(body: dict[str, Any], result: str) -> dict[str, Any]:
    answer = {"result": result}
    if body.get("id") is not None:
        answer["id"] = body["id"]
    return answer


def _tenant(context: Context) -> str:
    return str(context.request.path_params.get("tenant", ""))


QUOTA_KINDS = ("input", "output")


def _quota_key(tenant: str, kind: str) -> str:
    return f"quota:{tenant}:{kind}"


async def check_quota(context: Context, tenant: str) -> None:
    """Reject when the tenant has already used up a configured limit (the request that crosses it passes)."""
    settings = context.settings
    for kind, limit in zip(QUOTA_KINDS, (settings.quota_input_tokens, settings.quota_output_tokens)):
        if limit is None:
            continue
        used = await context.state.count(_quota_key(tenant, kind))
        if used >= limit:
            raise QuotaExceeded(
                f"tenant {tenant!r} has used {used} of its {limit} {kind} tokens; "
                "configure your own openAiApiToken to continue"
            )


async def charge(context: Context, tenant: str, input_tokens: Callable[[], int], output_tokens: int) -> None:
    """Count the tokens against the tenant's quota; the prompt is only counted when quotas are on."""
    settings = context.settings
    if settings.quota_input_tokens is None and settings.quota_output_tokens is None:
        return
    for kind, amount in zip(QUOTA_KINDS, (input_tokens(), output_tokens)):
        await context.state.increment(_quota_key(tenant, kind), amount)
