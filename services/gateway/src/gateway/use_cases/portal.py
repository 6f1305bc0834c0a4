"""INQ-1 partner webhook: the signature proves the tenant (current secret, or the previous one
during its grace period); the store code maps to a store; the raw body goes to the inquiry
service, which validates and keeps it. Every refusal is recorded for audit (no body values)."""

import hashlib
import json
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from kit.auth import Principal
from kit.errors import NotFound

from gateway.adapters.orm import WebhookRejection
from gateway.adapters.services import ServiceClients
from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.domain.security import signature_matches


class WebhookRejected(Exception):
    def __init__(self, status: int, reason: str, detail: Any) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.detail = detail


async def receive_portal_inquiry(
    *,
    tenant_slug: str,
    body: bytes,
    signature: str | None,
    uow: GatewayUnitOfWork,
    services: ServiceClients,
) -> httpx.Response:
    tenant = await uow.accounts.tenant_by_slug(slug=tenant_slug)
    tenant_id = tenant.id if tenant else None
    try:
        if tenant is None or not tenant.portal_secret:
            raise WebhookRejected(404, "unknown_tenant", "unknown tenant")
        if not signature_matches(body, signature, tenant.portal_secrets(now=datetime.now(UTC))):
            raise WebhookRejected(401, "bad_signature", "invalid signature")
        store_ids: tuple = ()
        store_code = _store_code(body)
        if store_code is not None:
            store = await uow.accounts.store_by_code(tenant_id=tenant.id, code=store_code)
            if store is None:
                detail = {"code": "invalid", "field": "store_code",
                          "message": f"unknown store code: {store_code}"}  # fmt: skip
                raise WebhookRejected(422, "unknown_store_code", detail)
            store_ids = (store.id,)
        principal = Principal(tenant_id=tenant.id, role="portal", store_ids=store_ids)
        response = await services.call(
            "inquiry", "POST", "/portal-inquiries", principal=principal, content=body
        )
    except WebhookRejected as rejected:
        await _record(uow, tenant_slug, tenant_id, rejected.status, rejected.reason, body)
        raise
    if response.status_code >= 400:
        reason = _invalid_fields(response) or "refused by the inquiry service"
        await _record(uow, tenant_slug, tenant_id, response.status_code, reason, body)
    return response


async def reject_oversized(
    *, tenant_slug: str, size: int, uow: GatewayUnitOfWork
) -> WebhookRejected:
    await _record(uow, tenant_slug, None, 413, f"body larger than allowed ({size} bytes)", b"")
    return WebhookRejected(413, "too_large", "payload too large")


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
    await uow.commit()
    return tenant.portal_secret, until


async def _record(
    uow: GatewayUnitOfWork, slug: str, tenant_id: Any, status: int, reason: str, body: bytes
) -> None:
    uow.accounts.add(
        WebhookRejection(
            tenant_slug=slug[:100],
            tenant_id=tenant_id,
            status=status,
            reason=reason[:500],
            body_sha256=hashlib.sha256(body).hexdigest() if body else "",
            body_size=len(body),
        )
    )
    await uow.commit()


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


def _store_code(body: bytes) -> str | None:
    """The store code if the body has one; the inquiry service judges the rest of the body."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    code = data.get("store_code") if isinstance(data, dict) else None
    return code if isinstance(code, str) and code else None
