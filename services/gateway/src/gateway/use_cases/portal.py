"""Partners' signed deliveries: the property portal's inquiries (INQ-1) and the web shop's
orders (ORD-2). For the portal the signature proves the tenant (current secret, or the
previous one during its grace period) here; the shop's secret is the orders service's, which
checks it. The body, never read here, goes as it came to the service that owns it, which
alone parses it and keeps it. Every refusal is recorded for audit (no body values), in its
own transaction: the delivery fails, its record stays."""

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
from kit.auth import Principal
from kit.errors import NotFound, error_response

from gateway.adapters.orm import WebhookRejection
from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.clients.transport import ServiceClients
from gateway.domain.partner_tenants import PartnerTenant, PartnerTenants
from gateway.domain.security import signature_matches


class WebhookRejected(Exception):
    def __init__(self, status: int, reason: str, code: str, message: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason  # for the audit
        self.code = code  # for the partner's program
        self.message = message  # for the partner's people, in Japanese


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


@dataclass(frozen=True)
class Partner:
    """A partner that posts signed deliveries for a tenant: the service that owns them (and
    parses them), and who checks the signature — the gateway with the tenant's secrets it
    keeps (the portal's), or the service with its own (the web shop's, kept by orders; the
    signature header then goes along). Refusals are audited with the partner's name."""

    name: str
    service: str
    path: str
    role: str
    signature_header: str
    secrets: Callable[[PartnerTenant, datetime], list[str]] | None = None


PORTAL = Partner("portal", "inquiry", "/portal-inquiries", "portal", "x-portal-signature",
                 secrets=lambda tenant, now: tenant.portal_secrets(now=now))  # fmt: skip
SHOP = Partner("shop", "orders", "/shop-orders", "shop", "x-shop-signature")


async def receive_signed(
    partner: Partner,
    *,
    tenant_slug: str,
    body: bytes | None,
    declared_size: int,
    signature: str | None,
    uow: GatewayUnitOfWork,
    services: ServiceClients,
    tenants: PartnerTenants,
) -> Delivery:
    """``body`` is None when it was larger than allowed (``declared_size`` then). The tenant
    comes from ``tenants`` (a few seconds' cache, ``domain/partner_tenants.py``)."""
    if body is None:
        reason = f"{partner.name}: body larger than allowed ({declared_size} bytes)"
        refused = WebhookRejected(413, "too_large", "too_large", "送信された内容が大きすぎます。")
        return _refused(refused, Rejection(tenant_slug, None, 413, reason, b""))

    async def load() -> PartnerTenant | None:
        found = await uow.accounts.tenant_by_slug(slug=tenant_slug)
        return found.for_partners() if found is not None else None

    tenant = await tenants.get(tenant_slug, load)
    if tenant is not None and not _signed_by(partner, tenant, body, signature):
        tenant = await tenants.get(tenant_slug, load, fresh=True)  # a secret rotated since?
    tenant_id = tenant.id if tenant else None
    try:
        if tenant is None or (partner.secrets is not None and not tenant.portal_secret):
            raise WebhookRejected(404, "unknown_tenant", "not_found", "送信先が見つかりません。")
        if not _signed_by(partner, tenant, body, signature):
            raise WebhookRejected(401, "bad_signature", "bad_signature", "署名が正しくありません。")
        principal = Principal(tenant_id=tenant.id, role=partner.role)  # type: ignore[arg-type]
        headers = {} if partner.secrets is not None else {partner.signature_header: signature or ""}
        response = await services.call(
            partner.service, "POST", partner.path, principal=principal, content=body,
            headers=headers,
        )  # fmt: skip
    except WebhookRejected as rejected:
        reason = rejected.reason if partner is PORTAL else f"{partner.name}: {rejected.reason}"
        return _refused(rejected, Rejection(tenant_slug, tenant_id, rejected.status, reason, body))
    rejection = None
    if response.status_code >= 400:
        reason = _invalid_fields(response) or f"refused by the {partner.service} service"
        if partner is not PORTAL:
            reason = f"{partner.name}: {reason}"
        rejection = Rejection(tenant_slug, tenant_id, response.status_code, reason, body)
    return Delivery(
        status=response.status_code,
        content=response.content,
        media_type=response.headers.get("content-type", "application/json"),
        rejection=rejection,
    )


def _signed_by(partner: Partner, tenant: PartnerTenant, body: bytes, signature: str | None) -> bool:
    """The gateway's check (the portal's secrets); a partner whose service checks its own
    signature passes here."""
    if partner.secrets is None:
        return True
    return signature_matches(body, signature, partner.secrets(tenant, datetime.now(UTC)))


def _refused(rejected: WebhookRejected, rejection: Rejection) -> Delivery:
    content = error_response(rejected.status, rejected.code, rejected.message).body
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
