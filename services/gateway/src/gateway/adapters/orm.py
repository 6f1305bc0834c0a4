from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from kit.db import Base, TenantOwned
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.orm import Mapped, mapped_column

from gateway.domain.partner_tenants import PartnerTenant


class Tenant(Base):
    __tablename__ = "tenants"

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    slug: Mapped[str] = mapped_column(sa.Text, unique=True)
    name: Mapped[str] = mapped_column(sa.Text)
    industry: Mapped[str] = mapped_column(sa.Text)  # the first of business_types
    # real_estate | salon | mail_order: one or several (a broker that also runs a salon).
    business_types: Mapped[list[str]] = mapped_column(pg.ARRAY(sa.Text), default=list)
    portal_secret: Mapped[str | None] = mapped_column(sa.Text)
    # After a rotation the old secret still signs until this time (the portal's switch-over).
    previous_portal_secret: Mapped[str | None] = mapped_column(sa.Text)
    previous_portal_secret_until: Mapped[datetime | None] = mapped_column(
        sa.DateTime(timezone=True)
    )

    def for_partners(self) -> PartnerTenant:
        return PartnerTenant(self.id, self.portal_secret, self.previous_portal_secret,
                             self.previous_portal_secret_until)  # fmt: skip

    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class Store(TenantOwned, Base):
    """店舗 / 事業所."""

    __tablename__ = "stores"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "code"),)

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    code: Mapped[str] = mapped_column(sa.Text)
    name: Mapped[str] = mapped_column(sa.Text)
    # What the booking site's footer and the guest's mail show (empty: not given).
    postal_code: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    prefecture: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    city: Mapped[str] = mapped_column(sa.Text, default="", server_default="")  # 市区町村
    street: Mapped[str] = mapped_column(sa.Text, default="", server_default="")  # 町域・番地
    building: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    phone: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # 廃止: not offered any more (switcher, pickers, booking site); old records keep its name.
    retired_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    @property
    def active(self) -> bool:
        return self.retired_at is None

    @property
    def label(self) -> str:
        """The name as old records show it: 「田町支店（廃止）」 once retired."""
        return self.name if self.active else f"{self.name}（廃止）"


class User(TenantOwned, Base):
    __tablename__ = "users"

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    email: Mapped[str] = mapped_column(sa.Text, unique=True)  # login id, lower case
    display_name: Mapped[str] = mapped_column(sa.Text)
    password_hash: Mapped[str] = mapped_column(sa.Text)
    role: Mapped[str] = mapped_column(sa.Text)  # admin | general
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)


class UserSession(TenantOwned, Base):
    __tablename__ = "sessions"

    token_digest: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    user_id: Mapped[UUID] = mapped_column(sa.Uuid, sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    # The store the user works in now (the header's switcher); None: their first store.
    store_id: Mapped[UUID | None] = mapped_column(sa.Uuid, sa.ForeignKey("stores.id"))


class UserStore(TenantOwned, Base):
    """The stores a user belongs to (所属店舗): a 一般 user sees those stores' data only."""

    __tablename__ = "user_stores"

    user_id: Mapped[UUID] = mapped_column(sa.Uuid, sa.ForeignKey("users.id"), primary_key=True)
    store_id: Mapped[UUID] = mapped_column(sa.Uuid, sa.ForeignKey("stores.id"), primary_key=True)


class AccountToken(TenantOwned, Base):
    """A single-use, expiring link sent by mail: an invitation or a password reset. Stored
    by digest, like sessions."""

    __tablename__ = "account_tokens"

    token_digest: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    user_id: Mapped[UUID] = mapped_column(sa.Uuid, sa.ForeignKey("users.id"))
    purpose: Mapped[str] = mapped_column(sa.Text)  # invitation | reset
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class WebhookRejection(Base):
    """A refused partner call, for audit: who, when, why; never the body itself."""

    __tablename__ = "webhook_rejections"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    tenant_slug: Mapped[str] = mapped_column(sa.Text)
    tenant_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    received_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    status: Mapped[int] = mapped_column(sa.Integer)
    reason: Mapped[str] = mapped_column(sa.Text)
    body_sha256: Mapped[str] = mapped_column(sa.Text)
    body_size: Mapped[int] = mapped_column(sa.Integer)


class Partner(TenantOwned, Base):
    """A partner's AMQP feed of the tenant's events (decision 104): its broker user and
    queue are both ``queue``; the password is shown once and never stored."""

    __tablename__ = "partners"

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text)
    event_types: Mapped[list[str]] = mapped_column(pg.ARRAY(sa.Text))
    queue: Mapped[str] = mapped_column(sa.Text, unique=True)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    rotated_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class PartnerReplay(TenantOwned, Base):
    """A partner's request for its events of a time range again (decision 109, migration
    0007): the replay worker sends them from the feed log a window at a time, after
    ``cursor_at``/``cursor_event_id``, until it has passed ``range_to``."""

    __tablename__ = "partner_replays"

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    partner_id: Mapped[UUID] = mapped_column(sa.ForeignKey("partners.id", ondelete="CASCADE"))
    range_from: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    range_to: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    requested_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    requested_by: Mapped[UUID | None] = mapped_column(sa.Uuid)
    cursor_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    cursor_event_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    published: Mapped[int] = mapped_column(sa.Integer, default=0)
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
