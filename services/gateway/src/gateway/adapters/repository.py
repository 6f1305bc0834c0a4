"""Accounts: tenants, stores, users, sessions. Login and the portal webhook look up across
tenants (they establish the tenant); everything else is scoped by the session."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from kit.db import unscoped
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.adapters.orm import Store, Tenant, User, UserSession


class AccountRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def tenant_by_slug(self, *, slug: str) -> Tenant | None:
        return await self._session.scalar(sa.select(Tenant).where(Tenant.slug == slug))

    async def tenant(self, *, tenant_id: UUID) -> Tenant | None:
        return await self._session.get(Tenant, tenant_id)

    async def user_by_email(self, *, email: str) -> User | None:
        with unscoped(self._session):
            return await self._session.scalar(sa.select(User).where(User.email == email))

    async def session_user(self, *, digest: str, now: datetime) -> User | None:
        with unscoped(self._session):
            return await self._session.scalar(
                sa.select(User)
                .join(UserSession, UserSession.user_id == User.id)
                .where(
                    UserSession.token_digest == digest, UserSession.expires_at > now, User.active
                )
            )

    async def store_by_code(self, *, tenant_id: UUID, code: str) -> Store | None:
        with unscoped(self._session):
            return await self._session.scalar(
                sa.select(Store).where(Store.tenant_id == tenant_id, Store.code == code)
            )

    async def stores(self) -> list[Store]:
        return list(await self._session.scalars(sa.select(Store).order_by(Store.code)))

    async def users(self) -> list[User]:
        return list(await self._session.scalars(sa.select(User).order_by(User.email)))

    def add(self, row: object) -> None:
        self._session.add(row)

    async def delete_session(self, *, digest: str) -> None:
        with unscoped(self._session):
            await self._session.execute(
                sa.delete(UserSession).where(UserSession.token_digest == digest)
            )
