"""The local mail sink keeps what it receives in a Maildir, wherever the folder is to be."""

import email
import email.policy
import mailbox
from email.message import EmailMessage

import aiosmtplib
from kit.mailsink import MailSink


async def test_a_maildir_in_folders_that_do_not_exist_yet_is_created(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # `make run` in a fresh clone: neither `.data/` nor `.data/mail` exists.
    folder = tmp_path / "clone" / ".data" / "mail"
    sink = MailSink(maildir=folder)
    port = await sink.start()
    try:
        mail = EmailMessage()
        mail["From"] = "crm@example.com"
        mail["To"] = "tamachi@example.com"
        mail["Subject"] = "【新規反響】"
        mail.set_content("新しい反響が届きました。")
        await aiosmtplib.send(mail, hostname="127.0.0.1", port=port)
    finally:
        await sink.stop()
    kept = mailbox.Maildir(folder, factory=_decoded, create=False)
    assert [str(m["subject"]) for m in kept] == ["【新規反響】"]


def _decoded(file) -> EmailMessage:  # type: ignore[no-untyped-def]
    return email.message_from_binary_file(file, policy=email.policy.default)  # type: ignore[return-value]
