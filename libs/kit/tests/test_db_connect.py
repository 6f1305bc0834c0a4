"""New pool connections to a loopback PostgreSQL skip asyncpg's TLS request (a round trip per
connection that protects nothing there); a URL that names its own ``ssl`` keeps it.

Seen through a byte-counting proxy in front of the real server: PostgreSQL's SSLRequest is
the 8-byte message ``00 00 00 08 04 d2 16 2f`` a client sends before its startup message."""

import asyncio
import struct
from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa
from kit.db import create_engine
from sqlalchemy.engine import make_url

SSL_REQUEST = struct.pack("!II", 8, 80877103)


class Proxy:
    """Forwards 127.0.0.1:<port> to the real server and keeps each connection's first bytes."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.openings: list[bytes] = []
        self.server: asyncio.Server | None = None

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        first = await reader.read(8)
        self.openings.append(first)
        upstream_writer.write(first)

        async def pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while chunk := await src.read(65536):
                    dst.write(chunk)
                    await dst.drain()
            except ConnectionError:
                pass
            finally:
                dst.close()

        await asyncio.gather(pump(reader, upstream_writer), pump(upstream_reader, writer))

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()


@pytest.fixture
async def proxied(pg_server_url: str) -> AsyncIterator[tuple[Proxy, str]]:
    url = make_url(pg_server_url)
    proxy = Proxy(url.host or "127.0.0.1", url.port or 5432)
    port = await proxy.start()
    yield (
        proxy,
        url.set(host="127.0.0.1", port=port, database="postgres").render_as_string(
            hide_password=False
        ),
    )
    await proxy.stop()


async def _connect_once(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            assert await conn.scalar(sa.text("SELECT 1")) == 1
    finally:
        await engine.dispose()


async def test_a_loopback_connection_sends_no_tls_request(proxied: tuple[Proxy, str]) -> None:
    proxy, url = proxied
    await _connect_once(url)
    assert proxy.openings and all(first != SSL_REQUEST for first in proxy.openings)


async def test_a_url_that_names_ssl_keeps_its_choice(proxied: tuple[Proxy, str]) -> None:
    proxy, url = proxied
    await _connect_once(f"{url}?ssl=prefer")
    assert proxy.openings[0] == SSL_REQUEST
