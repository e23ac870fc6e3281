"""Emporix AI Service: product texts (`/texts`), assistant replies (`/completions`) and the token quota.

Both operations answer `GenerationResponse` (`result`, and `id` only when the request gave one).
Emporix limits a tenant without its own OpenAI token to 3M input and 1M output tokens and rejects
later requests; with `--quota-input-tokens` / `--quota-output-tokens` the mock counts tokens per
tenant and rejects once a limit is reached. The contract declares no 429, and its 403 says it is
the quota rejection, so `QuotaExceeded` falls back to 403 with an `ErrorMessage` body.
"""

from __future__ import annotations

from typing import Any

from ..errors import QuotaExceeded
from . import generic, text
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
    """A product text about the prompt's subject, at most `maxTokens` tokens."""
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
    generated = context.directive.reply_text
    if generated is None:
        seed = text.derive_seed(context, prompt)
        generated = text.product_text(text.subject_of(prompt), seed, context.source.shared_faker)
    result, _ = text.truncate(generated, max_tokens)
    await charge(context, tenant, text.count_tokens(prompt), text.count_tokens(result))
    return Reply(200, _generation(body, result))


async def complete(context: Context) -> Reply:
    """The ASSISTANT's next message: prose about what the last USER (else any) message asks for."""
    if _asks_for_something_else(context):
        return generic.answer(context)
    body = _body(context)
    messages: list[dict[str, Any]] = body.get("messages", [])
    tenant = _tenant(context)
    await check_quota(context, tenant)
    result = context.directive.reply_text
    if result is None:
        asked = next((m for m in reversed(messages) if m["role"] == "USER"), messages[-1] if messages else None)
        subject = text.subject_of(asked["content"]) if asked else "this product"
        result = text.product_text(subject, text.derive_seed(context, messages), context.source.shared_faker)
    await charge(context, tenant, text.prompt_tokens(messages), text.count_tokens(result))
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


async def charge(context: Context, tenant: str, input_tokens: int, output_tokens: int) -> None:
    settings = context.settings
    if settings.quota_input_tokens is None and settings.quota_output_tokens is None:
        return
    for kind, amount in zip(QUOTA_KINDS, (input_tokens, output_tokens)):
        await context.state.increment(_quota_key(tenant, kind), amount)
