"""HMAC-SHA256 signatures of partner requests (the property portal's webhook, the web shop's
order intake): ``sha256=<hex>`` over the raw body, with the tenant's current secrets."""

import hashlib
import hmac
from collections.abc import Iterable


def body_signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(body: bytes, header: str | None, secrets: Iterable[str | None]) -> bool:
    """Constant-time comparison against each secret; an empty header or secret never matches."""
    if not header:
        return False
    return any(hmac.compare_digest(body_signature(body, s), header.strip()) for s in secrets if s)
