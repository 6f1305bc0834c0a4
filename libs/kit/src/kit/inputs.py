"""Input rules every route shares, so that no route can forget them.

- Text: PostgreSQL refuses NUL (U+0000) in text, so a NUL that reached a query was a 500.
  ``RejectNul`` refuses it where requests enter, in the query, the path, a form or a JSON
  body, before any route runs: future routes are covered too.
- Dates: Python's calendar ends at 0001-01-01 and 9999-12-31, so a range bound of a filter
  one day past it overflowed. ``Day`` is the date every date parameter and field takes,
  bounded to what the domain can mean; arithmetic of a day or two stays inside Python's.
"""

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

# Re-exported: the day rule lives beside the API contracts that take it (contracts.days).
from contracts.days import DAY_RANGE_MESSAGE, EARLIEST, LATEST, Day, Moment  # noqa: F401
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.errors import error_response

NUL_MESSAGE = "使用できない文字（NUL）が含まれています。"
# Bodies past this size are not inspected (a route's own size limit refuses them).
MAX_INSPECTED_BYTES = 4 * 1024 * 1024


def _nul_in_pairs(pairs: list[tuple[str, str]]) -> str | None:
    for key, value in pairs:
        if "\x00" in key or "\x00" in value:
            return key.replace("\x00", "")
    return None


def _strings(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield path, key
            yield from _strings(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, (*path, str(index)))


def nul_field_in_json(body: bytes) -> str | None:
    """The dotted name of the first string with a NUL (``customer.name``); ``body`` for the
    document itself. Bodies that are no JSON are left to the route's own validation."""
    if b"\\u0000" not in body and b"\x00" not in body:
        return None
    try:
        document = json.loads(body)
    except ValueError:
        return None
    for path, text in _strings(document):
        if "\x00" in text:
            return ".".join(p.replace("\x00", "") for p in path) or "body"
    return None


def nul_field_in_form(body: bytes) -> str | None:
    return _nul_in_pairs(parse_qsl(body.decode("latin-1"), keep_blank_values=True))


def nul_field_in_query(query: bytes) -> str | None:
    return _nul_in_pairs(parse_qsl(query.decode("latin-1"), keep_blank_values=True))


class RejectNul:
    """ASGI middleware: 422 ``invalid_character`` naming the field, before any route runs."""

    def __init__(self, app: ASGIApp, *, passes: tuple[str, ...] = ()) -> None:
        self.app = app
        self._passes = passes  # path prefixes whose routes answer any input themselves

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith(self._passes):
            await self.app(scope, receive, send)
            return
        if "\x00" in scope.get("path", ""):
            # No resource is named with a NUL; and the path's parameter names are the
            # route's, unknown here.
            await error_response(404, "not_found", "ページが見つかりません。")(scope, receive, send)
            return
        field = nul_field_in_query(scope.get("query_string", b""))
        if field is None:
            reader = _body_reader(scope)
            if reader is not None:
                body, more, receive = await _buffer(receive)
                field = None if more else reader(body)
        if field is not None:
            error = {"code": "invalid_character", "message": NUL_MESSAGE, "field": field}
            await error_response(422, **error, errors=[error])(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _body_reader(scope: Scope):  # type: ignore[no-untyped-def]
    headers = dict(scope.get("headers") or [])
    declared = headers.get(b"content-length", b"")
    if declared.isdigit() and int(declared) > MAX_INSPECTED_BYTES:
        return None  # not buffered: the route refuses or streams it
    media = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    if media == b"application/x-www-form-urlencoded":
        return nul_field_in_form
    if media == b"application/json" or media.endswith(b"+json"):
        return nul_field_in_json
    return None  # multipart: files are the route's to read; the rest has no text to check


async def _buffer(receive: Receive) -> tuple[bytes, bool, Receive]:
    """The body up to ``MAX_INSPECTED_BYTES``, whether more follows, and a ``receive`` that
    hands the app the same messages again, then the rest of the stream."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        size += len(message.get("body", b""))
        if not message.get("more_body", False) or size > MAX_INSPECTED_BYTES:
            break
    more = bool(messages[-1].get("more_body", False)) or size > MAX_INSPECTED_BYTES
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return body, more, replay
