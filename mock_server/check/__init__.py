"""`mock-server check`: schemathesis and the stream check against a base URL, as events and a `Report`."""

from .report import OperationFinished, OperationResult, Report, RunError, RunFinished, RunStarted, Violation
from .runner import run_check
from .session import check

__all__ = [
    "OperationFinished", "OperationResult", "Report", "RunError", "RunFinished", "RunStarted", "Violation",
    "check", "run_check",
]
