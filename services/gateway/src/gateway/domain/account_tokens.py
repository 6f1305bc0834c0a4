"""Single-use links sent by mail: an invitation (set the first password) and a password
reset. The token is in the link only; the database keeps its digest (like sessions)."""

from datetime import datetime, timedelta

INVITATION_TTL = timedelta(days=3)
RESET_TTL = timedelta(hours=1)
TTL = {"invitation": INVITATION_TTL, "reset": RESET_TTL}


def token_usable(*, expires_at: datetime, used_at: datetime | None, now: datetime) -> bool:
    return used_at is None and now < expires_at


def invitation_link(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/invitations/{token}"


def reset_link(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/password-reset/{token}"
