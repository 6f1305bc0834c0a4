"""INQ-1 partner webhook: the signature proves the tenant; the store code maps to a store;
the raw body goes to the inquiry service, which validates and stores it."""

import json

import httpx
from kit.auth import Principal
from kit.errors import Invalid, NotFound

from gateway.adapters.services import ServiceClients
from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.domain.security import signature_matches


class BadSignature(Exception):
    pass


async def forward_portal_inquiry(
    *,
    tenant_slug: str,
    body: bytes,
    signature: str | None,
    uow: GatewayUnitOfWork,
    services: ServiceClients,
) -> httpx.Response:
    tenant = await uow.accounts.tenant_by_slug(slug=tenant_slug)
    if tenant is None or not tenant.portal_secret:
        raise NotFound("unknown tenant")
    if not signature_matches(body, signature, [tenant.portal_secret]):
        raise BadSignature
    store_ids: tuple = ()
    store_code = _store_code(body)
    if store_code is not None:
        store = await uow.accounts.store_by_code(tenant_id=tenant.id, code=store_code)
        if store is None:
            raise Invalid(f"unknown store code: {store_code}", field="store_code")
        store_ids = (store.id,)
    principal = Principal(tenant_id=tenant.id, role="portal", store_ids=store_ids)
    return await services.call(
        "inquiry", "POST", "/portal-inquiries", principal=principal, content=body
    )


def _store_code(body: bytes) -> str | None:
    """The store code if the body has one; the inquiry service judges the rest of the body."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    code = data.get("store_code") if isinstance(data, dict) else None
    return code if isinstance(code, str) and code else None
