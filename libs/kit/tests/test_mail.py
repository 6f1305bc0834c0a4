"""Mail outbox on the real PostgreSQL, sent over real SMTP (aiosmtpd): a mail exists only if
its transaction commits, goes out once even with competing senders, and waits through a
server that refuses it, to be sent later."""

import asyncio
import uuid

import pytest
import sqlalchemy as sa
from kit import db, migrations
from kit.mail import MailQueue, MailSender, SmtpMailer, mail_table, retry_delay
from kit.mailsink import MailSink
from kit.settings import CommonSettings

pytestmark = pytest.mark.database


async def _prepared(url: str):  # type: ignore[no-untyped-def]
    await db.ensure_database(url)
    engine = db.create_engine(url)
    await migrations.upgrade(engine, "booking.migrations")  # a service that sends mail
    return engine


async def _queue(engine, subjects: list[str], *, commit: bool = True) -> None:  # type: ignore[no-untyped-def]
    async with db.session_factory(engine)() as session:
        queue = MailQueue(session, producer="test")
        for subject in subjects:
            await queue.add(
                tenant_id=uuid.uuid4(),
                recipient="tamachi@example.com",
                subject=subject,
                body="新しい予約が入りました。\n日時: 2027/03/10(水) 11:00\n",
            )
        if commit:
            await session.commit()


def _sender(engine, url: str, sink: MailSink) -> MailSender:  # type: ignore[no-untyped-def]
    common = CommonSettings(smtp_host="127.0.0.1", smtp_port=sink.port)
    return MailSender(
        engine=engine, database_url=url, mailer=SmtpMailer(common), producer="test",
        poll_interval_s=0.05,
    )  # fmt: skip


async def _until(check, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.05)


async def test_committed_mail_is_sent_once_in_japanese(database_factory) -> None:
    url = database_factory("mail")
    engine = await _prepared(url)
    sink = MailSink()
    await sink.start()
    await _queue(engine, ["取り消された予約"], commit=False)
    await _queue(engine, ["【新規予約】2027/03/10(水) 11:00 住まい 花子 様"])
    sender = _sender(engine, url, sink)
    await sender.start()
    try:
        await _until(lambda: len(sink.messages) == 1)
        await asyncio.sleep(0.3)  # further rounds must not send it again
    finally:
        await sender.stop()
        await sink.stop()
    assert len(sink.messages) == 1
    mail = sink.messages[0]
    assert mail["Subject"] == "【新規予約】2027/03/10(水) 11:00 住まい 花子 様"
    assert mail["To"] == "tamachi@example.com"
    assert "日時: 2027/03/10(水) 11:00" in mail.get_content()
    async with engine.connect() as conn:
        rows = (await conn.execute(sa.select(mail_table.c.sent_at, mail_table.c.attempts))).all()
    assert len(rows) == 1 and rows[0].sent_at is not None and rows[0].attempts == 1
    await engine.dispose()


async def test_competing_senders_send_each_mail_once(database_factory) -> None:
    url = database_factory("mail")
    engine = await _prepared(url)
    sink = MailSink()
    await sink.start()
    subjects = [f"通知 {n}" for n in range(60)]
    await _queue(engine, subjects)
    senders = [_sender(engine, url, sink) for _ in range(3)]
    for sender in senders:
        await sender.start()
    try:
        await _until(lambda: len(sink.messages) >= 60)
        await asyncio.sleep(0.3)
    finally:
        for sender in senders:
            await sender.stop()
        await sink.stop()
    assert sorted(m["Subject"] for m in sink.messages) == sorted(subjects)
    await engine.dispose()


async def test_refused_mail_waits_and_is_sent_later(database_factory) -> None:
    url = database_factory("mail")
    engine = await _prepared(url)
    sink = MailSink(refuse_first=1)
    await sink.start()
    await _queue(engine, ["再送される通知"])
    sender = _sender(engine, url, sink)
    assert await sender.drain_once() == 0  # the server said "try later"
    async with engine.begin() as conn:
        row = (await conn.execute(sa.select(mail_table))).one()
        assert row.sent_at is None and row.attempts == 1 and row.last_error == "SMTPDataError"
        assert row.next_attempt_at > row.created_at  # backed off, not lost
        assert await sender.drain_once() == 0  # not due yet
        await conn.execute(sa.update(mail_table).values(next_attempt_at=sa.func.now()))
    assert await sender.drain_once() == 1
    await sink.stop()
    assert [m["Subject"] for m in sink.messages] == ["再送される通知"]
    async with engine.connect() as conn:
        row = (await conn.execute(sa.select(mail_table))).one()
    assert row.sent_at is not None and row.attempts == 2 and row.last_error is None
    await engine.dispose()


async def test_a_server_that_is_down_keeps_the_mail(database_factory) -> None:
    url = database_factory("mail")
    engine = await _prepared(url)
    sink = MailSink()
    port = await sink.start()
    await sink.stop()  # nothing listens there now
    await _queue(engine, ["届かない通知"])
    common = CommonSettings(smtp_host="127.0.0.1", smtp_port=port, smtp_timeout_s=2)
    sender = MailSender(engine=engine, database_url=url, mailer=SmtpMailer(common),
                        producer="test")  # fmt: skip
    assert await sender.drain_once() == 0
    async with engine.connect() as conn:
        row = (await conn.execute(sa.select(mail_table))).one()
    assert row.sent_at is None and row.attempts == 1 and row.last_error is not None
    await engine.dispose()


async def test_stopping_mid_send_keeps_the_mail_for_later(database_factory) -> None:
    """A replica shut down while the server is still answering: the sender stops at once
    and the mail stays queued (sent by the next sender), never marked sent unsent."""
    url = database_factory("mail")
    engine = await _prepared(url)
    slow = MailSink(answer_delay_s=30)
    await slow.start()
    await _queue(engine, ["止められた送信"])
    sender = _sender(engine, url, slow)
    await sender.start()
    await asyncio.sleep(0.5)  # the sender is waiting for the slow server's answer now
    async with asyncio.timeout(5):
        await sender.stop()
    await slow.stop()
    async with engine.connect() as conn:
        row = (await conn.execute(sa.select(mail_table))).one()
    assert row.sent_at is None and row.attempts == 0  # the round was rolled back
    sink = MailSink()
    await sink.start()
    assert await _sender(engine, url, sink).drain_once() == 1
    await sink.stop()
    assert [m["Subject"] for m in sink.messages] == ["止められた送信"]
    await engine.dispose()


def test_back_off_doubles_up_to_an_hour() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [10, 20, 40]
    assert retry_delay(30).total_seconds() == 3600


async def test_html_part_and_headers_travel_with_the_mail(database_factory) -> None:
    url = database_factory("mail")
    engine = await _prepared(url)
    sink = MailSink()
    await sink.start()
    async with db.session_factory(engine)() as session:
        await MailQueue(session, producer="test").add(
            tenant_id=uuid.uuid4(), recipient="hanako@example.com", subject="新着物件のご案内",
            body="新着物件があります。", html="<p>新着物件があります。</p>",
            headers={"List-Unsubscribe": "<https://crm.example/u/abc>"},
        )  # fmt: skip
        await session.commit()
    sender = _sender(engine, url, sink)
    try:
        assert await sender.drain_once() == 1
    finally:
        await sink.stop()
    [mail] = sink.messages
    assert mail["List-Unsubscribe"] == "<https://crm.example/u/abc>"
    assert mail.get_body(("plain",)).get_content().strip() == "新着物件があります。"  # type: ignore[union-attr]
    assert "<p>新着物件があります。</p>" in mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    await engine.dispose()
