"""Tables of LEAD-6's mails: the read models of listings (booking's properties) and buyers
(the customer service's 希望条件, delivery setting, opt-in and address), the mails and each
recipient's delivery — the due-date table the scheduler works from."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from kit.db import Base, TenantOwned
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.orm import Mapped, mapped_column


class Listing(TenantOwned, Base):
    """A property with its facts, as booking last announced it."""

    __tablename__ = "lead_listings"

    tenant_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    property_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    store_id: Mapped[UUID] = mapped_column(sa.Uuid)
    code: Mapped[str | None] = mapped_column(sa.Text)
    name: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str | None] = mapped_column(sa.Text)
    prefecture: Mapped[str | None] = mapped_column(sa.Text)
    city: Mapped[str | None] = mapped_column(sa.Text)
    station: Mapped[str | None] = mapped_column(sa.Text)
    price_yen: Mapped[int | None] = mapped_column(sa.BigInteger)
    layout: Mapped[str | None] = mapped_column(sa.Text)
    size_m2: Mapped[float | None] = mapped_column(sa.Float)
    changed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class Buyer(TenantOwned, Base):
    """A customer as mails need it: typed conditions in columns, so matching is one query.
    An empty array or a NULL bound means "any"."""

    __tablename__ = "lead_buyers"

    tenant_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text)
    email: Mapped[str | None] = mapped_column(sa.Text)
    side: Mapped[str | None] = mapped_column(sa.Text)
    proposal_delivery: Mapped[str] = mapped_column(sa.Text)
    newsletter_opt_in: Mapped[bool] = mapped_column(sa.Boolean)
    kinds: Mapped[list[str]] = mapped_column(pg.ARRAY(sa.Text))
    layouts: Mapped[list[str]] = mapped_column(pg.ARRAY(sa.Text))
    price_min_yen: Mapped[int | None] = mapped_column(sa.BigInteger)
    price_max_yen: Mapped[int | None] = mapped_column(sa.BigInteger)
    size_min_m2: Mapped[float | None] = mapped_column(sa.Float)
    has_areas: Mapped[bool] = mapped_column(sa.Boolean)
    changed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    unsubscribed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class BuyerArea(TenantOwned, Base):
    """One area of a buyer's conditions; each given part must equal the listing's."""

    __tablename__ = "lead_buyer_areas"
    __table_args__ = (sa.Index("lead_buyer_areas_buyer", "tenant_id", "customer_id"),)

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid)
    prefecture: Mapped[str | None] = mapped_column(sa.Text)
    city: Mapped[str | None] = mapped_column(sa.Text)
    station: Mapped[str | None] = mapped_column(sa.Text)


class Mail(TenantOwned, Base):
    """One mail as written: a proposal (its properties), a step of a sequence, a newsletter
    (due at its date and time; its recipients are chosen when it is due)."""

    __tablename__ = "lead_mails"
    __table_args__ = (
        sa.Index(
            "lead_mails_newsletters_due", "due_at",
            postgresql_where=sa.text("kind = 'newsletter' AND expanded_at IS NULL"),
        ),
    )  # fmt: skip

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(sa.Text)  # proposal | step | newsletter
    origin: Mapped[str] = mapped_column(sa.Text)  # automatic | manual | sequence | staff
    subject: Mapped[str] = mapped_column(sa.Text)
    body: Mapped[str] = mapped_column(sa.Text)
    property_ids: Mapped[list] = mapped_column(pg.JSONB)
    sequence_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    day_offset: Mapped[int | None] = mapped_column(sa.Integer)
    due_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    expanded_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    created_by: Mapped[UUID | None] = mapped_column(sa.Uuid)


class Delivery(TenantOwned, Base):
    """A mail for one recipient, due at a moment; done once (sent or skipped with why)."""

    __tablename__ = "lead_mail_deliveries"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "mail_id", "customer_id", name="lead_deliveries_once"),
        sa.Index("lead_deliveries_due", "due_at", postgresql_where=sa.text("state = 'pending'")),
        sa.Index("lead_deliveries_customer", "tenant_id", "customer_id"),
    )

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)  # the send's message id
    mail_id: Mapped[UUID] = mapped_column(sa.Uuid)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid)
    due_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    state: Mapped[str] = mapped_column(sa.Text)  # pending | sent | skipped
    skip_reason: Mapped[str | None] = mapped_column(sa.Text)
    done_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    outbox_mail_id: Mapped[UUID | None] = mapped_column(sa.Uuid)


class Proposed(TenantOwned, Base):
    """A property already proposed automatically to a customer: never proposed again."""

    __tablename__ = "lead_proposed"

    tenant_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    property_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)


class StepSequence(TenantOwned, Base):
    """ステップメール: mails sent N days after a customer's inquiry."""

    __tablename__ = "lead_step_sequences"

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text)
    active: Mapped[bool] = mapped_column(sa.Boolean)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
