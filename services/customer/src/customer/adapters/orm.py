from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from kit.db import Base, TenantOwned
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.orm import Mapped, mapped_column

# customer_addresses.mailable as migration 0004 creates it (a 7-digit postal code, prefecture,
# city and a street with a number in it); PostgreSQL computes it on every write.
MAILABLE = (
    "coalesce(postal_code, '') ~ '^[0-9]{7}$' AND coalesce(prefecture, '') <> '' "
    "AND coalesce(city, '') <> '' AND coalesce(street, '') ~ '[0-9０-９一二三四五六七八九十〇]'"
)


class Customer(TenantOwned, Base):
    __tablename__ = "customers"

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text)
    name_kana: Mapped[str | None] = mapped_column(sa.Text)
    name_search: Mapped[str] = mapped_column(sa.Text)
    kana_search: Mapped[str] = mapped_column(sa.Text)
    # 名寄せ key: the email of the customer's first inquiry (seed 000), normalised.
    identity_email: Mapped[str | None] = mapped_column(sa.Text)
    follow_up_status: Mapped[str] = mapped_column(sa.Text, default="following")
    assignee_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    store_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    first_inquiry_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    # CUS-1 profile (migration 0002).
    family_name: Mapped[str | None] = mapped_column(sa.Text)
    given_name: Mapped[str | None] = mapped_column(sa.Text)
    family_kana: Mapped[str | None] = mapped_column(sa.Text)
    given_kana: Mapped[str | None] = mapped_column(sa.Text)
    customer_number: Mapped[str | None] = mapped_column(sa.Text)
    birth_date: Mapped[date | None] = mapped_column(sa.Date)
    gender: Mapped[str | None] = mapped_column(sa.Text)
    line_name: Mapped[str | None] = mapped_column(sa.Text)
    line_icon_url: Mapped[str | None] = mapped_column(sa.Text)
    line_search: Mapped[str] = mapped_column(sa.Text, default="")
    attributes: Mapped[list[str]] = mapped_column(pg.JSONB, default=list)
    inflow_sources: Mapped[list[str]] = mapped_column(pg.JSONB, default=list)
    side: Mapped[str | None] = mapped_column(sa.Text)
    property_type: Mapped[str | None] = mapped_column(sa.Text)
    desired_conditions: Mapped[dict[str, Any] | None] = mapped_column(pg.JSONB)
    owned_property: Mapped[dict[str, Any] | None] = mapped_column(pg.JSONB)
    # 提案メールの配信設定 (seed 004): automatic | manual | stopped; メールマガジン希望
    proposal_delivery: Mapped[str] = mapped_column(sa.Text, server_default="manual")
    newsletter_opt_in: Mapped[bool] = mapped_column(sa.Boolean, server_default="false")
    # 郵送DM不要 (migration 0009): no DM list (宛名リスト) ever includes the customer.
    dm_opt_out: Mapped[bool] = mapped_column(sa.Boolean, server_default="false")
    origin: Mapped[str] = mapped_column(sa.Text, default="inquiry")
    portal_linked: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    phone_registration: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    # CUS-6 flags.
    caution: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    caution_memo: Mapped[str | None] = mapped_column(sa.Text)
    blacklisted: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    blacklist_memo: Mapped[str | None] = mapped_column(sa.Text)
    alert: Mapped[str | None] = mapped_column(sa.Text)
    karte_notes: Mapped[str | None] = mapped_column(sa.Text)
    # CUS-5 withdrawal.
    withdrawn_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    withdrawal_reason: Mapped[str | None] = mapped_column(sa.Text)
    # Booking figures from the booking events (read model).
    reservation_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    visit_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    cancel_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    last_minute_cancel_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    first_visit_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_visit_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    latest_visit_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    latest_visit_status: Mapped[str | None] = mapped_column(sa.Text)
    latest_visit_number: Mapped[int] = mapped_column(sa.Integer, default=0)
    latest_visit_property: Mapped[str | None] = mapped_column(sa.Text)
    # 最終利用メニュー: the menu of the latest visited salon visit (migration 0004).
    last_menu_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    last_menu_name: Mapped[str | None] = mapped_column(sa.Text)
    # CUS-10 rank from the rank master, CUS-11 the last activity of any kind (migration 0009).
    rank_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    rank_name: Mapped[str | None] = mapped_column(sa.Text)
    last_activity_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_activity_kind: Mapped[str | None] = mapped_column(sa.Text)


class CustomerEmail(TenantOwned, Base):
    __tablename__ = "customer_emails"

    customer_id: Mapped[UUID] = mapped_column(
        sa.Uuid, sa.ForeignKey("customers.id"), primary_key=True
    )
    email_key: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    email: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity())


class CustomerPhone(TenantOwned, Base):
    __tablename__ = "customer_phones"

    customer_id: Mapped[UUID] = mapped_column(
        sa.Uuid, sa.ForeignKey("customers.id"), primary_key=True
    )
    digits: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    display: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity())
    kind: Mapped[str] = mapped_column(sa.Text, default="other")  # mobile | landline | other
    e164: Mapped[str | None] = mapped_column(sa.Text)


class CustomerInquiry(TenantOwned, Base):
    """Read model of the customer's inquiries, kept from InquiryReceived."""

    __tablename__ = "customer_inquiries"

    inquiry_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid, sa.ForeignKey("customers.id"), index=True)
    medium: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.Text)
    received_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    store_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    contact_name: Mapped[str] = mapped_column(sa.Text)
    contact_email: Mapped[str | None] = mapped_column(sa.Text)
    contact_phone: Mapped[str | None] = mapped_column(sa.Text)
    property_code: Mapped[str | None] = mapped_column(sa.Text)
    property_name: Mapped[str | None] = mapped_column(sa.Text)
    property_address: Mapped[str | None] = mapped_column(sa.Text)
    property_price_yen: Mapped[int | None] = mapped_column(sa.BigInteger)
    requested_visit_starts_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    requested_visit_ends_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class CustomerAddress(TenantOwned, Base):
    __tablename__ = "customer_addresses"

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid, sa.ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.Text)  # home | office | gift
    postal_code: Mapped[str | None] = mapped_column(sa.Text)
    prefecture: Mapped[str | None] = mapped_column(sa.Text)
    city: Mapped[str | None] = mapped_column(sa.Text)
    street: Mapped[str | None] = mapped_column(sa.Text)
    building: Mapped[str | None] = mapped_column(sa.Text)
    recipient: Mapped[str | None] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    # Computed by PostgreSQL (migration 0004): a letter can reach it (DM lists).
    mailable: Mapped[bool] = mapped_column(sa.Boolean, sa.Computed(MAILABLE, persisted=True))


class CustomerVisit(TenantOwned, Base):
    """Read model of the customer's visits, kept from the booking events."""

    __tablename__ = "customer_visits"

    visit_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid)
    store_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    kind: Mapped[str | None] = mapped_column(sa.Text)
    property_name: Mapped[str | None] = mapped_column(sa.Text)
    starts_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    status: Mapped[str] = mapped_column(sa.Text)
    cancelled: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    last_minute: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    no_show: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    # Salon visits (migration 0004): seed 003's search by menu and staff member.
    menu_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    menu_name: Mapped[str | None] = mapped_column(sa.Text)
    staff_member_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    staff_member_name: Mapped[str | None] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    # When booking produced the state kept here (the event's occurred_at, migration 0013): an
    # older event handled later (a retry, another replica) changes nothing (decision 108).
    event_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class CustomerMerge(TenantOwned, Base):
    """Merge log (who, when, which) and the redirect of a merged id to its target."""

    __tablename__ = "customer_merges"

    source_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    target_id: Mapped[UUID] = mapped_column(sa.Uuid, index=True)
    source_name: Mapped[str] = mapped_column(sa.Text)
    target_name: Mapped[str] = mapped_column(sa.Text)
    # The source's 名寄せ key: a later inquiry with it joins the target.
    source_identity_email: Mapped[str | None] = mapped_column(sa.Text)
    merged_by: Mapped[UUID | None] = mapped_column(sa.Uuid)
    merged_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    moved: Mapped[dict[str, int]] = mapped_column(pg.JSONB, default=dict)


class InflowSource(TenantOwned, Base):
    """流入経路マスタ: customers carry the names (``Customer.inflow_sources``); a rename is
    written to them, a retired entry stays on them and is offered to nobody new."""

    __tablename__ = "customer_inflow_sources"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "name", name="customer_inflow_sources_name"),
    )

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    retired_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class CustomerSettingsRow(TenantOwned, Base):
    __tablename__ = "customer_settings"

    tenant_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    required_fields: Mapped[list[str]] = mapped_column(pg.JSONB)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class CustomerImportJob(TenantOwned, Base):
    __tablename__ = "customer_import_jobs"

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    filename: Mapped[str] = mapped_column(sa.Text)
    file_digest: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.Text)  # queued | running | finished | failed
    total: Mapped[int] = mapped_column(sa.Integer, default=0)
    done: Mapped[int] = mapped_column(sa.Integer, default=0)
    imported: Mapped[int] = mapped_column(sa.Integer, default=0)
    failed: Mapped[int] = mapped_column(sa.Integer, default=0)
    duplicates: Mapped[int] = mapped_column(sa.Integer, default=0)
    report: Mapped[dict[str, Any]] = mapped_column(pg.JSONB, default=dict)
    # The uploaded file of a job from before migration 0014; since then its rows are kept in
    # customer_import_rows instead (read a chunk at a time) and this is NULL.
    content: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    options: Mapped[dict[str, Any]] = mapped_column(pg.JSONB, default=dict)
    created_by: Mapped[UUID | None] = mapped_column(sa.Uuid)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # The worker holding the job and until when (migration 0005, entrypoints/jobs.py).
    worker: Mapped[str | None] = mapped_column(sa.Text)
    lease_until: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    failures: Mapped[int] = mapped_column(sa.Integer, default=0)


class CustomerImportIssue(TenantOwned, Base):
    """A row of an import's report: an error (the row failed, or was imported with some
    optional values left out) or a duplicate (its email is already registered)."""

    __tablename__ = "customer_import_issues"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    job_id: Mapped[UUID] = mapped_column(sa.Uuid, sa.ForeignKey("customer_import_jobs.id"))
    kind: Mapped[str] = mapped_column(sa.Text)  # error | duplicate | skipped
    line: Mapped[int] = mapped_column(sa.Integer)  # the row as the user sees it (header = 1)
    name: Mapped[str] = mapped_column(sa.Text)
    email: Mapped[str] = mapped_column(sa.Text)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    customer_id: Mapped[UUID | None] = mapped_column(sa.Uuid)  # a duplicate's customer


class CustomerImportRow(Base):
    """A data row of an uploaded file, as read and checked at the upload (migration 0014):
    the worker reads its chunks from here and an overwrite its duplicates' rows, so that a
    job of a million rows survives a restart without the file held in memory anywhere.
    Read only through its job (itself tenant-scoped), by the primary key: no tenant index to
    keep up while a million rows are copied in."""

    __tablename__ = "customer_import_rows"

    tenant_id: Mapped[UUID] = mapped_column(sa.Uuid)

    job_id: Mapped[UUID] = mapped_column(
        sa.Uuid, sa.ForeignKey("customer_import_jobs.id"), primary_key=True
    )
    line: Mapped[int] = mapped_column(sa.Integer, primary_key=True)  # header = 1
    cells: Mapped[list[str]] = mapped_column(pg.ARRAY(sa.Text))


class FollowUpChange(TenantOwned, Base):
    """Who changed a customer's 追客状況 or お客様担当, when, from what to what."""

    __tablename__ = "customer_follow_up_history"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid, sa.ForeignKey("customers.id"))
    field: Mapped[str] = mapped_column(sa.Text)  # status | assignee
    old_value: Mapped[str | None] = mapped_column(sa.Text)
    new_value: Mapped[str | None] = mapped_column(sa.Text)
    changed_by: Mapped[UUID | None] = mapped_column(sa.Uuid)
    changed_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class CustomerMemo(TenantOwned, Base):
    """メモ: appended, never overwritten, so the memo keeps its history."""

    __tablename__ = "customer_memos"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid, sa.ForeignKey("customers.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    written_by: Mapped[UUID | None] = mapped_column(sa.Uuid)
    written_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class CustomerPurchase(TenantOwned, Base):
    """Read model of the customer's orders (購入履歴), kept from the orders events: what the
    monitor, the ranks and the long-neglected list read (issue "Customer histories")."""

    __tablename__ = "customer_purchases"
    __table_args__ = (
        sa.Index("customer_purchases_by_customer", "tenant_id", "customer_id", "ordered_at"),
        # DM lists by order date and product (0009): the orders that stand.
        sa.Index("customer_purchases_placed", "tenant_id", "ordered_at", "customer_id",
                 postgresql_where=sa.text("status = 'placed'")),
        sa.Index("customer_purchases_products", "product_keys", postgresql_using="gin",
                 postgresql_where=sa.text("status = 'placed'")),
    )  # fmt: skip

    order_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid)
    order_number: Mapped[int | None] = mapped_column(sa.Integer)
    channel: Mapped[str] = mapped_column(sa.Text)
    ordered_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    total_yen: Mapped[int] = mapped_column(sa.BigInteger)
    # [{product_id (since 0009), product_name, quantity, amount_yen}]
    lines: Mapped[list] = mapped_column(pg.JSONB)
    # The lines' product names as domain/exports.product_key reads them (DM lists, 0009).
    product_keys: Mapped[list[str]] = mapped_column(pg.ARRAY(sa.Text), server_default="{}")
    subscription_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    status: Mapped[str] = mapped_column(sa.Text, default="placed")  # placed/cancelled/returned


class SiteAccount(TenantOwned, Base):
    """A customer's sign-in to the booking site (予約サイト, seed 003; migration 0007). The
    temporary password sits beside the real one, so that a reset asked by anyone leaves the
    customer's own password working until the mail's password is used."""

    __tablename__ = "customer_site_accounts"

    customer_id: Mapped[UUID] = mapped_column(
        sa.Uuid, sa.ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    email_key: Mapped[str] = mapped_column(sa.Text)
    email: Mapped[str] = mapped_column(sa.Text)
    password_hash: Mapped[str | None] = mapped_column(sa.Text)
    temporary_hash: Mapped[str | None] = mapped_column(sa.Text)
    temporary_expires_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    must_change: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    # LINE login (not built: it needs the LINE platform); the adapter seam's fields.
    line_user_id: Mapped[str | None] = mapped_column(sa.Text)
    line_display_name: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
