"""Engine, sessions and tenant scoping: the one place where no ORM query can forget its tenant
(a Core statement on a Table, which no criteria can scope, names its tenant itself)."""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import asyncpg
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, ProgrammingError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    ORMExecuteState,
    Session,
    mapped_column,
    with_loader_criteria,
)

TENANT_KEY = "tenant_id"
UNSCOPED_KEY = "unscoped"


class MissingTenant(RuntimeError):
    """A query touched tenant-owned rows from a session that knows no tenant."""


class TenantOwned:
    """Mixin for tables whose rows belong to a tenant; every ORM query is filtered by it."""

    tenant_id: Mapped[UUID] = mapped_column(sa.Uuid, index=True)


class Base(DeclarativeBase):
    pass


def in_store_scope(
    store_id: Any, scope: tuple[UUID, ...] | None, *, unassigned: bool = False
) -> Any:
    """The condition that a row's ``store_id`` is one of the caller's stores
    (``uow.store_scope``; None: every store). ``unassigned``: rows of no store are seen too
    (a customer with no home store belongs to the whole company)."""
    if scope is None:
        return sa.true()
    mine = store_id.in_(scope) if scope else sa.false()
    return sa.or_(mine, store_id.is_(None)) if unassigned else mine


@event.listens_for(Session, "do_orm_execute")
def _scope_to_tenant(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    # Loader criteria scope ORM entities only: a Core statement on a Table names its tenant
    # itself, and building the option for it anyway cost a booking some 8% of its CPU.
    if not state.is_orm_statement:
        return
    if state.session.info.get(UNSCOPED_KEY):
        return
    tenant_id = state.session.info.get(TENANT_KEY)
    if tenant_id is None:
        if any(issubclass(m.class_, TenantOwned) for m in _mappers(state)):
            raise MissingTenant("tenant-owned rows queried without a tenant")
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantOwned, lambda cls: cls.tenant_id == tenant_id, include_aliases=True
        )
    )


def _mappers(state: ORMExecuteState) -> list[Any]:
    try:
        return list(state.all_mappers)
    except Exception:  # statements without ORM entities
        return []


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def create_engine(url: str, *, pool_size: int = 5) -> AsyncEngine:
    # No pre-ping: it costs a round trip per checkout; stale connections are recycled instead.
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_recycle=1800,
        connect_args=_connect_args(url),
    )


def _connect_args(url: str) -> dict[str, Any]:
    """asyncpg's default (``prefer``) first asks a TCP server for TLS on every new connection,
    a wasted round trip on the loopback, where TLS protects nothing. A URL that names
    ``ssl``/``sslmode`` keeps its own choice; a remote host keeps the default."""
    parsed = make_url(url)
    if "ssl" in parsed.query or "sslmode" in parsed.query:
        return {}
    host = parsed.host or parsed.query.get("host")
    if host is None or host in LOOPBACK_HOSTS or str(host).startswith("/"):
        return {"ssl": False}
    return {}


def session_factory(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)


async def ensure_database(url: str) -> None:
    """Create the service's database if the server lacks it (each service owns one)."""
    target = make_url(url)
    admin = create_async_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            exists = await conn.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}
            )
            if not exists:
                try:
                    await conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
                except (ProgrammingError, DBAPIError) as exc:  # created meanwhile by a replica
                    # PostgreSQL says "already exists", or, when two CREATEs race, reports the
                    # unique index of pg_database.
                    if not any(m in str(exc) for m in ("already exists", "pg_database_datname")):
                        raise
    finally:
        await admin.dispose()


def asyncpg_dsn(url: str) -> str:
    """The plain libpq DSN of a SQLAlchemy URL, for asyncpg connections outside the pool."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def unscoped(session: AsyncSession) -> Iterator[None]:
    """For the few look-ups that establish the tenant (login, partner webhooks)."""
    session.info[UNSCOPED_KEY] = True
    try:
        yield
    finally:
        session.info[UNSCOPED_KEY] = False


async def copy_rows(
    session: AsyncSession, table: str, *, columns: Sequence[str], records: Iterable[Sequence[Any]]
) -> None:
    """COPY ``records`` into ``table`` inside the session's transaction (bulk writes: an
    order of magnitude cheaper than INSERTs per row). Values are typed as asyncpg expects
    them (UUID, date, JSON as text for json/jsonb); columns left out take their defaults.
    Like any bulk INSERT it bypasses the ORM and its tenant hook: the caller sets tenant_id."""
    connection = await session.connection()
    raw = (await connection.get_raw_connection()).driver_connection
    if not raw.is_in_transaction():
        # The driver begins the session's transaction lazily, at its first statement; a COPY
        # on the bare connection before that would commit on its own.
        await session.execute(sa.text("SELECT 1"))
    try:
        await raw.copy_records_to_table(table, records=records, columns=list(columns))
    except asyncpg.PostgresError as exc:
        # As SQLAlchemy raises a statement's error, so that the boundary (kit.transactions)
        # retries a deadlock and answers a unique index lost to a concurrent write with 409.
        integrity = isinstance(exc, asyncpg.IntegrityConstraintViolationError)
        raise (IntegrityError if integrity else DBAPIError)(f"COPY {table}", None, exc) from exc
