"""A notice shown once (「…しました。」 or the service's reason after a form post), never in
the URL: ``answers.back`` marks its redirect with the message, this middleware turns the
mark into a signed, HttpOnly cookie of ten minutes, and the next page that shows it (the
base layout, ``take_flash``) has it deleted with its answer. A reload shows nothing; a link
copied from the address bar carries nothing (docs/decisions.md 70)."""

import base64
import hashlib
import hmac
import json
from http.cookies import SimpleCookie

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "crm_flash"
MARK = b"x-crm-flash"  # the redirect's mark, never sent to the browser
TTL_S = 600
KINDS = ("notice", "error")


def mark(message: dict[str, str]) -> str:
    """The header value ``back`` puts on its redirect (the middleware signs it)."""
    kept = {k: v[:500] for k, v in message.items() if k in KINDS and v}
    return base64.urlsafe_b64encode(json.dumps(kept, ensure_ascii=False).encode()).decode()


def _key(scope: Scope) -> bytes:
    secret = scope["app"].state.runtime.common.service_token_secret.encode()
    return hmac.new(secret, b"staff-page-flash", hashlib.sha256).digest()


def _sign(key: bytes, payload: str) -> str:
    digest = hmac.new(key, payload.encode(), hashlib.sha256).digest()
    return f"{payload}.{base64.urlsafe_b64encode(digest).decode().rstrip('=')}"


def _read(key: bytes, value: str) -> dict[str, str] | None:
    payload, _, _sig = value.rpartition(".")
    if not payload or not hmac.compare_digest(_sign(key, payload), value):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(payload.encode()))
    except ValueError:
        return None
    return {k: str(v) for k, v in data.items() if k in KINDS} if isinstance(data, dict) else None


def _cookie_of(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            jar.load(value.decode("latin-1"))
            if COOKIE in jar:
                return jar[COOKIE].value
    return None


def take_flash(request: Request) -> dict[str, str]:
    """The notice for this page, once: the answer deletes the cookie."""
    state = request.scope.setdefault("state", {})
    found = state.get("flash") or {}
    if found:
        state["flash_taken"] = True
    return found


class FlashMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(("/api/", "/static/", "/r/")):
            await self.app(scope, receive, send)
            return
        key = _key(scope)
        state = scope.setdefault("state", {})
        raw = _cookie_of(scope)
        state["flash"] = _read(key, raw) if raw else None

        async def send_with_flash(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k != MARK]
                marks = [v for k, v in message.get("headers", []) if k == MARK]
                secure = "; Secure" if scope["app"].state.runtime.settings.cookie_secure else ""
                if marks:
                    value = _sign(key, marks[-1].decode("latin-1"))
                    cookie = f"{COOKIE}={value}; Max-Age={TTL_S}; Path=/; HttpOnly; SameSite=Lax"
                    headers.append((b"set-cookie", (cookie + secure).encode("latin-1")))
                elif state.get("flash_taken") or (raw and state["flash"] is None):
                    cookie = f"{COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"
                    headers.append((b"set-cookie", (cookie + secure).encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_flash)
