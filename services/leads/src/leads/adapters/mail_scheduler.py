"""The kit worker that sends LEAD-6's due mails: woken at once by a delivery due now
(LISTEN/NOTIFY), polling for those scheduled later (a newsletter's date and time, a step's
day). Each tenant's round is one transaction through the kit's boundary; its rows are
locked (SKIP LOCKED) and marked done in it, so two replicas, or two rounds, never send a
delivery twice."""

from datetime import UTC, datetime

from kit.db import asyncpg_dsn
from kit.worker import NotifiedWorker
from opentelemetry.instrumentation.utils import suppress_instrumentation

from leads.adapters.mail_repository import SCHEDULE_CHANNEL, tenants_with_due_mail
from leads.use_cases.mails import MailLinks, send_due

BATCH = 50


class MailScheduler(NotifiedWorker):
    def __init__(self, runtime, *, links: MailLinks, poll_interval_s: float) -> None:  # type: ignore[no-untyped-def]
        super().__init__(
            name="mail_schedule",
            dsn=asyncpg_dsn(runtime.settings.database_url),
            channel=SCHEDULE_CHANNEL,
            poll_interval_s=poll_interval_s,
        )
        self._runtime = runtime
        self._links = links

    async def drain_once(self) -> int:
        now = datetime.now(UTC)
        with suppress_instrumentation():  # the polling is not traced; the sends are
            async with self._runtime.sessions() as session:
                tenants = await tenants_with_due_mail(session, now=now)
        done = 0
        for tenant_id in tenants:
            tx = self._runtime.transactions(tenant_id=tenant_id)
            done += await tx.run(
                lambda uow: send_due(links=self._links, now=now, limit=BATCH, uow=uow)
            )
        return done

    async def health(self) -> dict[str, int]:
        async with self._runtime.sessions() as session:
            due = await tenants_with_due_mail(session, now=datetime.now(UTC))
        return {"mail_schedule_tenants_due": len(due)}


def mail_scheduler(runtime) -> MailScheduler:  # type: ignore[no-untyped-def]
    settings = runtime.settings
    links = MailLinks(
        secret=runtime.tracking.secret,
        ttl_days=settings.tracking_token_ttl_days,
        base_url=settings.public_base_url.rstrip("/"),
    )
    return MailScheduler(runtime, links=links, poll_interval_s=settings.mail_schedule_poll_s)
