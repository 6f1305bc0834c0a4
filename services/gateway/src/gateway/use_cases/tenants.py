"""Provisioning of a tenant with its stores and staff (used by the demo seed and by tests)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID

from contracts import StoreChangedV1
from contracts.envelope import new_event_id

from gateway.adapters.orm import Store, Tenant, User
from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.domain.security import hash_password


@dataclass(frozen=True)
class NewStaff:
    email: str
    password: str
    display_name: str
    role: str = "general"


@dataclass(frozen=True)
class NewTenant:
    slug: str
    name: str
    industry: str
    portal_secret: str | None
    stores: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    staff: list[NewStaff] = field(default_factory=list)
    business_types: tuple[str, ...] = ()  # none given: the industry alone


async def provision_tenant(spec: NewTenant, *, uow: GatewayUnitOfWork) -> UUID:
    """Create the tenant unless its slug exists; returns its id either way."""
    existing = await uow.accounts.tenant_by_slug(slug=spec.slug)
    if existing is not None:
        return existing.id
    tenant_id = new_event_id()
    uow.accounts.add(
        Tenant(
            id=tenant_id,
            slug=spec.slug,
            name=spec.name,
            industry=spec.industry,
            business_types=list(spec.business_types or (spec.industry,)),
            portal_secret=spec.portal_secret,
        )
    )
    await uow.session.flush()
    store_ids = []
    for code, name in spec.stores:
        store_id = new_event_id()
        store_ids.append(store_id)
        uow.accounts.add(Store(id=store_id, tenant_id=tenant_id, code=code, name=name))
        await uow.outbox.add(
            StoreChangedV1(store_id=store_id, code=code, name=name, changed_at=datetime.now(UTC)),
            tenant_id=tenant_id,
        )
    await uow.session.flush()
    for person in spec.staff:
        user_id = new_event_id()
        uow.accounts.add(
            User(
                id=user_id,
                tenant_id=tenant_id,
                email=person.email.lower(),
                display_name=person.display_name,
                password_hash=hash_password(person.password),
                role=person.role,
                active=True,
            )
        )
        await uow.session.flush()
        # The seed's staff work in every store (the demo shows the whole company).
        await uow.accounts.set_stores(tenant_id=tenant_id, user_id=user_id, store_ids=store_ids)
    return tenant_id


DEMO_TENANT = NewTenant(
    slug="demo",
    name="(株)スーム不動産",
    industry="real_estate",
    # The demo shows the whole product: a broker's, a salon's and a mail-order shop's pages
    # (docs/decisions.md 69); single-type tenants are the operator's and the tests'.
    business_types=("real_estate", "salon", "mail_order"),
    portal_secret="demo-portal-secret",
    stores=[("00000100101", "田町支店"), ("00000100102", "品川支店")],
    staff=[
        NewStaff("admin@demo.example", "demo-admin-pass", "管理者 太郎", "admin"),
        NewStaff("staff@demo.example", "demo-staff-pass", "営業 花子", "general"),
    ],
)
