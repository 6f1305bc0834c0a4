"""The one transport to the services behind the gateway: each call with a short-lived
signed token of the staff it is made for. In the embedded mode it talks to the in-process
apps (ASGI transport). The typed clients (``clients/<service>.py``) and the relays use it."""

from collections.abc import Mapping, Sequence
from typing import Any

import httpx
from fastapi import FastAPI
from kit.auth import Principal, mint_service_token
from kit.settings import CommonSettings
from kit.telemetry import Telemetry

SERVICES = ("inquiry", "customer", "booking", "leads", "orders")


Params = Mapping[str, Any] | Sequence[tuple[str, Any]]


class ServiceUnavailable(RuntimeError):
    pass


def _present(params: Params | None) -> list[tuple[str, Any]]:
    """The query without empty values (a form's blank field means "any")."""
    pairs = params.items() if isinstance(params, Mapping) else (params or ())
    return [(k, v) for k, v in pairs if v not in (None, "")]


class ServiceClients:
    def __init__(
        self,
        *,
        urls: dict[str, str],
        common: CommonSettings,
        telemetry: Telemetry,
        timeout_s: float,
        apps: dict[str, FastAPI] | None = None,
    ) -> None:
        self._common = common
        self._clients: dict[str, httpx.AsyncClient] = {}
        for name in SERVICES:
            app = (apps or {}).get(name)
            transport = httpx.ASGITransport(app=app) if app is not None else None
            base = f"http://{name}.internal" if app is not None else urls[name]
            client = httpx.AsyncClient(base_url=base, transport=transport, timeout=timeout_s)
            telemetry.instrument_httpx(client)
            self._clients[name] = client

    def _headers(self, principal: Principal) -> dict[str, str]:
        token = mint_service_token(
            principal,
            secret=self._common.service_token_secret,
            ttl_s=self._common.service_token_ttl_s,
        )
        return {"authorization": f"Bearer {token}"}

    async def stream(
        self,
        service: str,
        path: str,
        *,
        principal: Principal,
        params: Params,
        method: str = "GET",
        json: Any = None,
    ) -> httpx.Response:
        """A request whose answer is read as it arrives (exports); the caller closes it."""
        client = self._clients[service]
        request = client.build_request(
            method, path, params=_present(params), json=json, headers=self._headers(principal)
        )
        try:
            return await client.send(request, stream=True)
        except httpx.TransportError as exc:
            raise ServiceUnavailable(service) from exc

    async def call(
        self,
        service: str,
        method: str,
        path: str,
        *,
        principal: Principal,
        params: Params | None = None,
        content: bytes | None = None,
        json: Any = None,
        files: Any = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        timeouts: httpx.Timeout | None = None,
    ) -> httpx.Response:
        """``headers``: besides the token, e.g. a partner's signature passed on. ``timeouts``:
        instead of the service timeout, for a call known to take long (an upload's check)."""
        headers = {**(headers or {}), **self._headers(principal)}
        if content is not None:
            headers["content-type"] = "application/json"
        try:
            return await self._clients[service].request(
                method,
                path,
                params=_present(params),
                content=content,
                json=json,
                files=files,
                data=data,
                headers=headers,
                **({"timeout": timeouts} if timeouts is not None else {}),
            )
        except httpx.TransportError as exc:
            raise ServiceUnavailable(service) from exc

    async def forward(
        self, service: str, method: str, path: str, *, headers: dict[str, str], content: bytes
    ) -> httpx.Response:
        """A public request passed on without a staff token: its own credential is in the
        path (a tracking or unsubscribe token), which the service verifies."""
        try:
            return await self._clients[service].request(
                method, path, headers=headers, content=content or None
            )
        except httpx.TransportError as exc:
            raise ServiceUnavailable(service) from exc

    async def close(self) -> None:
        for client in self._clients.values():
            await client.aclose()
