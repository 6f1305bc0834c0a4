"""Customer ids kept by a service that does not own customers, and how they follow merges.

The customer service owns customers; booking, leads, orders and inquiry keep their ids in
their own rows. What every such service needs, kept here once:

- ``customer_merges``: source → final target of every merge seen, so that a late event (or a
  mail token) naming a merged-away customer lands on the target;
- ``customers_known``: the tenant's customers the service has heard of (CustomerProfileChanged,
  which the customer service sends for every new customer; or the service's own first-hand
  knowledge, e.g. a mail sent): a route about a customer answers 404 for an id that is none of
  the tenant's, rather than an empty answer (``CustomerRefs.require``);
- :class:`CustomerRefs`: hold and re-point under advisory locks, and re-point every column
  the service registers as holding customer ids (:class:`Holder`).

Locks (transaction-scoped, so they end with the boundary's commit): a row written for a
customer holds that customer's lock; a merge takes both customers' in a fixed order. A row
naming the source concurrently with its merge therefore either commits first (and is
re-pointed by the merge) or waits and reads the merge (and lands on the target); nothing is
left on the source.

(``customer_links``, inquiry → customer from InquiryLinked v1, was kept by booking and leads
until InquiryLinked v2 carried the inquiry itself, decision 97; its definition stays for the
migrations that created and dropped it.)
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

import sqlalchemy as sa
from alembic import op
from contracts import CustomerMergedV1, CustomerProfileChangedV1, Envelope
from contracts.customer import CustomerDeletedV1
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from kit.errors import NotFound

LINKS = "customer_links"
MERGES = "customer_merges"
KNOWN = "customers_known"

_metadata = sa.MetaData()

links_table = sa.Table(
    LINKS,
    _metadata,
    sa.Column("inquiry_id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("customer_id", sa.Uuid, nullable=False, index=True),
)

merges_table = sa.Table(
    MERGES,
    _metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True),
    sa.Column("source_id", sa.Uuid, primary_key=True),
    sa.Column("target_id", sa.Uuid, nullable=False, index=True),
)

known_table = sa.Table(
    KNOWN,
    _metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True),
    sa.Column("customer_id", sa.Uuid, primary_key=True),
)


# --- migrations ------------------------------------------------------------------------------


def create_customer_links() -> None:
    """For a service's migration: the inquiry → customer link table."""
    _create(links_table)


def create_customer_merges() -> None:
    """For a service's migration: the merges seen (every service that keeps customer ids)."""
    _create(merges_table)


def create_known_customers(*, from_columns: Sequence[tuple[str, str]] = ()) -> None:
    """For a service's migration: the customers it has heard of, filled from the
    (table, column) pairs that already hold the tenant's customer ids."""
    _create(known_table)
    for table, column in from_columns:
        op.execute(
            sa.text(
                f"INSERT INTO {KNOWN} (tenant_id, customer_id) SELECT DISTINCT tenant_id, {column} "
                f"FROM {table} WHERE {column} IS NOT NULL ON CONFLICT DO NOTHING"
            )
        )


def adopt_table(old: str, new: str) -> None:
    """For a service's migration: take over a table of the same shape that the service made
    itself before the kit had it (renamed with its indexes, rows kept)."""
    op.rename_table(old, new)
    op.execute(
        sa.text(
            "DO $$ DECLARE i record; BEGIN "
            f"FOR i IN SELECT indexname FROM pg_indexes WHERE tablename = '{new}' "
            f"AND strpos(indexname, '{old}') > 0 LOOP "
            "EXECUTE format('ALTER INDEX %I RENAME TO %I', i.indexname, "
            f"replace(i.indexname, '{old}', '{new}')); END LOOP; END $$"
        )
    )


def _create(table: sa.Table) -> None:
    op.create_table(table.name, *(c._copy() for c in table.columns))  # index=True kept


# --- the repository --------------------------------------------------------------------------


@dataclass(frozen=True)
class Holder:
    """A column holding customer ids, re-pointed by every merge.

    ``unique_by``: a source row whose value the target already has is dropped, not moved (one
    newsletter sent to both records stays the target's only). ``drop``: the source's rows go
    and the target keeps its own (a per-customer switch). ``keep_rows``: the moved ORM rows
    are returned (booking announces each moved visit)."""

    column: Any  # an ORM attribute, e.g. Visit.customer_id
    unique_by: Any = None
    drop: bool = False
    keep_rows: bool = False

    @property
    def model(self) -> Any:
        return self.column.class_


@dataclass(frozen=True)
class Merged:
    """What a merge did: the target rows now name (the event's, or where it went since) and
    the moved rows of the holders that keep them."""

    source_id: UUID
    target_id: UUID
    moved: dict[Any, list[Any]] = field(default_factory=dict)

    def rows(self, model: Any) -> list[Any]:
        return self.moved.get(model, [])


def current_customer(customer_id: UUID, *, tenant_id: UUID | None) -> sa.ColumnElement[UUID]:
    """SQL for the customer the id names today (for a repository's own query)."""
    return sa.func.coalesce(
        sa.select(merges_table.c.target_id)
        .where(merges_table.c.tenant_id == tenant_id, merges_table.c.source_id == customer_id)
        .scalar_subquery(),
        customer_id,
    )


def lock_key(kind: str, value: UUID) -> int:
    """A signed 64-bit advisory-lock key per (kind, id), so inquiry and customer locks of one
    database never meet."""
    digest = hashlib.blake2b(kind.encode() + value.bytes, digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class CustomerRefs:
    """The customer ids of one service's unit of work. The kit's tables are Core, so the tenant is set here on every statement (the session's hook scopes
    ORM entities only)."""

    def __init__(
        self,
        session: AsyncSession,
        *,
        tenant_id: UUID | None,
        holders: Sequence[Holder] = (),
        known: bool = False,
    ) -> None:
        """``known``: the service has the ``customers_known`` table."""
        self._session = session
        self._tenant_id = tenant_id
        self._holders = tuple(holders)
        self._known = known

    async def _lock(self, kind: str, value: UUID) -> None:
        await self._session.execute(sa.select(sa.func.pg_advisory_xact_lock(lock_key(kind, value))))

    async def current(self, *, customer_id: UUID) -> UUID:
        """The customer the id names today: the target it was merged into, or itself."""
        return await self._session.scalar(
            sa.select(current_customer(customer_id, tenant_id=self._tenant_id))
        )

    async def hold(self, *, customer_id: UUID) -> UUID:
        """Lock the customer the id names today and return it: until commit no merge moves
        it away, so a row written with it now is re-pointed by any later merge."""
        while True:
            await self._lock("customer", customer_id)
            now = await self.current(customer_id=customer_id)
            if now == customer_id:
                return now
            customer_id = now  # merged meanwhile (or before): hold its target instead

    async def know(self, *, customer_id: UUID) -> None:
        stmt = pg.insert(known_table).values(tenant_id=self._tenant_id, customer_id=customer_id)
        await self._session.execute(stmt.on_conflict_do_nothing())

    async def forget(self, *, customer_id: UUID) -> None:
        await self._session.execute(
            sa.delete(known_table).where(
                known_table.c.tenant_id == self._tenant_id,
                known_table.c.customer_id == customer_id,
            )
        )

    async def require(self, *, customer_id: UUID) -> UUID:
        """The customer the id names today, or NotFound when the tenant has none such (an id
        of another tenant's, or made up)."""
        current = await self.current(customer_id=customer_id)
        found = await self._session.scalar(
            sa.select(sa.literal(True)).where(
                known_table.c.tenant_id == self._tenant_id,
                known_table.c.customer_id == current,
            )
        )
        if not found:
            raise NotFound("お客様が見つかりません。")
        return current

    async def repoint(self, *, source_id: UUID, target_id: UUID) -> Merged | None:
        """Follow a merge: remember it, and move every holder's rows from the source to the target (to where the target went, if it was merged since). Idempotent;
        None when there is nothing to move (the source is where the target went)."""
        for customer in sorted({source_id, target_id}):
            await self._lock("customer", customer)
        target_id = await self.hold(customer_id=target_id)
        if target_id == source_id:
            return None
        await self._remember(source_id=source_id, target_id=target_id)
        if self._known:  # the source is gone; asked for, it names the target (``require``)
            await self.forget(customer_id=source_id)
            await self.know(customer_id=target_id)
        merged = Merged(source_id=source_id, target_id=target_id)
        for holder in self._holders:
            moved = await self._move(holder, source_id=source_id, target_id=target_id)
            if holder.keep_rows:
                merged.moved[holder.model] = moved
        return merged

    async def _remember(self, *, source_id: UUID, target_id: UUID) -> None:
        """Earlier merges into the source now lead to the target too (chains stay one step)."""
        merges = merges_table.c
        await self._session.execute(
            sa.update(merges_table)
            .where(merges.tenant_id == self._tenant_id, merges.target_id == source_id)
            .values(target_id=target_id)
        )
        stmt = pg.insert(merges_table).values(
            tenant_id=self._tenant_id, source_id=source_id, target_id=target_id
        )
        await self._session.execute(
            stmt.on_conflict_do_update(
                index_elements=[merges.tenant_id, merges.source_id],
                set_={"target_id": stmt.excluded.target_id},
            )
        )

    async def _move(self, holder: Holder, *, source_id: UUID, target_id: UUID) -> list[Any]:
        model, column = holder.model, holder.column
        if holder.drop:
            await self._session.execute(
                sa.delete(model)
                .where(column == source_id)
                .execution_options(synchronize_session=False)
            )
            return []
        if holder.unique_by is not None:
            key = holder.unique_by
            await self._session.execute(
                sa.delete(model)
                .where(column == source_id, key.in_(sa.select(key).where(column == target_id)))
                .execution_options(synchronize_session=False)
            )
        update = (
            sa.update(model)
            .where(column == source_id)
            .values({column.key: target_id})
            .execution_options(synchronize_session=False)
        )
        if holder.keep_rows:
            return list(await self._session.scalars(update.returning(model)))
        await self._session.execute(update)
        return []


# --- the ready-made handler ------------------------------------------------------------------


class HasCustomerRefs(Protocol):
    customer_refs: CustomerRefs


async def repoint_merged_customer(
    event: CustomerMergedV1, *, envelope: Envelope, uow: HasCustomerRefs
) -> None:
    """CustomerMerged → every customer id the service keeps follows the merge. (The name is
    the inbox consumer's: keep it.)"""
    await uow.customer_refs.repoint(
        source_id=event.source_customer_id, target_id=event.target_customer_id
    )


async def know_customer(
    event: CustomerProfileChangedV1, *, envelope: Envelope, uow: HasCustomerRefs
) -> None:
    """CustomerProfileChanged (sent for every new customer, and on changes) → known."""
    await uow.customer_refs.know(customer_id=event.customer_id)


async def forget_customer(
    event: CustomerDeletedV1, *, envelope: Envelope, uow: HasCustomerRefs
) -> None:
    await uow.customer_refs.forget(customer_id=event.customer_id)
