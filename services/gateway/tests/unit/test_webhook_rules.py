"""The webhook rules without I/O (gateway.domain.webhooks): our signature is the Standard
Webhooks reference library's, the schedule is the stated one, URLs and replay ranges are
refused as documented."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
from contracts.registry import REGISTRY
from gateway.domain import webhooks
from standardwebhooks.webhooks import Webhook

NOW = datetime(2026, 12, 3, 5, 0, tzinfo=UTC)


def test_the_secret_is_whsec_and_32_random_bytes() -> None:
    secret = webhooks.new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert secret != webhooks.new_secret()


def test_our_signature_is_the_reference_librarys() -> None:
    secret, body, stamp = webhooks.new_secret(), b'{"event_id":"e1"}', 1764738000
    ours = webhooks.signature(secret, msg_id="e1", timestamp=stamp, body=body)
    theirs = Webhook(secret).sign("e1", datetime.fromtimestamp(stamp, UTC), body.decode())
    assert ours == theirs


def test_both_secrets_sign_during_a_rotation_and_the_old_one_stops() -> None:
    until = NOW + webhooks.ROTATION_GRACE
    assert webhooks.live_secrets("new", "old", until, now=NOW) == ["new", "old"]
    assert webhooks.live_secrets("new", "old", until, now=until) == ["new"]
    header = webhooks.signature_header([webhooks.new_secret(), webhooks.new_secret()],
                                       msg_id="e", timestamp=1, body=b"{}")  # fmt: skip
    assert [p[:3] for p in header.split(" ")] == ["v1,", "v1,"]


def test_the_retries_are_the_stated_schedule_then_none() -> None:
    steps = [webhooks.next_attempt(n, now=NOW) - NOW for n in range(1, 8)]  # type: ignore[operator]
    assert steps == [timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30),
                     timedelta(hours=2), timedelta(hours=5), timedelta(hours=10),
                     timedelta(hours=10)]  # fmt: skip
    assert webhooks.next_attempt(8, now=NOW) is None


@pytest.mark.parametrize(("url", "allowed"), [
    ("https://example.jp/hook", True), ("http://127.0.0.1:8080/hook", True),
    ("http://localhost/hook", True), ("http://[::1]/hook", True),
    ("http://example.jp/hook", False), ("ftp://example.jp/", False),
    ("https://user:pw@example.jp/", False), ("https://example.jp:99999/", False), ("hook", False),
    ("https://169.254.169.254/latest/meta-data/", False), ("https://[fe80::1]/", False),
])  # fmt: skip
def test_urls(url: str, allowed: bool) -> None:
    assert (webhooks.url_problem(url, allow_http=False) is None) is allowed


def test_http_anywhere_only_when_allowed() -> None:
    assert webhooks.url_problem("http://example.jp/hook", allow_http=True) is None


def test_replay_ranges() -> None:
    month = webhooks.replay_problem(NOW - timedelta(days=30), NOW, now=NOW)
    assert month is None
    code, field, message = webhooks.replay_problem(NOW - timedelta(days=365), NOW, now=NOW)  # type: ignore[misc]
    assert (code, field) == ("replay_too_long", "to") and "31日" in message
    assert webhooks.replay_problem(NOW - timedelta(days=40), NOW - timedelta(days=35),
                                   now=NOW)[0] == "replay_too_old"  # type: ignore[index]  # fmt: skip
    assert webhooks.replay_problem(NOW, NOW - timedelta(hours=1), now=NOW)[0] == "replay_range"  # type: ignore[index]


def test_every_event_type_has_a_japanese_label() -> None:
    assert set(webhooks.EVENT_LABELS) == set(REGISTRY)
    assert webhooks.unknown_event_types(["inquiry.received.v1", "x.y.v1"]) == ["x.y.v1"]
