"""Events produced by the customer service (顧客)."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import Field

from contracts.base import Event
from contracts.inquiry import InquiryReceivedV1
from contracts.listings import DesiredConditions, ProposalDelivery


class CustomerMergedV1(Event):
    """The source customer was merged into the target (統合): move the source's records."""

    event_type = "customer.merged"
    version = 1
    producer = "customer"

    source_customer_id: UUID
    target_customer_id: UUID
    merged_at: datetime
    merged_by: UUID | None = None


class InquiryLinkedV1(Event):
    """An inquiry was linked to a customer (名寄せ): by the first inquiry's email, or new."""

    event_type = "customer.inquiry_linked"
    version = 1
    producer = "customer"

    inquiry_id: UUID
    customer_id: UUID
    new_customer: bool


class InquiryLinkedV2(Event):
    """An inquiry was linked to a customer (名寄せ), with the inquiry as it was received: the
    one event its consumers need, so that none joins InquiryReceived with the link (decision
    97). Published beside v1 until every consumer of v1 has moved."""

    event_type = "customer.inquiry_linked"
    version = 2
    producer = "customer"

    customer_id: UUID
    new_customer: bool
    inquiry: InquiryReceivedV1  # the received event's payload (inquiry_id inside)


class ShopCustomerLinkedV1(Event):
    """A web-shop order's customer was found or registered (名寄せ, the rule of inquiries):
    the answer to ``orders.shop_order_received``."""

    event_type = "customer.shop_customer_linked"
    version = 1
    producer = "customer"

    order_id: UUID
    customer_id: UUID
    new_customer: bool


class CustomerProfileChangedV1(Event):
    """A customer was created or its name, flags or state changed. Other services keep the
    few facts they show (name on a calendar, ❗ caution, blacklist) as their own read model."""

    event_type = "customer.profile_changed"
    version = 1
    producer = "customer"

    customer_id: UUID
    name: str
    name_kana: str | None = None
    store_id: UUID | None = None
    caution: bool = False  # 要注意人物: a red ❗ wherever staff see the customer, no restriction
    blacklisted: bool = False  # ブラックリスト: every booking is refused
    withdrawn: bool = False  # 退会
    changed_at: datetime


FollowUpStatus = Literal["following", "stopped", "contracted"]  # 追客中 / 追客停止 / 成約


class FollowUpChangedV1(Event):
    """A customer's follow-up status (追客状況) changed; ``contracted`` is 成約. Sent once per
    change, with the status before, so a consumer can date a contract (leads: conversion by
    hot-lead level)."""

    event_type = "customer.follow_up_changed"
    version = 1
    producer = "customer"

    customer_id: UUID
    status: FollowUpStatus
    previous_status: FollowUpStatus | None = None
    changed_at: datetime
    changed_by: UUID | None = None


class CustomerDeletedV1(Event):
    """A customer without visit history was deleted (CUS-5); forget what you keep of it."""

    event_type = "customer.deleted"
    version = 1
    producer = "customer"

    customer_id: UUID
    deleted_at: datetime
    deleted_by: UUID | None = None


class CustomerWishesChangedV1(Event):
    """A customer's 希望条件, proposal delivery (自動/手動/停止), newsletter opt-in or mail
    address was set or changed: what the leads service needs to propose and to mail."""

    event_type = "customer.wishes_changed"
    version = 1
    producer = "customer"

    customer_id: UUID
    name: str
    email: str | None = None  # the first real address; None: nothing may be mailed
    side: str | None = None  # buyer | seller
    conditions: DesiredConditions = Field(default_factory=DesiredConditions)
    proposal_delivery: ProposalDelivery = "manual"
    newsletter_opt_in: bool = False
    changed_at: datetime


ContactEntry = Literal["interaction", "action"]  # 対応履歴 / アクション履歴


class ContactRecordedV1(Event):
    """A contact with a customer — an interaction (対応: 電話受信, 問合せ, クレーム …) or an
    action (アクション: 電話営業, DM, メルマガ, カタログ送付, メール送信) — was added, corrected or
    deleted: its state after the change, so a consumer keeps the one with the latest
    ``changed_at`` (orders: 離脱分析 by the last contact). ``contact_id`` is
    ``"<entry>:<id>"`` (an interaction's uuid, an action's number): the two never meet."""

    event_type = "customer.contact_recorded"
    version = 1
    producer = "customer"

    contact_id: str
    entry: ContactEntry
    customer_id: UUID
    kind: str  # the kind's code as the customer service keeps it
    kind_label: str  # the kind as staff see it (電話営業, DM …)
    occurred_at: datetime
    deleted: bool = False
    changed_at: datetime


# Every event this producer publishes; the registry collects these.
EVENTS: tuple[type[Event], ...] = (
    ContactRecordedV1,
    CustomerWishesChangedV1,
    CustomerProfileChangedV1,
    CustomerDeletedV1,
    CustomerMergedV1,
    FollowUpChangedV1,
    InquiryLinkedV1,
    InquiryLinkedV2,
    ShopCustomerLinkedV1,
)
