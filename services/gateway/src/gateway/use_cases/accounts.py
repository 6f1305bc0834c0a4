"""GW-1: login, sessions, logout."""

from dataclasses import dataclass
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
class Staff:
    user_id: UUID
    tenant_id: UUID
    email: str
    display_name: str
    role: str

    def principal(self) -> Principal:
        return Principal(tenant_id=self.tenant_id, user_id=self.user_id, role=self.role)  # type: ignore[arg-type]


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
    user = await uow.accounts.session_user(digest=token_digest(token), now=datetime.now(UTC))
    if user is None:
        return None
    return Staff(
        user_id=user.id,
        tenant_id=user.tenant_id,
        email=user.email,
        display_name=user.display_name,
        role=user.role,
    )


async def sign_out(token: str, *, uow: GatewayUnitOfWork) -> None:
    await uow.accounts.delete_session(digest=token_digest(token))
