"""Calls to the services behind the gateway, each with a short-lived signed token.
In the embedded mode the clients talk to the in-process apps (ASGI transport)."""

from typing import Any

import httpx
from fastapi import FastAPI
from kit.auth import Principal, mint_service_token
from kit.settings import CommonSettings
from kit.telemetry import Telemetry

SERVICES = ("inquiry", "customer", "booking", "leads", "orders")


class ServiceUnavailable(RuntimeError):
    pass


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
        params: dict[str, Any],
        method: str = "GET",
        json: Any = None,
    ) -> httpx.Response:
        """A request whose answer is read as it arrives (exports); the caller closes it."""
        clean = {k: v for k, v in params.items() if v not in (None, "")}
        client = self._clients[service]
        request = client.build_request(
            method, path, params=clean, json=json, headers=self._headers(principal)
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
        params: dict[str, Any] | None = None,
        content: bytes | None = None,
        json: Any = None,
        files: Any = None,
        data: Any = None,
    ) -> httpx.Response:
        headers = self._headers(principal)
        if content is not None:
            headers["content-type"] = "application/json"
        clean = {k: v for k, v in (params or {}).items() if v not in (None, "")}
        try:
            return await self._clients[service].request(
                method,
                path,
                params=clean,
                content=content,
                json=json,
                files=files,
                data=data,
                headers=headers,
            )
        except httpx.TransportError as exc:
            raise ServiceUnavailable(service) from exc

    async def close(self) -> None:
        for client in self._clients.values():
            await client.aclose()
