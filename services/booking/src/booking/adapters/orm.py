from datetime import date, datetime
from uuid import UUID

import sqlalchemy as sa
from kit.db import Base, TenantOwned
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.orm import Mapped, mapped_column


class VisitRequest(TenantOwned, Base):
    """A portal reservation's requested time, kept from InquiryReceived until it becomes a
    visit (once the customer is known)."""

    __tablename__ = "visit_requests"
    __table_args__ = (sa.Index("visit_requests_received", "tenant_id", "received_at"),)

    inquiry_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    store_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    customer_id: Mapped[UUID | None] = mapped_column(sa.Uuid, index=True)
    property_code: Mapped[str | None] = mapped_column(sa.Text)
    property_name: Mapped[str | None] = mapped_column(sa.Text)
    starts_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    status: Mapped[str] = mapped_column(sa.Text, default="pending")
    received_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class StoreSettings(TenantOwned, Base):
    """A store as booking knows it: the gateway owns the store, booking its booking rules."""

    __tablename__ = "booking_stores"

    store_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text)
    staff_count: Mapped[int] = mapped_column(sa.Integer)
    slot_minutes: Mapped[int] = mapped_column(sa.Integer)
    # {"0": ["10:00", "19:00"], ...} Monday = "0"; a missing weekday is closed.
    hours: Mapped[dict] = mapped_column(pg.JSONB)
    closed_dates: Mapped[list] = mapped_column(pg.JSONB)  # ["2026-12-31", ...]
    closed_on_holidays: Mapped[bool] = mapped_column(sa.Boolean)
    last_minute_cancel_hours: Mapped[int] = mapped_column(sa.Integer)
    prepayment: Mapped[bool] = mapped_column(sa.Boolean)


class Property(TenantOwned, Base):
    __tablename__ = "booking_properties"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "code", name="booking_properties_code"),)

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    store_id: Mapped[UUID] = mapped_column(sa.Uuid, index=True)
    code: Mapped[str | None] = mapped_column(sa.Text)  # the portal's property code
    name: Mapped[str] = mapped_column(sa.Text)
    concurrent_groups: Mapped[int] = mapped_column(sa.Integer)  # 同時案内組数
    portal_listed: Mapped[bool] = mapped_column(sa.Boolean)  # SUUMO入稿物件
    # The facts buyers' conditions name (contracts.listings.ListingFacts); all None for a
    # property not yet described (kind is then None).
    kind: Mapped[str | None] = mapped_column(sa.Text)
    prefecture: Mapped[str | None] = mapped_column(sa.Text)
    city: Mapped[str | None] = mapped_column(sa.Text)
    station: Mapped[str | None] = mapped_column(sa.Text)
    price_yen: Mapped[int | None] = mapped_column(sa.BigInteger)
    layout: Mapped[str | None] = mapped_column(sa.Text)
    size_m2: Mapped[float | None] = mapped_column(sa.Float)
    # 廃止: set, the entry leaves the pickers and the availability; old visits still name it.
    retired_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class SlotCapacity(TenantOwned, Base):
    """One counter per resource (a property or a store's staff) and slot. The only place a
    booking is admitted: ``UPDATE … SET booked = booked + 1 WHERE booked < capacity``."""

    __tablename__ = "booking_slot_capacity"
    __table_args__ = (sa.CheckConstraint("booked >= 0", name="booking_slot_booked_not_negative"),)

    resource_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    slot_start: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), primary_key=True)
    resource: Mapped[str] = mapped_column(sa.Text)  # property | store
    capacity: Mapped[int] = mapped_column(sa.Integer)
    booked: Mapped[int] = mapped_column(sa.Integer, default=0)


class Visit(TenantOwned, Base):
    """接客予定."""

    __tablename__ = "booking_visits"
    __table_args__ = (
        sa.Index("booking_visits_store_time", "tenant_id", "store_id", "starts_at"),
        sa.Index(
            "booking_visits_conflicts",
            "tenant_id",
            "starts_at",
            postgresql_where=sa.text("conflict"),
        ),
    )

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(sa.Text)
    store_id: Mapped[UUID] = mapped_column(sa.Uuid)
    property_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid, index=True)
    starts_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    status: Mapped[str] = mapped_column(sa.Text)
    # The slots this visit occupies right now (none for a conflict or a cancelled visit).
    held_slots: Mapped[list] = mapped_column(pg.JSONB, default=list)
    conflict: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    conflict_reason: Mapped[str | None] = mapped_column(sa.Text)
    source_inquiry_id: Mapped[UUID | None] = mapped_column(sa.Uuid, unique=True)
    menu_id: Mapped[UUID | None] = mapped_column(sa.Uuid)  # salon reservations
    staff_member_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    memo: Mapped[str | None] = mapped_column(sa.Text)
    last_minute_cancel: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    no_show: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class BookingCustomer(TenantOwned, Base):
    """Read model of the customer service's facts booking needs: name on the calendar,
    ❗ caution, blacklist. Fed by CustomerProfileChanged (and InquiryLinked: the id exists)."""

    __tablename__ = "booking_customers"

    customer_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    name: Mapped[str | None] = mapped_column(sa.Text)
    caution: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    blacklisted: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    withdrawn: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    changed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class CouponTicket(TenantOwned, Base):
    """回数券: prepaid visits; ``remaining`` only ever falls through a guarded UPDATE."""

    __tablename__ = "booking_coupon_tickets"
    __table_args__ = (sa.CheckConstraint("remaining >= 0", name="booking_coupon_remaining"),)

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid, index=True)
    name: Mapped[str] = mapped_column(sa.Text)
    total_count: Mapped[int] = mapped_column(sa.Integer)
    remaining: Mapped[int] = mapped_column(sa.Integer)
    expires_on: Mapped[date] = mapped_column(sa.Date)
    issued_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class CouponUse(TenantOwned, Base):
    __tablename__ = "booking_coupon_uses"

    visit_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)  # one ticket per visit
    ticket_id: Mapped[UUID] = mapped_column(sa.Uuid, index=True)
    used_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class NotificationTarget(TenantOwned, Base):
    """通知先: where a store's new reservations are announced; not a user account."""

    __tablename__ = "booking_notification_targets"

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    store_id: Mapped[UUID] = mapped_column(sa.Uuid, index=True)
    name: Mapped[str] = mapped_column(sa.Text)
    email: Mapped[str] = mapped_column(sa.Text)


class Notification(TenantOwned, Base):
    """A notice to a 通知先 (a new reservation, a new portal inquiry), recorded in the
    business transaction together with its queued mail (``kit.mail``), so none is lost;
    the mail outbox row (``mail_id``) says when it went out."""

    __tablename__ = "booking_notifications"

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    target_id: Mapped[UUID] = mapped_column(sa.Uuid)
    store_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    visit_id: Mapped[UUID | None] = mapped_column(sa.Uuid, index=True)
    inquiry_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    mail_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    email: Mapped[str] = mapped_column(sa.Text)
    subject: Mapped[str] = mapped_column(sa.Text)
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class SalesReport(TenantOwned, Base):
    """営業報告: written by staff after a service, one per visit."""

    __tablename__ = "booking_sales_reports"

    visit_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid, index=True)
    customer_name: Mapped[str] = mapped_column(sa.Text)
    name_search: Mapped[str] = mapped_column(sa.Text)  # NFKC, no spaces: partial-name search
    visit_starts_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    body: Mapped[str] = mapped_column(sa.Text)
    written_by: Mapped[UUID | None] = mapped_column(sa.Uuid)
    written_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class Menu(TenantOwned, Base):
    """A salon menu: how long it takes decides how many slots a reservation covers."""

    __tablename__ = "booking_menus"

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    store_id: Mapped[UUID] = mapped_column(sa.Uuid, index=True)
    name: Mapped[str] = mapped_column(sa.Text)
    duration_minutes: Mapped[int] = mapped_column(sa.Integer)
    price_yen: Mapped[int] = mapped_column(sa.Integer)
    # 廃止: set, the entry leaves the pickers and the availability; old visits still name it.
    retired_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class StaffMember(TenantOwned, Base):
    """A salon's staff member (施術者) with working hours inside the store's."""

    __tablename__ = "booking_staff_members"

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    store_id: Mapped[UUID] = mapped_column(sa.Uuid, index=True)
    name: Mapped[str] = mapped_column(sa.Text)
    hours: Mapped[dict | None] = mapped_column(pg.JSONB)  # as the store's; None: the store's
    # 廃止: set, the entry leaves the pickers and the availability; old visits still name it.
    retired_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class ReservationHold(TenantOwned, Base):
    """A public reservation's slots, taken before the guest is registered as a customer and
    turned into the visit once they are (docs/booking.md, 「予約サイト」). An expired hold is
    swept and gives its slots back, so a guest lost between the two steps blocks nothing."""

    __tablename__ = "booking_reservation_holds"
    __table_args__ = (
        sa.Index("booking_reservation_holds_expiry", "tenant_id", "store_id", "expires_at"),
    )

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    store_id: Mapped[UUID] = mapped_column(sa.Uuid)
    menu_id: Mapped[UUID] = mapped_column(sa.Uuid)
    staff_member_id: Mapped[UUID] = mapped_column(sa.Uuid)
    starts_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    held_slots: Mapped[list] = mapped_column(pg.JSONB)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
