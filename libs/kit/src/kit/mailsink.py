"""A local SMTP server for development and tests (aiosmtpd): it takes every mail, keeps it
in memory and, when given a folder, in a Maildir there, where any mail reader opens it. The
embedded mode points ``CRM_SMTP_*`` at it; production names a real relay instead."""

import asyncio
import mailbox
import weakref
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP


class MailSink:
    def __init__(
        self, *, maildir: Path | None = None, refuse_first: int = 0, answer_delay_s: float = 0
    ) -> None:
        self.messages: list[EmailMessage] = []
        self._maildir: mailbox.Maildir | None = None
        if maildir is not None:
            # Maildir(create=True) makes only the last folder; `.data/` of a fresh clone is missing.
            maildir.parent.mkdir(parents=True, exist_ok=True)
            self._maildir = mailbox.Maildir(maildir, create=True)
        # A test's ways to see a server that answers "try later" a few times, or slowly.
        self._refuse = refuse_first
        self._delay = answer_delay_s
        self._server: asyncio.Server | None = None
        self._connections: weakref.WeakSet[SMTP] = weakref.WeakSet()
        self.port = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(self._delay)
        if self._refuse > 0:
            self._refuse -= 1
            return "451 Requested action aborted: try again later"
        raw: bytes = envelope.original_content or envelope.content
        self.messages.append(message_from_bytes(raw, policy=policy.default))  # type: ignore[arg-type]
        if self._maildir is not None:
            self._maildir.add(raw)
        return "250 Message accepted for delivery"

    async def start(self, *, host: str = "127.0.0.1", port: int = 0) -> int:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self._connection, host, port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    def _connection(self) -> SMTP:
        smtp = SMTP(self, hostname="crm-mail-sink", enable_SMTPUTF8=True, timeout=30)
        self._connections.add(smtp)
        return smtp

    async def stop(self) -> None:
        """Stop listening and hang up on clients still connected (a client stopped mid-send
        would otherwise hold the server open until its idle timeout)."""
        if self._server is None:
            return
        self._server.close()
        for smtp in self._connections:
            if smtp.transport is not None and not smtp.transport.is_closing():
                smtp.transport.close()
        self._connections.clear()
        await self._server.wait_closed()
        self._server = None
