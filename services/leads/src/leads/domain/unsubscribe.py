"""Unsubscribe links: the tracking token's format under a key of its own (a pixel token
cannot unsubscribe anyone, nor the reverse), valid for ten years — a mail read late still
unsubscribes."""

from datetime import datetime, timedelta
from uuid import UUID

from leads.domain import tracking

VALID_FOR = timedelta(days=3650)


def _secret(secret: str) -> str:
    return secret + "|unsubscribe"


def sign(*, tenant_id: UUID, message_id: UUID, customer_id: UUID, sent_at: datetime,
         secret: str) -> str:  # fmt: skip
    claims = tracking.TrackingClaims(tenant_id, message_id, customer_id, sent_at + VALID_FOR)
    return tracking.sign(claims, secret=_secret(secret))


def verify(token: str, *, secret: str, now: datetime) -> tracking.TrackingClaims | None:
    return tracking.verify(token, secret=_secret(secret), now=now)
