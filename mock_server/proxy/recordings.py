"""Recorded upstream answers (`mock-server proxy --record DIR`) as examples the mock serves.

One JSON file per answer, `DIR/<operationId>.<status>.<n>.json`:
`{"operationId", "status", "media_type", "body", "headers", "recorded_at"}`; the body is the parsed
JSON, the text, or for `text/event-stream` the list of event `data` strings. Headers carrying
credentials are never written.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..contracts.index import Contract
from ..errors import ContractLoadError

SECRET_HEADER = re.compile(r"auth|token|key|secret|cookie|session|signature|credential", re.IGNORECASE)
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "date", "server"}


@dataclass(frozen=True, slots=True)
class RecordedExample:
    name: str  # the file's stem: what `Prefer: example=NAME` asks for
    operation_id: str
    status: int
    media_type: str
    body: Any
    headers: Mapping[str, str]


def safe_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items() if not SECRET_HEADER.search(k) and k.lower() not in HOP_HEADERS}


def save_recording(directory: Path, operation_id: str, status: int, media_type: str, body: Any,
                   headers: Mapping[str, str], recorded_at: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", operation_id)
    n = 1
    while (path := directory / f"{stem}.{status}.{n}.json").exists():
        n += 1
    record = {"operationId": operation_id, "status": status, "media_type": media_type, "body": body,
              "headers": safe_headers(headers), "recorded_at": recorded_at}
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load_recorded_examples(directory: Path) -> dict[str, list[RecordedExample]]:
    """Every recording under `directory`, by operationId, in file-name order."""
    if not directory.is_dir():
        raise ContractLoadError(f"--examples: {directory} is not a folder")
    found: dict[str, list[RecordedExample]] = {}
    for path in sorted(directory.rglob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            example = RecordedExample(
                name=path.stem, operation_id=str(record["operationId"]), status=int(record["status"]),
                media_type=str(record["media_type"]), body=record.get("body"),
                headers=dict(record.get("headers") or {}),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ContractLoadError(f"{path}: not a recorded example: {exc}") from None
        found.setdefault(example.operation_id, []).append(example)
    return found


def apply_recorded_examples(contracts: tuple[Contract, ...], recorded: Mapping[str, list[RecordedExample]]
                            ) -> tuple[Contract, ...]:
    """The contracts with each recording put first among the examples of its status and media type,
    so examples-first serving answers with it (and `Prefer: example=<file stem>` picks one); a
    recorded event stream is replayed event by event. Recordings of statuses or media types the
    operation does not declare are ignored, and so (when compiled) are those that break it."""
    result = []
    for contract in contracts:
        operations = []
        for op in contract.operations:
            records = recorded.get(op.operation_id, [])
            responses = dict(op.responses)
            for record in reversed(records):
                spec = op.response_for(record.status)
                if spec is None or record.media_type not in spec.content:
                    continue
                media = spec.content[record.media_type]
                if record.media_type == "text/event-stream":
                    if not (isinstance(record.body, list) and all(isinstance(data, str) for data in record.body)):
                        continue
                    stream = (record.name, tuple(record.body))
                    media = dataclasses.replace(media, recorded_streams=(stream, *media.recorded_streams))
                else:
                    media = dataclasses.replace(media, examples=((record.name, record.body), *media.examples))
                spec = dataclasses.replace(spec, content={**spec.content, record.media_type: media})
                responses[spec.status] = spec
                op = dataclasses.replace(op, responses=responses)
            operations.append(op)
        result.append(dataclasses.replace(contract, operations=tuple(operations)))
    return tuple(result)
