"""Pytest fixtures shared by every suite: real PostgreSQL and RabbitMQ from environment URLs.

``CRM_TEST_DATABASE_URL`` (server URL without database) and ``CRM_TEST_AMQP_URL``; `make test`
points them at the machine's servers. When a server is unreachable the test fails."""

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

if TYPE_CHECKING:
    from kit.mailsink import MailSink


def _unavailable(what: str, reason: str) -> None:
    """A database or broker test without its server fails, never skips: a skipped test would
    let a change pass that nobody checked. `make test` points the URLs at this machine."""
    pytest.fail(
        f"{what} unavailable: {reason} — set CRM_TEST_DATABASE_URL / CRM_TEST_AMQP_URL",
        pytrace=False,
    )


def unique_name(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(4)}"


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    url = os.environ.get("CRM_TEST_DATABASE_URL")
    if not url:
        _unavailable("PostgreSQL", "CRM_TEST_DATABASE_URL is not set")
    return url.rstrip("/")


@pytest.fixture(scope="session")
def amqp_url() -> str:
    url = os.environ.get("CRM_TEST_AMQP_URL")
    if not url:
        _unavailable("RabbitMQ", "CRM_TEST_AMQP_URL is not set")

    async def _probe() -> None:
        import aio_pika

        connection = await aio_pika.connect(url, timeout=5)
        await connection.close()

    try:
        asyncio.run(_probe())
    except Exception as exc:
        _unavailable("RabbitMQ", f"{type(exc).__name__}: {exc}")
    return url


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
SERVICE_QUEUES = tuple(f"{s}.events" for s in ("inquiry", "customer", "booking", "leads", "orders"))


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
        await channel.exchange_delete(f"{namespace}.events")
