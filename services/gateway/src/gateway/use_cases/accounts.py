"""GW-1: login, sessions (one device or all of them), the staff a session is, and the store
they work in now."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from uuid import UUID

from kit.auth import Principal

from gateway.adapters.orm import UserSession
from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.domain.security import new_session_token, token_digest, verify_password


@dataclass(frozen=True)
class SignedIn:
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class StoreRef:
    id: UUID
    code: str
    name: str
    active: bool = True


@dataclass(frozen=True)
class Staff:
    user_id: UUID
    tenant_id: UUID
    email: str
    display_name: str
    role: str
    # The stores the user belongs to (所属店舗), in code order; the services scope a 一般
    # user's store-owned data to them (the service token's ``stores`` claim).
    stores: tuple[StoreRef, ...] = ()
    store: StoreRef | None = None  # the one they work in now (the header)
    company: str = ""
    business_types: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def store_ids(self) -> tuple[UUID, ...]:
        return tuple(s.id for s in self.stores)

    def principal(self) -> Principal:
        return Principal(
            tenant_id=self.tenant_id,
            user_id=self.user_id,
            role=self.role,  # type: ignore[arg-type]
            store_ids=self.store_ids,
        )


async def sign_in(
    *, email: str, password: str, ttl_hours: int, uow: GatewayUnitOfWork
) -> SignedIn | None:
    user = await uow.accounts.user_by_email(email=email.strip().lower())
    if not verify_password(password, user.password_hash if user and user.active else None):
        return None
    assert user is not None
    token = new_session_token()
    expires = datetime.now(UTC) + timedelta(hours=ttl_hours)
    uow.accounts.add(
        UserSession(
            token_digest=token_digest(token),
            tenant_id=user.tenant_id,
            user_id=user.id,
            expires_at=expires,
        )
    )
    return SignedIn(token=token, expires_at=expires)


async def staff_for_token(token: str, *, uow: GatewayUnitOfWork) -> Staff | None:
    found = await uow.accounts.signed_in(digest=token_digest(token), now=datetime.now(UTC))
    if found is None:
        return None
    user, session = found
    by_id = await uow.accounts.stores_by_id(tenant_id=user.tenant_id)
    member_of = set(await uow.accounts.store_ids_of(user_id=user.id))
    stores = tuple(
        StoreRef(s.id, s.code, s.name)
        for s in sorted(by_id.values(), key=lambda s: s.code)
        if s.id in member_of and s.active  # a retired store's data is no longer theirs
    )
    current = next((s for s in stores if s.id == session.store_id), stores[0] if stores else None)
    tenant = await uow.accounts.tenant_unscoped(tenant_id=user.tenant_id)
    return Staff(
        user_id=user.id,
        tenant_id=user.tenant_id,
        email=user.email,
        display_name=user.display_name,
        role=user.role,
        stores=stores,
        store=current,
        company=tenant.name if tenant else "",
        business_types=tuple(tenant.business_types or ()) if tenant else (),
    )


async def sign_out(token: str, *, uow: GatewayUnitOfWork) -> None:
    await uow.accounts.delete_session(digest=token_digest(token))


async def sign_out_everywhere(staff: Staff, *, uow: GatewayUnitOfWork) -> None:
    """ログアウト（すべての端末）: every session of the user ends, this one included."""
    await uow.accounts.end_sessions(user_id=staff.user_id)


async def switch_store(token: str, staff: Staff, *, store_id: UUID, uow: GatewayUnitOfWork) -> bool:
    """The header's store switcher: only one of the user's own stores; kept in the session."""
    if store_id not in staff.store_ids:
        return False
    row = await uow.accounts.session_row(digest=token_digest(token))
    if row is None:
        return False
    row.store_id = store_id
    return True
