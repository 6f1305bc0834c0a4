"""structlog set-up: one line per event, trace ids in every line, no personal data."""

import logging
import sys
from typing import Any

import structlog
from opentelemetry import trace

# Keys whose values are personal data or secrets; their values never reach a log line.
_REDACTED_KEYS = frozenset(
    {
        "email",
        "emails",
        "phone",
        "phones",
        "name",
        "name_kana",
        "address",
        "password",
        "token",
        "access_token",
        "secret",
        "authorization",
        "contact",
        "customer",
        "body",
    }
)


def _add_trace_ids(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    ctx = trace.get_current_span().get_span_context()
    if ctx.is_valid:
        event["trace_id"] = format(ctx.trace_id, "032x")
        event["span_id"] = format(ctx.span_id, "016x")
    return event


def _redact(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    for key in event.keys() & _REDACTED_KEYS:
        event[key] = "[redacted]"
    return event


def _stderr_logger(*_: Any) -> structlog.PrintLogger:
    """Resolved per call: whatever ``sys.stderr`` is now (tests swap it)."""
    return structlog.PrintLogger(file=sys.stderr)


def configure_logging(*, level: str = "INFO", fmt: str = "console") -> None:
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _add_trace_ids,
            _redact,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=_stderr_logger,
        cache_logger_on_first_use=False,
    )


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)
