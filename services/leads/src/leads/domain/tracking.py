"""Tracking tokens (LEAD-1): one per message and recipient, signed with a key of the tenant
(HMAC-SHA256 of the service's secret and the tenant id), so that a token names its tenant,
message and customer, cannot be guessed or altered, and expires."""

import base64
import binascii
import hashlib
import hmac
import struct
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

_VERSION = 1
_LAYOUT = ">B16s16s16sI"  # version, tenant, message, customer, expiry (unix seconds)
_PAYLOAD_LEN = struct.calcsize(_LAYOUT)
_MAC_LEN = 16  # 128 bits: unguessable, and the token stays short enough for a mail's URL


@dataclass(frozen=True)
class TrackingClaims:
    tenant_id: UUID
    message_id: UUID
    customer_id: UUID
    expires_at: datetime


def _tenant_key(secret: str, tenant_id: UUID) -> bytes:
    return hmac.new(secret.encode(), b"leads-tracking:" + tenant_id.bytes, hashlib.sha256).digest()


def sign(claims: TrackingClaims, *, secret: str) -> str:
    payload = struct.pack(
        _LAYOUT,
        _VERSION,
        claims.tenant_id.bytes,
        claims.message_id.bytes,
        claims.customer_id.bytes,
        int(claims.expires_at.timestamp()),
    )
    mac = hmac.new(_tenant_key(secret, claims.tenant_id), payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(payload + mac[:_MAC_LEN]).decode().rstrip("=")


def verify(token: str, *, secret: str, now: datetime) -> TrackingClaims | None:
    """The claims of a genuine, unexpired token; None for anything else (never raises)."""
    if len(token) > 200:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    if len(raw) != _PAYLOAD_LEN + _MAC_LEN:
        return None
    payload, mac = raw[:_PAYLOAD_LEN], raw[_PAYLOAD_LEN:]
    version, tenant, message, customer, expiry = struct.unpack(_LAYOUT, payload)
    if version != _VERSION:
        return None
    tenant_id = UUID(bytes=tenant)
    expected = hmac.new(_tenant_key(secret, tenant_id), payload, hashlib.sha256).digest()
    if not hmac.compare_digest(mac, expected[:_MAC_LEN]):
        return None
    expires_at = datetime.fromtimestamp(expiry, UTC)
    if now >= expires_at:
        return None
    return TrackingClaims(tenant_id, UUID(bytes=message), UUID(bytes=customer), expires_at)
