"""A webhook receiver for tests and benchmarks, as kit.mailsink is for mail: a real HTTP
server (uvicorn) on a free loopback port, whose answers per path a test scripts (fail a few
times, hang, redirect, 410), keeping every request it got."""

import asyncio
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float = 0.0  # time.time() on arrival (the benchmark's lag)


@dataclass
class WebhookSink:
    port: int = 0
    received: list[Received] = field(default_factory=list)
    # path → a function of how many requests that path has had → (status, seconds to wait)
    scripts: dict[str, Callable[[int], tuple[int, float]]] = field(default_factory=dict)
    _server: uvicorn.Server | None = None
    _task: asyncio.Task | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def on(self, path: str, script: Callable[[int], tuple[int, float]]) -> str:
        self.scripts[path] = script
        return self.url(path)

    def at(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]

    async def _answer(self, request: Request) -> Response:
        path = request.url.path
        seen = len(self.at(path))
        body = await request.body()
        self.received.append(Received(path, dict(request.headers), body, time.time()))
        status, wait = self.scripts.get(path, lambda _: (200, 0.0))(seen)
        if wait:
            await asyncio.sleep(wait)
        headers = {"location": self.url("/elsewhere")} if 300 <= status < 400 else None
        return Response(status_code=status, headers=headers)

    async def start(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        app = Starlette(routes=[Route("/{path:path}", self._answer, methods=["POST"])])
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="off")  # fmt: skip
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:  # noqa: ASYNC110  (uvicorn offers no event to await)
            await asyncio.sleep(0.02)

    async def stop(self) -> None:
        assert self._server is not None and self._task is not None
        self._server.should_exit = True
        self._server.force_exit = True
        await self._task
