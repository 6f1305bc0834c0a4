from datetime import UTC, datetime, timedelta
from uuid import uuid4

from leads.domain.tracking import TrackingClaims, sign, verify

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
SECRET = "test-secret"


def _claims(**over) -> TrackingClaims:  # type: ignore[no-untyped-def]
    base = dict(
        tenant_id=uuid4(), message_id=uuid4(), customer_id=uuid4(),
        expires_at=NOW + timedelta(days=180),
    )  # fmt: skip
    return TrackingClaims(**{**base, **over})


def test_a_token_names_its_tenant_message_and_recipient() -> None:
    claims = _claims()
    token = sign(claims, secret=SECRET)
    assert verify(token, secret=SECRET, now=NOW) == TrackingClaims(
        claims.tenant_id, claims.message_id, claims.customer_id,
        datetime.fromtimestamp(int(claims.expires_at.timestamp()), UTC),
    )  # fmt: skip
    assert len(token) < 100 and token.isascii() and "=" not in token


def test_an_altered_forged_or_expired_token_is_nothing() -> None:
    claims = _claims()
    token = sign(claims, secret=SECRET)
    flipped = token[:30] + ("A" if token[30] != "A" else "B") + token[31:]
    assert verify(flipped, secret=SECRET, now=NOW) is None
    assert verify(token, secret="another-secret", now=NOW) is None
    assert verify(token, secret=SECRET, now=claims.expires_at) is None
    for junk in ("", "x", "!!!!", "a" * 500, token + "AA"):
        assert verify(junk, secret=SECRET, now=NOW) is None


def test_a_token_cannot_be_moved_to_another_tenant() -> None:
    """The key is the tenant's: the same payload naming another tenant does not verify."""
    import base64

    token = sign(_claims(), secret=SECRET)
    raw = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    raw[1:17] = uuid4().bytes  # the tenant field
    moved = base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    assert verify(moved, secret=SECRET, now=NOW) is None
