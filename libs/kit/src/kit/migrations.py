"""Alembic, run by each service at start-up on its own database, serialised by an advisory
lock so that replicas starting together do not race."""

import asyncio
from importlib import resources

import sqlalchemy as sa
from alembic import command, context, op
from alembic.config import Config
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncEngine

_LOCK_ID = 0x43524D  # "CRM"


def alembic_config(package: str) -> Config:
    """Config for the migrations shipped inside ``package`` (e.g. ``customer.migrations``)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files(package)))
    return cfg


async def upgrade(engine: AsyncEngine, package: str) -> None:
    cfg = alembic_config(package)

    def _run(sync_conn: sa.Connection) -> None:
        sync_conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_ID})
        cfg.attributes["connection"] = sync_conn
        command.upgrade(cfg, "head")

    async with engine.begin() as conn:
        await conn.run_sync(_run)


def run_env(target_metadata: sa.MetaData) -> None:
    """Body of every service's ``env.py``: use the connection handed over by :func:`upgrade`,
    else the URL given on the alembic command line (``-x url=...``)."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.get_x_argument(as_dictionary=True).get("url")
    if url is None:
        raise SystemExit("pass the database URL: alembic -x url=postgresql+asyncpg://...")
    from sqlalchemy.ext.asyncio import create_async_engine

    async def _online() -> None:
        engine = create_async_engine(url)
        async with engine.begin() as conn:
            await conn.run_sync(
                lambda c: (
                    context.configure(connection=c, target_metadata=target_metadata),
                    context.run_migrations(),
                )
            )
        await engine.dispose()

    asyncio.run(_online())


def create_outbox_and_inbox() -> None:
    """The kit's tables, created by each service's first migration."""
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("event_id", sa.Uuid, nullable=False, unique=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("routing_key", sa.Text, nullable=False),
        sa.Column("envelope", pg.JSONB, nullable=False),
        sa.Column("headers", pg.JSONB, nullable=False, server_default="{}"),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
    )
    op.create_index(
        "outbox_unpublished", "outbox", ["id"], postgresql_where=sa.text("published_at IS NULL")
    )
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.Text, primary_key=True),
        sa.Column("event_id", sa.Uuid, primary_key=True),
        sa.Column("processed_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )


def create_mail_outbox() -> None:
    """The kit's queue of outgoing mail (``kit.mail``), for services that send mail."""
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("recipient", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
    )
    op.create_index(
        "mail_outbox_due",
        "mail_outbox",
        ["next_attempt_at"],
        postgresql_where=sa.text("sent_at IS NULL"),
    )


def extend_mail_outbox() -> None:
    """An HTML alternative and extra headers (e.g. ``List-Unsubscribe``) on queued mail."""
    op.add_column("mail_outbox", sa.Column("html", sa.Text))
    op.add_column(
        "mail_outbox", sa.Column("headers", pg.JSONB, nullable=False, server_default="{}")
    )
