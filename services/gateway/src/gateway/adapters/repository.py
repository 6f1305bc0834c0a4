"""Accounts: tenants, stores, users, sessions. Login and the portal webhook look up across
tenants (they establish the tenant); everything else is scoped by the session."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from kit.db import unscoped
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.adapters.orm import AccountToken, Store, Tenant, User, UserSession, UserStore


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

    async def signed_in(self, *, digest: str, now: datetime) -> tuple[User, UserSession] | None:
        """The active user of a live session, with the session (its current store)."""
        with unscoped(self._session):
            row = (
                await self._session.execute(
                    sa.select(User, UserSession)
                    .join(UserSession, UserSession.user_id == User.id)
                    .where(
                        UserSession.token_digest == digest,
                        UserSession.expires_at > now,
                        User.active,
                    )
                )
            ).first()
            return (row[0], row[1]) if row else None

    async def store_by_code(self, *, tenant_id: UUID, code: str) -> Store | None:
        with unscoped(self._session):
            return await self._session.scalar(
                sa.select(Store).where(Store.tenant_id == tenant_id, Store.code == code)
            )

    async def stores(self) -> list[Store]:
        return list(await self._session.scalars(sa.select(Store).order_by(Store.code)))

    async def users(self) -> list[User]:
        return list(await self._session.scalars(sa.select(User).order_by(User.email)))

    async def user(self, *, user_id: UUID) -> User | None:
        """A user of the unit's tenant (another tenant's id: None)."""
        return await self._session.scalar(sa.select(User).where(User.id == user_id))

    async def session_row(self, *, digest: str) -> UserSession | None:
        with unscoped(self._session):
            return await self._session.get(UserSession, digest)

    async def store_ids_of(self, *, user_id: UUID) -> list[UUID]:
        with unscoped(self._session):
            return list(
                await self._session.scalars(
                    sa.select(UserStore.store_id).where(UserStore.user_id == user_id)
                )
            )

    async def memberships(self) -> dict[UUID, list[UUID]]:
        """Each user's stores, for the unit's tenant."""
        rows = await self._session.execute(sa.select(UserStore.user_id, UserStore.store_id))
        found: dict[UUID, list[UUID]] = {}
        for user_id, store_id in rows:
            found.setdefault(user_id, []).append(store_id)
        return found

    async def set_stores(self, *, tenant_id: UUID, user_id: UUID, store_ids: list[UUID]) -> None:
        with unscoped(self._session):  # the operator's command has no tenant yet
            await self._session.execute(
                sa.delete(UserStore).where(
                    UserStore.tenant_id == tenant_id, UserStore.user_id == user_id
                )
            )
        for store_id in store_ids:
            self._session.add(UserStore(tenant_id=tenant_id, user_id=user_id, store_id=store_id))
        await self._session.flush()

    async def stores_by_id(self, *, tenant_id: UUID) -> dict[UUID, Store]:
        with unscoped(self._session):
            rows = await self._session.scalars(sa.select(Store).where(Store.tenant_id == tenant_id))
            return {s.id: s for s in rows}

    async def tenant_unscoped(self, *, tenant_id: UUID) -> Tenant | None:
        return await self._session.get(Tenant, tenant_id)

    async def account_token(self, *, digest: str, for_update: bool = False) -> AccountToken | None:
        with unscoped(self._session):
            query = sa.select(AccountToken).where(AccountToken.token_digest == digest)
            if for_update:
                query = query.with_for_update()
            return await self._session.scalar(query)

    async def user_for_token(self, *, user_id: UUID) -> User | None:
        with unscoped(self._session):
            return await self._session.get(User, user_id)

    async def end_sessions(self, *, user_id: UUID, keep: str | None = None) -> None:
        """Every session of the user, on every device (ログアウト（すべての端末）, disabling);
        ``keep``: the digest of the one session that stays (a password change's own)."""
        query = sa.delete(UserSession).where(UserSession.user_id == user_id)
        if keep is not None:
            query = query.where(UserSession.token_digest != keep)
        with unscoped(self._session):
            await self._session.execute(query)

    async def retire_tokens(self, *, user_id: UUID, purpose: str, now: datetime) -> None:
        """Earlier links of the same kind stop working when a new one is sent."""
        with unscoped(self._session):
            await self._session.execute(
                sa.update(AccountToken)
                .where(
                    AccountToken.user_id == user_id,
                    AccountToken.purpose == purpose,
                    AccountToken.used_at.is_(None),
                )
                .values(used_at=now)
            )

    def add(self, row: object) -> None:
        self._session.add(row)

    async def delete_session(self, *, digest: str) -> None:
        with unscoped(self._session):
            await self._session.execute(
                sa.delete(UserSession).where(UserSession.token_digest == digest)
            )
