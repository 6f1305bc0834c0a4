"""Mail that is never lost: a use case queues it in its own transaction (``mail_outbox``),
and a sender delivers it over SMTP afterwards, retrying with back-off until the server takes
it. A crash between the SMTP answer and the commit sends it again (at-least-once); the
Message-ID is the row's id, so the copies are recognisable."""

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from typing import TYPE_CHECKING, Protocol, Self
from uuid import UUID

import aiosmtplib
import sqlalchemy as sa
from contracts.envelope import new_event_id
from opentelemetry import trace
from opentelemetry.instrumentation.utils import suppress_instrumentation
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from kit.db import asyncpg_dsn
from kit.logging import get_logger
from kit.settings import CommonSettings
from kit.uow import UnitOfWork
from kit.worker import NotifiedWorker

if TYPE_CHECKING:
    from kit.runtime import ServiceRuntime

log = get_logger("kit.mail")

_metadata = sa.MetaData()

mail_table = sa.Table(
    "mail_outbox",
    _metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid),
    sa.Column("recipient", sa.Text),
    sa.Column("subject", sa.Text),
    sa.Column("body", sa.Text),
    sa.Column("html", sa.Text),  # an HTML alternative (kit.migrations.extend_mail_outbox)
    sa.Column("headers", sa.JSON),  # extra headers, e.g. List-Unsubscribe
    sa.Column("created_at", sa.DateTime(timezone=True)),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
    sa.Column("sent_at", sa.DateTime(timezone=True)),
    sa.Column("attempts", sa.Integer),
    sa.Column("last_error", sa.Text),
)

# Back-off after a failed attempt: 10 s, 20 s, 40 s … at most an hour; never given up.
FIRST_RETRY = timedelta(seconds=10)
LONGEST_RETRY = timedelta(hours=1)


def _being_cancelled() -> bool:
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


def mail_channel(producer: str) -> str:
    return f"mail_{producer}"


def retry_delay(attempts: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


class MailQueue:
    """Queues mails inside the caller's transaction: they exist if and only if it commits."""

    def __init__(self, session: AsyncSession, *, producer: str) -> None:
        self._session = session
        self._producer = producer
        self._notified = False

    async def add(
        self,
        *,
        tenant_id: UUID,
        recipient: str,
        subject: str,
        body: str,
        html: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> UUID:
        mail_id = new_event_id()
        now = datetime.now(UTC)
        extra: dict[str, object] = {}
        if html is not None:
            extra["html"] = html
        if headers:
            extra["headers"] = headers
        await self._session.execute(
            sa.insert(mail_table).values(
                id=mail_id,
                tenant_id=tenant_id,
                recipient=recipient,
                subject=subject,
                body=body,
                **extra,
                created_at=now,
                next_attempt_at=now,
                attempts=0,
            )
        )
        if not self._notified:
            await self._session.execute(
                sa.select(sa.func.pg_notify(mail_channel(self._producer), ""))
            )
            self._notified = True
        return mail_id


@dataclass(frozen=True)
class OutgoingMail:
    mail_id: UUID
    recipient: str
    subject: str
    body: str
    html: str | None = None
    headers: dict[str, str] | None = None


class Mailer(Protocol):
    async def send(self, mail: OutgoingMail) -> None: ...


class SmtpMailer:
    """SMTP through aiosmtplib; the server is whatever ``CRM_SMTP_*`` names (a local sink in
    the embedded mode, the tenant's relay in production)."""

    def __init__(self, common: CommonSettings) -> None:
        assert common.smtp_host is not None
        self._common = common
        self._domain = common.mail_from.rpartition("@")[2].rstrip(">") or "crm.invalid"

    def message(self, mail: OutgoingMail) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self._common.mail_from
        message["To"] = mail.recipient
        message["Subject"] = mail.subject
        message["Message-ID"] = make_msgid(idstring=mail.mail_id.hex, domain=self._domain)
        for name, value in (mail.headers or {}).items():
            message[name] = value
        message.set_content(mail.body)  # UTF-8, as Japanese mail clients expect today
        if mail.html is not None:
            message.add_alternative(mail.html, subtype="html")
        return message

    async def send(self, mail: OutgoingMail) -> None:
        c = self._common
        await aiosmtplib.send(
            self.message(mail),
            hostname=c.smtp_host,
            port=c.smtp_port,
            username=c.smtp_username,
            password=c.smtp_password,
            start_tls=c.smtp_starttls,
            timeout=c.smtp_timeout_s,
        )


class MailSender(NotifiedWorker):
    """Claims due mails with ``FOR UPDATE SKIP LOCKED`` (replicas never send one twice at
    the same time), sends each, and marks it sent or schedules its next attempt. Without a
    mailer (no SMTP server configured) it sends nothing: the mails wait, counted as
    ``mail_lag``."""

    def __init__(
        self,
        *,
        engine: AsyncEngine,
        database_url: str,
        mailer: Mailer | None,
        producer: str,
        tracer: trace.Tracer | None = None,
        poll_interval_s: float = 5.0,
        batch_size: int = 20,
    ) -> None:
        super().__init__(
            name="mail",
            dsn=asyncpg_dsn(database_url),
            channel=mail_channel(producer),
            poll_interval_s=poll_interval_s,
        )
        self._engine = engine
        self._mailer = mailer
        self._tracer = tracer or trace.get_tracer("kit.mail")
        self._batch = batch_size

    async def start(self) -> None:
        if self._mailer is None:
            log.warning("no SMTP server configured; mails wait in the outbox")
            return
        await super().start()

    async def health(self) -> dict[str, int]:
        with suppress_instrumentation():
            async with self._engine.connect() as conn:
                count = await conn.scalar(
                    sa.select(sa.func.count()).where(mail_table.c.sent_at.is_(None))
                )
        return {"mail_lag": int(count or 0)}

    async def drain_once(self) -> int:
        with suppress_instrumentation():
            return await self._drain_once()

    async def _drain_once(self) -> int:
        t = mail_table
        columns = [t.c.id, t.c.recipient, t.c.subject, t.c.body, t.c.html, t.c.headers]
        columns.append(t.c.attempts)
        async with self._engine.begin() as conn:
            rows = (
                await conn.execute(
                    sa.select(*columns)
                    .where(t.c.sent_at.is_(None), t.c.next_attempt_at <= sa.func.now())
                    .order_by(t.c.next_attempt_at, t.c.id)
                    .limit(self._batch)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            sent = 0
            assert self._mailer is not None
            for row in rows:
                mail = OutgoingMail(
                    row.id, row.recipient, row.subject, row.body,
                    html=row.html, headers=row.headers,
                )  # fmt: skip
                try:
                    # A trace per mail sent (its id only: the recipient is personal data).
                    with self._tracer.start_as_current_span(
                        "mail send", attributes={"crm.mail.id": str(row.id)}
                    ):
                        await self._mailer.send(mail)
                except (aiosmtplib.SMTPException, OSError) as exc:
                    if _being_cancelled():
                        raise asyncio.CancelledError from exc  # stopping, not a failed send
                    # The error's type only: SMTP answers may quote the recipient.
                    log.warning("mail not sent; will retry", mail_id=str(row.id),
                                error=type(exc).__name__)  # fmt: skip
                    await conn.execute(
                        sa.update(t)
                        .where(t.c.id == row.id)
                        .values(
                            attempts=t.c.attempts + 1,
                            last_error=type(exc).__name__,
                            next_attempt_at=sa.func.now() + retry_delay(row.attempts + 1),
                        )
                    )
                    continue
                await conn.execute(
                    sa.update(t)
                    .where(t.c.id == row.id)
                    .values(sent_at=sa.func.now(), attempts=t.c.attempts + 1, last_error=None)
                )
                sent += 1
        # Only mails that went out count: a batch of failures waits for its back-off.
        return sent


class MailUnitOfWork(UnitOfWork):
    """The unit of work of a service that sends mail: ``uow.mail`` queues a mail in the same
    transaction. Such a service declares it with ``runtime.add_worker(mail_worker)`` and
    its migrations create ``mail_outbox`` (``kit.migrations.create_mail_outbox``, then
    ``extend_mail_outbox`` for the HTML part and headers)."""

    mail: MailQueue

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.mail = MailQueue(self.session, producer=self._producer)
        return self


def mail_worker(runtime: "ServiceRuntime") -> MailSender:
    """The mail sender of a service, over the SMTP server ``CRM_SMTP_*`` names, if any."""
    assert runtime.engine is not None
    common = runtime.common
    return MailSender(
        engine=runtime.engine,
        database_url=runtime.settings.database_url,
        mailer=SmtpMailer(common) if common.smtp_host else None,
        producer=runtime.name,
        tracer=runtime.telemetry.tracer,
        poll_interval_s=common.mail_poll_interval_s,
    )
