"""`mock-server check`: schemathesis and the stream check against a base URL, as events and a `Report`.

Owns: `settings` (CheckSettings), `session` (starts the mock when no base URL is given), `runner`
(schemathesis' engine per contract, the stream check), `limits` (live-safety limits, counted where
requests leave), `credentials` (API keys, OAuth2 client credentials, redaction), `stream` (SSE
checks), `report` (findings and coverage per operation, exit codes) and `handlers` (console,
JUnit, JSON).

Sits on top: it talks HTTP to the API under test and may import contracts and media; it may not
import the serving pipeline (serve/), admin or proxy.
"""

from .report import OperationFinished, OperationResult, Report, RunError, RunFinished, RunStarted, Violation
from .runner import run_check
from .session import check

__all__ = [
    "OperationFinished", "OperationResult", "Report", "RunError", "RunFinished", "RunStarted", "Violation",
    "check", "run_check",
]
