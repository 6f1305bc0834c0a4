"""Pytest fixtures shared by every suite: real PostgreSQL and RabbitMQ.

Where the servers come from (`choose_servers`, decision 20):
1. ``CRM_TEST_DATABASE_URL`` (server URL without database) and ``CRM_TEST_AMQP_URL`` when
   either is set: CI sets both and they win;
2. else, when a Docker engine answers, PostgreSQL and RabbitMQ started with testcontainers
   for the session (a developer's laptop);
3. else this machine's own servers on 127.0.0.1 (trust auth, guest/guest).
A test whose server is unreachable fails, never skips."""

import asyncio
import contextlib
import os
import secrets
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit, urlunsplit

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

if TYPE_CHECKING:
    import httpx
    from fastapi import FastAPI

    from kit.mailsink import MailSink
    from kit.settings import CommonSettings

DATABASE_ENV = "CRM_TEST_DATABASE_URL"
AMQP_ENV = "CRM_TEST_AMQP_URL"
MANAGEMENT_ENV = "CRM_TEST_AMQP_MANAGEMENT_URL"
MACHINE_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432"
MACHINE_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
POSTGRES_IMAGE = "postgres:15"
RABBITMQ_IMAGE = "rabbitmq:3.13-management"  # partner feeds use the management API


def _unavailable(what: str, reason: str) -> None:
    """A database or broker test without its server fails, never skips: a skipped test would
    let a change pass that nobody checked."""
    pytest.fail(f"{what} unavailable: {reason} — set {DATABASE_ENV} / {AMQP_ENV}", pytrace=False)


def unique_name(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(4)}"


Source = Literal["environment", "testcontainers", "machine"]


@dataclass(frozen=True)
class ServerChoice:
    source: Source
    database_url: str | None = None  # None: testcontainers will say once started
    amqp_url: str | None = None


def docker_engine_answers() -> bool:
    """True when a Docker engine answers a ping (DOCKER_HOST or the default socket)."""
    try:
        import docker

        client = docker.from_env(timeout=3)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


def choose_servers(
    env: Mapping[str, str], *, docker_answers: Callable[[], bool] = docker_engine_answers
) -> ServerChoice:
    database, amqp = env.get(DATABASE_ENV), env.get(AMQP_ENV)
    if database or amqp:
        return ServerChoice(
            "environment",
            (database or MACHINE_DATABASE_URL).rstrip("/"),
            amqp or MACHINE_AMQP_URL,
        )
    if docker_answers():
        return ServerChoice("testcontainers")
    return ServerChoice("machine", MACHINE_DATABASE_URL, MACHINE_AMQP_URL)


@pytest.fixture(scope="session")
def server_choice() -> Iterator[ServerChoice]:
    choice = choose_servers(os.environ)
    if choice.source != "testcontainers":
        yield choice
        return
    from testcontainers.community.postgres import PostgresContainer
    from testcontainers.community.rabbitmq import RabbitMqContainer

    with (
        PostgresContainer(POSTGRES_IMAGE, driver="asyncpg") as pg,
        RabbitMqContainer(RABBITMQ_IMAGE).with_exposed_ports(15672) as mq,
    ):
        host, port = pg.get_container_host_ip(), pg.get_exposed_port(5432)
        database = f"postgresql+asyncpg://{pg.username}:{pg.password}@{host}:{port}"
        amqp_host, amqp_port = mq.get_container_host_ip(), mq.get_exposed_port(mq.port)
        amqp = f"amqp://{mq.username}:{mq.password}@{amqp_host}:{amqp_port}/"
        # Child processes (multi-process e2e, `make run` clones) read the same servers.
        os.environ[DATABASE_ENV], os.environ[AMQP_ENV] = database, amqp
        os.environ[MANAGEMENT_ENV] = f"http://{amqp_host}:{mq.get_exposed_port(15672)}"
        try:
            yield ServerChoice("testcontainers", database, amqp)
        finally:
            os.environ.pop(DATABASE_ENV, None)
            os.environ.pop(AMQP_ENV, None)
            os.environ.pop(MANAGEMENT_ENV, None)


@pytest.fixture(scope="session")
def pg_server_url(server_choice: ServerChoice) -> str:
    assert server_choice.database_url is not None
    return server_choice.database_url


@pytest.fixture(scope="session")
def amqp_url(server_choice: ServerChoice) -> str:
    url = server_choice.amqp_url
    assert url is not None

    async def _probe() -> None:
        import aio_pika

        connection = await aio_pika.connect(url, timeout=5)
        await connection.close()

    try:
        asyncio.run(_probe())
    except Exception as exc:
        _unavailable("RabbitMQ", f"{type(exc).__name__}: {exc}")
    return url


@pytest.fixture(scope="session")
def amqp_management(amqp_url: str) -> str:
    """The management HTTP API of the test broker (partner feeds, decision 104), at
    ``CRM_TEST_AMQP_MANAGEMENT_URL`` or the broker's host on port 15672. A broker of this
    machine without the plugin has it enabled here (online, as ``.ci/run`` does)."""
    import shutil
    import subprocess

    from kit.bus.feeds import wait_for_api
    from kit.settings import CommonSettings

    common = CommonSettings(amqp_url=amqp_url,
                            amqp_management_url=os.environ.get(MANAGEMENT_ENV))  # fmt: skip
    if not asyncio.run(wait_for_api(common, timeout_s=2)):
        if shutil.which("rabbitmq-plugins"):
            subprocess.run(["rabbitmq-plugins", "enable", "rabbitmq_management"],
                           capture_output=True, timeout=120, check=False)  # fmt: skip
        if not asyncio.run(wait_for_api(common, timeout_s=60)):
            _unavailable("RabbitMQ management API", common.management_endpoint()[0])
    return common.management_endpoint()[0]


@pytest.fixture
async def database_factory(pg_server_url: str) -> AsyncIterator[Callable[[str], str]]:
    """Hands out URLs of fresh, uniquely named databases; drops them afterwards."""
    created: list[str] = []

    def make(name: str) -> str:
        db = unique_name(f"t_{name}")
        created.append(db)
        return f"{pg_server_url}/{db}"

    yield make
    admin = create_async_engine(f"{pg_server_url}/postgres", isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            for db in created:
                await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
    except Exception as exc:
        _unavailable("PostgreSQL", f"{type(exc).__name__}: {exc}")
    finally:
        await admin.dispose()


@pytest.fixture
async def mail_sink() -> AsyncIterator["MailSink"]:
    """A real SMTP server (aiosmtpd) on a free port, keeping what it receives."""
    from kit.mailsink import MailSink

    sink = MailSink()
    await sink.start()
    yield sink
    await sink.stop()


# The consumer queue of each service is "<service>.events" (kit.consumer.EventConsumer).
SERVICE_QUEUES = tuple(
    f"{s}.events" for s in ("inquiry", "customer", "booking", "leads", "orders", "gateway")
)


async def delete_bus_namespace(
    amqp_url: str, namespace: str, *, queues: tuple[str, ...], retry_delays_ms: list[int]
) -> None:
    """Remove a test run's queues and exchange from the shared broker."""
    import aio_pika

    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        for queue in queues:
            base = f"{namespace}.{queue}"
            names = [base, f"{base}.dlq", *(f"{base}.retry.{d}" for d in retry_delays_ms)]
            for name in names:
                await channel.queue_delete(name)
        await channel.exchange_delete(f"{namespace}.partners")  # partner feeds' (decision 104)
        await channel.exchange_delete(f"{namespace}.events")


def service_headers(
    common: "CommonSettings",
    *,
    tenant_id: uuid.UUID,
    role: str = "admin",
    store_ids: tuple[uuid.UUID, ...] = (),
) -> dict[str, str]:
    """The bearer token the gateway would mint for a member of ``tenant_id`` (of
    ``store_ids``: a 一般 user sees those stores' data only)."""
    from kit.auth import Principal, mint_service_token

    principal = Principal(tenant_id=tenant_id, role=role, user_id=uuid.uuid4(),  # type: ignore[arg-type]
                          store_ids=store_ids)  # fmt: skip
    token = mint_service_token(principal, secret=common.service_token_secret, ttl_s=600)
    return {"authorization": f"Bearer {token}"}


def in_process_client(
    app: "FastAPI", *, base_url: str, headers: dict[str, str]
) -> "httpx.AsyncClient":
    """A client of a service's app in this process (no port), with the given headers."""
    import httpx

    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=base_url, headers=headers
    )


class TcpProxy:
    """A TCP relay to a real server, that a test can cut (every connection dropped, the port
    closed: connections refused) and restore on the same port, never touching the server
    itself, which other tests share."""

    def __init__(self, host: str, port: int) -> None:
        self._target = (host, port)
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    def url(self, url: str) -> str:
        """``url`` (of the real server) through this proxy."""
        parts = urlsplit(url)
        netloc = parts.netloc.rsplit("@", 1)
        host = f"127.0.0.1:{self.port}"
        return urlunsplit(
            parts._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) == 2 else host)
        )

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._open):
            writer.transport.abort()
        self._open.clear()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self._target)
        except OSError:
            writer.transport.abort()
            return
        self._open.update((writer, up_writer))

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.transport.abort()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._open.difference_update((writer, up_writer))


async def eventually(
    check: Callable[[], Awaitable[Any]],
    *,
    timeout: float = 20.0,  # noqa: ASYNC109 (a bound the tests state, not a cancellation)
    every: float = 0.1,
) -> Any:
    """Poll until ``check`` returns a truthy value (eventual consistency, stated bound);
    the suites' one helper for it (tests/e2e/flows re-exports it)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not reached within {timeout} s")
        await asyncio.sleep(every)
