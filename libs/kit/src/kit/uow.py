"""Unit of work: one transaction, the outbox and inbox inside it. The boundary commits."""

from types import TracebackType
from typing import Self
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kit.db import TENANT_KEY
from kit.outbox import Inbox, Outbox


class UnitOfWork:
    """Subclass it per service to add repositories in :meth:`_build`."""

    session: AsyncSession
    outbox: Outbox
    inbox: Inbox

    def __init__(
        self,
        sessions: async_sessionmaker,
        *,
        producer: str,
        tenant_id: UUID | None,
        store_scope: tuple[UUID, ...] | None = None,
    ) -> None:
        self._sessions = sessions
        self._producer = producer
        self.tenant_id = tenant_id
        # The caller's stores when only those are theirs to see (Principal.store_scope);
        # None: every store. Repositories apply it with kit.db.in_store_scope.
        self.store_scope = store_scope

    async def __aenter__(self) -> Self:
        self.session = self._sessions()
        self.session.info[TENANT_KEY] = self.tenant_id
        self.outbox = Outbox(self.session, producer=self._producer)
        self.inbox = Inbox(self.session)
        self._build()
        return self

    def _build(self) -> None:
        """Create the service's repositories from ``self.session``."""

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self.session.rollback()  # no-op after commit; undoes anything uncommitted
        finally:
            await self.session.close()

    async def commit(self) -> None:
        await self.session.commit()

    async def read_snapshot(self) -> None:
        """Make every later read of this unit see one moment (REPEATABLE READ, read only), so
        that figures read in several statements agree with each other and with the
        freshness line read beside them. Call it before the unit's first statement."""
        assert not self.session.in_transaction(), "read_snapshot() before the first statement"
        await self.session.connection(
            execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        )

    async def add_event(self, event, **kwargs) -> None:  # type: ignore[no-untyped-def]
        """Shortcut: an event of this unit's tenant."""
        assert self.tenant_id is not None
        await self.outbox.add(event, tenant_id=self.tenant_id, **kwargs)

    async def add_events(self, events, **kwargs) -> None:  # type: ignore[no-untyped-def]
        """Shortcut: many events of this unit's tenant in one statement (bulk work)."""
        assert self.tenant_id is not None
        await self.outbox.add_many(events, tenant_id=self.tenant_id, **kwargs)
