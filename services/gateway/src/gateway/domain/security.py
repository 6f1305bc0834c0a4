"""Passwords (argon2), session tokens and the portal's HMAC signature."""

import hashlib
import hmac
import secrets

# The kit's, shared with the customer service's booking-site accounts.
from kit.passwords import hash_password as hash_password
from kit.passwords import verify_password as verify_password


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Sessions are stored by digest: a leaked table does not leak live tokens."""
    return hashlib.sha256(token.encode()).hexdigest()


def portal_signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(body: bytes, header: str | None, secrets_: list[str]) -> bool:
    if not header:
        return False
    return any(hmac.compare_digest(portal_signature(body, s), header.strip()) for s in secrets_)
