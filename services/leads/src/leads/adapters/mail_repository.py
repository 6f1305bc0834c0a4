"""SQL of LEAD-6's mails. Tenant scoping is applied by the session (kit.db); the statements
that match and fan out name the tenant themselves (INSERT … SELECT is not an ORM read)."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from leads.adapters.mail_orm import (
    Buyer,
    BuyerArea,
    Delivery,
    Listing,
    Mail,
    Proposed,
    StepSequence,
)

# The scheduler listens here: a delivery due now is sent without waiting for its poll.
SCHEDULE_CHANNEL = "lead_mail_due"


class _Scoped:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id


class ListingRepository(_Scoped):
    async def put(self, *, values: dict) -> bool:
        """Insert or replace; False when an older announcement arrives after a newer one."""
        stmt = pg.insert(Listing).values(tenant_id=self._tenant_id, **values)
        result = await self._session.execute(
            stmt.on_conflict_do_update(
                index_elements=[Listing.tenant_id, Listing.property_id],
                set_={k: stmt.excluded[k] for k in values if k != "property_id"},
                where=Listing.changed_at <= stmt.excluded.changed_at,
            ).returning(Listing.property_id)
        )
        return result.first() is not None

    async def many(self, *, property_ids: list[UUID]) -> list[Listing]:
        rows = await self._session.scalars(
            sa.select(Listing).where(Listing.property_id.in_(property_ids))
        )
        return list(rows)


class BuyerRepository(_Scoped):
    async def put(self, *, values: dict, areas: list[dict]) -> None:
        """The newest state of a buyer; an unsubscription stays whatever arrives later."""
        stmt = pg.insert(Buyer).values(tenant_id=self._tenant_id, has_areas=bool(areas), **values)
        result = await self._session.execute(
            stmt.on_conflict_do_update(
                index_elements=[Buyer.tenant_id, Buyer.customer_id],
                set_={k: stmt.excluded[k] for k in (*values, "has_areas") if k != "customer_id"},
                where=Buyer.changed_at <= stmt.excluded.changed_at,
            ).returning(Buyer.customer_id)
        )
        if result.first() is None:
            return  # an older event: the areas stay the newer ones
        customer_id = values["customer_id"]
        await self._session.execute(
            sa.delete(BuyerArea).where(BuyerArea.customer_id == customer_id)
        )
        if areas:
            await self._session.execute(
                sa.insert(BuyerArea),
                [{"tenant_id": self._tenant_id, "customer_id": customer_id, **a} for a in areas],
            )

    async def get(self, *, customer_id: UUID) -> Buyer | None:
        return await self._session.scalar(sa.select(Buyer).where(Buyer.customer_id == customer_id))

    async def unsubscribe(self, *, customer_id: UUID, at: datetime) -> bool:
        result = await self._session.execute(
            sa.update(Buyer)
            .where(Buyer.customer_id == customer_id, Buyer.unsubscribed_at.is_(None))
            .values(unsubscribed_at=at)
            .returning(Buyer.customer_id)
        )
        return result.first() is not None

    def _automatic_matches(self, listing: Listing) -> sa.Select:
        """Buyers whose delivery is automatic and whose every condition the listing meets,
        not yet proposed this property. NULL facts fail the conditions that name them."""
        b, a = Buyer, BuyerArea
        # The listing's facts as typed parameters: a missing one is SQL's NULL, which fails
        # every comparison, so a condition naming it is not met.
        fact = {
            "kind": sa.literal(listing.kind, sa.Text),
            "prefecture": sa.literal(listing.prefecture, sa.Text),
            "city": sa.literal(listing.city, sa.Text),
            "station": sa.literal(listing.station, sa.Text),
            "price_yen": sa.literal(listing.price_yen, sa.BigInteger),
            "layout": sa.literal(listing.layout, sa.Text),
            "size_m2": sa.literal(listing.size_m2, sa.Float),
        }
        in_area = sa.exists().where(
            a.tenant_id == b.tenant_id,
            a.customer_id == b.customer_id,
            sa.or_(a.prefecture.is_(None), a.prefecture == fact["prefecture"]),
            sa.or_(a.city.is_(None), a.city == fact["city"]),
            sa.or_(a.station.is_(None), a.station == fact["station"]),
        )
        proposed = sa.exists().where(
            Proposed.tenant_id == b.tenant_id,
            Proposed.customer_id == b.customer_id,
            Proposed.property_id == listing.property_id,
        )
        return sa.select(b.customer_id).where(
            b.tenant_id == self._tenant_id,
            b.proposal_delivery == "automatic",
            b.side.is_distinct_from("seller"),
            b.email.is_not(None),
            b.unsubscribed_at.is_(None),
            sa.or_(sa.func.cardinality(b.kinds) == 0, fact["kind"] == b.kinds.any_()),
            sa.or_(sa.func.cardinality(b.layouts) == 0, fact["layout"] == b.layouts.any_()),
            sa.or_(b.price_min_yen.is_(None), b.price_min_yen <= fact["price_yen"]),
            sa.or_(b.price_max_yen.is_(None), b.price_max_yen >= fact["price_yen"]),
            sa.or_(b.size_min_m2.is_(None), b.size_min_m2 <= fact["size_m2"]),
            sa.or_(sa.not_(b.has_areas), in_area),
            sa.not_(proposed),
        )

    async def automatic_matches(self, *, listing: Listing) -> list[UUID]:
        rows = await self._session.scalars(
            self._automatic_matches(listing).order_by(Buyer.customer_id)
        )
        return list(rows)

    async def mark_proposed(self, *, customer_ids: list[UUID], property_id: UUID) -> None:
        if customer_ids:
            await self._session.execute(
                pg.insert(Proposed)
                .values(
                    [
                        {"tenant_id": self._tenant_id, "customer_id": c, "property_id": property_id}
                        for c in customer_ids
                    ]
                )
                .on_conflict_do_nothing()
            )


class MailRepository(_Scoped):
    async def add(self, *, values: dict) -> None:
        await self._session.execute(sa.insert(Mail).values(tenant_id=self._tenant_id, **values))

    async def get(self, *, mail_id: UUID) -> Mail | None:
        return await self._session.scalar(sa.select(Mail).where(Mail.id == mail_id))

    async def of_sequence(self, *, sequence_id: UUID) -> list[Mail]:
        rows = await self._session.scalars(
            sa.select(Mail).where(Mail.sequence_id == sequence_id).order_by(Mail.day_offset)
        )
        return list(rows)

    async def add_sequence(self, *, values: dict) -> None:
        await self._session.execute(
            sa.insert(StepSequence).values(tenant_id=self._tenant_id, **values)
        )

    async def active_steps(self) -> list[Mail]:
        rows = await self._session.scalars(
            sa.select(Mail)
            .join(StepSequence, StepSequence.id == Mail.sequence_id)
            .where(StepSequence.active, Mail.kind == "step")
        )
        return list(rows)

    async def deliver(self, *, rows: list[dict]) -> int:
        """Deliveries (id, mail_id, customer_id, due_at); one per mail and recipient, ever."""
        if not rows:
            return 0
        result = await self._session.execute(
            pg.insert(Delivery)
            .values([{"tenant_id": self._tenant_id, "state": "pending", **r} for r in rows])
            .on_conflict_do_nothing(constraint="lead_deliveries_once")
            .returning(Delivery.id)
        )
        await self._session.execute(sa.select(sa.func.pg_notify(SCHEDULE_CHANNEL, "")))
        return len(result.all())

    async def claim_newsletters(self, *, now: datetime, limit: int) -> list[Mail]:
        """Due newsletters not yet given their recipients, locked for this transaction."""
        rows = await self._session.scalars(
            sa.select(Mail)
            .where(Mail.kind == "newsletter", Mail.expanded_at.is_(None), Mail.due_at <= now)
            .order_by(Mail.due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list(rows)

    async def fan_out_newsletter(self, *, mail: Mail, now: datetime) -> int:
        """One delivery per opted-in buyer with an address who has not unsubscribed, as they
        stand now; marks the newsletter expanded in the same transaction."""
        chosen = sa.select(
            sa.func.gen_random_uuid(), sa.literal(self._tenant_id, sa.Uuid), sa.literal(mail.id),
            Buyer.customer_id, sa.literal(now), sa.literal("pending"),
        ).where(
            Buyer.tenant_id == self._tenant_id, Buyer.newsletter_opt_in,
            Buyer.email.is_not(None), Buyer.unsubscribed_at.is_(None),
        )  # fmt: skip
        result = await self._session.execute(
            pg.insert(Delivery)
            .from_select(["id", "tenant_id", "mail_id", "customer_id", "due_at", "state"], chosen)
            .on_conflict_do_nothing(constraint="lead_deliveries_once")
            .returning(Delivery.id)
        )
        await self._session.execute(
            sa.update(Mail).where(Mail.id == mail.id).values(expanded_at=now)
        )
        return len(result.all())

    async def claim_due(self, *, now: datetime, limit: int) -> list[Delivery]:
        """Pending deliveries due by ``now``, locked: a concurrent round skips them, and once
        this transaction marks them done no round sees them again."""
        rows = await self._session.scalars(
            sa.select(Delivery)
            .where(Delivery.state == "pending", Delivery.due_at <= now)
            .order_by(Delivery.due_at, Delivery.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list(rows)

    async def done(
        self, *, delivery_id: UUID, state: str, at: datetime, reason: str | None = None,
        outbox_mail_id: UUID | None = None,
    ) -> None:  # fmt: skip
        await self._session.execute(
            sa.update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(state=state, done_at=at, skip_reason=reason, outbox_mail_id=outbox_mail_id)
        )

    async def deliveries_of(self, *, mail_id: UUID) -> list[Delivery]:
        rows = await self._session.scalars(
            sa.select(Delivery).where(Delivery.mail_id == mail_id).order_by(Delivery.customer_id)
        )
        return list(rows)


async def tenants_with_due_mail(session: AsyncSession, *, now: datetime) -> list[UUID]:
    """The scheduler's question across tenants (no tenant scope: raw SQL, ids only)."""
    rows = await session.execute(
        sa.text(
            "SELECT tenant_id FROM lead_mail_deliveries WHERE state = 'pending' AND due_at <= :now "
            "UNION SELECT tenant_id FROM lead_mails WHERE kind = 'newsletter' "
            "AND expanded_at IS NULL AND due_at <= :now LIMIT 500"
        ),
        {"now": now},
    )
    return [r[0] for r in rows]
