"""GW-1's plain rules: what a password must be (with the reason, in Japanese) and when a
mailed link can be used."""

from datetime import UTC, datetime, timedelta

from gateway.domain.account_tokens import INVITATION_TTL, RESET_TTL, invitation_link, token_usable
from gateway.domain.passwords import password_problem
from gateway.domain.throttle import LoginThrottle

NOW = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)


def test_a_password_of_ten_characters_that_is_not_the_mail_will_do() -> None:
    assert password_problem("abcdefghij", email="hanako@example.com") is None


def test_a_short_password_is_refused_with_its_reason() -> None:
    problem = password_problem("abcdefghi", email="hanako@example.com")
    assert problem is not None and "10文字以上" in problem and "ため" in problem


def test_the_mail_address_is_no_password_whatever_its_case() -> None:
    problem = password_problem(" Hanako@Example.com", email="hanako@example.com")
    assert problem is not None and "メールアドレスと同じ" in problem


def test_an_endless_password_is_refused() -> None:
    assert password_problem("x" * 129, email="a@example.com") is not None
    assert password_problem("x" * 128, email="a@example.com") is None


def test_a_link_is_usable_once_and_until_it_expires() -> None:
    expires = NOW + timedelta(minutes=1)
    assert token_usable(expires_at=expires, used_at=None, now=NOW)
    assert not token_usable(expires_at=expires, used_at=NOW, now=NOW)
    assert not token_usable(expires_at=NOW, used_at=None, now=NOW)


def test_invitations_outlive_resets() -> None:
    assert INVITATION_TTL > RESET_TTL
    assert invitation_link("http://crm.example/", "tok") == "http://crm.example/invitations/tok"


def test_the_throttle_counts_failures_per_account_and_per_address() -> None:
    throttle = LoginThrottle(per_account=2, per_address=3)
    for _ in range(2):
        assert not throttle.blocked(email="A@x.example", address="192.0.2.1")
        throttle.failed(email="A@x.example", address="192.0.2.1")
    assert throttle.blocked(email="a@x.example", address="192.0.2.9")  # the account, anywhere
    assert not throttle.blocked(email="b@x.example", address="192.0.2.1")
    throttle.failed(email="b@x.example", address="192.0.2.1")
    assert throttle.blocked(email="c@x.example", address="192.0.2.1")  # the address, any account
