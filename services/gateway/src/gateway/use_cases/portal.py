"""INQ-1 partner webhook: the signature proves the tenant (current secret, or the previous one
during its grace period); the body, never read here, goes as it came to the inquiry service,
which alone parses it (its store code too) and keeps it. Every refusal is recorded for audit
(no body values), in its own transaction: the delivery fails, its record stays."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
from fastapi.responses import JSONResponse
from kit.auth import Principal
from kit.errors import NotFound

from gateway.adapters.orm import WebhookRejection
from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.clients.transport import ServiceClients
from gateway.domain.security import signature_matches


class WebhookRejected(Exception):
    def __init__(self, status: int, reason: str, detail: Any) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Rejection:
    """What the audit keeps of a refused delivery: never the body's values, only its hash."""

    tenant_slug: str
    tenant_id: UUID | None
    status: int
    reason: str
    body: bytes


@dataclass(frozen=True)
class Delivery:
    """The webhook's answer, and the rejection to record when it was refused. The caller
    records it in a transaction of its own, so that it stays although the request fails."""

    status: int
    content: bytes
    media_type: str
    rejection: Rejection | None = None


async def receive_portal_inquiry(
    *,
    tenant_slug: str,
    body: bytes | None,
    declared_size: int,
    signature: str | None,
    uow: GatewayUnitOfWork,
    services: ServiceClients,
) -> Delivery:
    """``body`` is None when it was larger than allowed (``declared_size`` then)."""
    if body is None:
        reason = f"body larger than allowed ({declared_size} bytes)"
        return _refused(WebhookRejected(413, "too_large", "payload too large"),
                        Rejection(tenant_slug, None, 413, reason, b""))  # fmt: skip
    tenant = await uow.accounts.tenant_by_slug(slug=tenant_slug)
    tenant_id = tenant.id if tenant else None
    try:
        if tenant is None or not tenant.portal_secret:
            raise WebhookRejected(404, "unknown_tenant", "unknown tenant")
        if not signature_matches(body, signature, tenant.portal_secrets(now=datetime.now(UTC))):
            raise WebhookRejected(401, "bad_signature", "invalid signature")
        principal = Principal(tenant_id=tenant.id, role="portal")
        response = await services.call(
            "inquiry", "POST", "/portal-inquiries", principal=principal, content=body
        )
    except WebhookRejected as rejected:
        return _refused(
            rejected, Rejection(tenant_slug, tenant_id, rejected.status, rejected.reason, body)
        )
    rejection = None
    if response.status_code >= 400:
        reason = _invalid_fields(response) or "refused by the inquiry service"
        rejection = Rejection(tenant_slug, tenant_id, response.status_code, reason, body)
    return Delivery(
        status=response.status_code,
        content=response.content,
        media_type=response.headers.get("content-type", "application/json"),
        rejection=rejection,
    )


def _refused(rejected: WebhookRejected, rejection: Rejection) -> Delivery:
    content = JSONResponse({"detail": rejected.detail}).body
    return Delivery(rejected.status, bytes(content), "application/json", rejection)


async def record_rejection(rejection: Rejection, *, uow: GatewayUnitOfWork) -> None:
    body = rejection.body
    uow.accounts.add(
        WebhookRejection(
            tenant_slug=rejection.tenant_slug[:100],
            tenant_id=rejection.tenant_id,
            status=rejection.status,
            reason=rejection.reason[:500],
            body_sha256=hashlib.sha256(body).hexdigest() if body else "",
            body_size=len(body),
        )
    )


async def rotate_portal_secret(
    *, tenant_id: Any, grace: timedelta, uow: GatewayUnitOfWork
) -> tuple[str, datetime]:
    """A new secret; the old one keeps signing until the returned time."""
    tenant = await uow.accounts.tenant(tenant_id=tenant_id)
    if tenant is None:
        raise NotFound("テナントが見つかりません。")
    until = datetime.now(UTC) + grace
    tenant.previous_portal_secret = tenant.portal_secret
    tenant.previous_portal_secret_until = until
    tenant.portal_secret = secrets.token_urlsafe(32)
    return tenant.portal_secret, until


def _invalid_fields(response: httpx.Response) -> str | None:
    """'invalid: customer.email, kind' from a 422 (field names only, never values)."""
    try:
        detail = response.json().get("detail")
    except ValueError:
        return None
    if isinstance(detail, dict) and isinstance(detail.get("errors"), list):
        fields = [str(e.get("field") or "body") for e in detail["errors"]]
        return "invalid: " + ", ".join(sorted(set(fields)))
    if isinstance(detail, dict):
        return f"{detail.get('code', 'refused')}: {detail.get('field', '')}".rstrip(": ")
    return None
