from datetime import date, datetime
from typing import Any
from uuid import UUID

from contracts.listings import DesiredConditions, ProposalDelivery
from kit.inputs import Day
from pydantic import BaseModel, Field

from customer.adapters.repository import CustomerView
from customer.domain.profile import KEEP_STORE, Address, ProfileInput


class InquirySummary(BaseModel):
    inquiry_id: UUID
    medium: str
    kind: str
    received_at: datetime
    store_id: UUID | None
    contact_name: str
    property_code: str | None
    property_name: str | None
    property_address: str | None
    property_price_yen: int | None
    requested_visit_starts_at: datetime | None
    requested_visit_ends_at: datetime | None


class InquiredProperty(BaseModel):
    code: str | None
    name: str
    address: str | None
    price_yen: int | None


class CustomerRead(BaseModel):
    id: UUID
    name: str
    name_kana: str | None
    emails: list[str]
    phones: list[str]
    follow_up_status: str
    assignee_id: UUID | None
    store_id: UUID | None
    first_inquiry_at: datetime | None
    created_at: datetime
    # Added by issue 5 (optional for readers of the foundation's contract).
    customer_number: str | None = None
    line_name: str | None = None
    inflow_sources: list[str] = []
    caution: bool = False
    blacklisted: bool = False
    alert: str | None = None
    phone_registration: bool = False
    portal_linked: bool = False
    withdrawn_at: datetime | None = None
    withdrawal_reason: str | None = None
    reservation_count: int = 0
    visit_count: int = 0
    cancel_count: int = 0
    last_minute_cancel_count: int = 0
    last_visit_at: datetime | None = None
    latest_visit_at: datetime | None = None
    latest_visit_status: str | None = None
    latest_visit_number: int = 0
    latest_visit_property: str | None = None
    last_menu_id: UUID | None = None
    last_menu_name: str | None = None
    # CUS-10/11 (migration 0009): the rank from the rank master, the last activity of any kind.
    rank_id: UUID | None = None
    rank_name: str | None = None
    last_activity_at: datetime | None = None
    last_activity_kind: str | None = None
    # In lists: the property of the latest inquiry that named one (name, address, price).
    inquired_property: InquiredProperty | None = None

    @classmethod
    def of(cls, view: CustomerView) -> "CustomerRead":
        c = view.customer
        data = {name: getattr(c, name) for name in _ROW_FIELDS}
        return cls(
            **data, emails=view.emails, phones=view.phones,
            inquired_property=view.inquired_property,
        )  # fmt: skip


_ROW_FIELDS = [
    f for f in CustomerRead.model_fields if f not in ("emails", "phones", "inquired_property")
]


class PhoneRead(BaseModel):
    display: str
    digits: str
    kind: str
    e164: str | None


class AddressIn(BaseModel):
    kind: str = Field("home", max_length=10)
    postal_code: str | None = Field(None, max_length=10)
    prefecture: str | None = Field(None, max_length=10)
    city: str | None = Field(None, max_length=100)
    street: str | None = Field(None, max_length=200)
    building: str | None = Field(None, max_length=200)
    recipient: str | None = Field(None, max_length=100)


class AddressRead(AddressIn):
    id: UUID


class VisitRead(BaseModel):
    visit_id: UUID
    kind: str | None
    property_name: str | None
    starts_at: datetime
    status: str
    cancelled: bool
    last_minute: bool
    no_show: bool
    menu_name: str | None = None
    staff_member_name: str | None = None


class CustomerDetail(CustomerRead):
    inquiries: list[InquirySummary]
    family_name: str | None = None
    given_name: str | None = None
    family_kana: str | None = None
    given_kana: str | None = None
    birth_date: date | None = None
    gender: str | None = None
    line_icon_url: str | None = None
    attributes: list[str] = []
    side: str | None = None
    property_type: str | None = None
    desired_conditions: dict[str, Any] | None = None  # contracts.listings.DesiredConditions
    owned_property: dict[str, Any] | None = None
    proposal_delivery: str = "manual"
    newsletter_opt_in: bool = False
    dm_opt_out: bool = False
    caution_memo: str | None = None
    blacklist_memo: str | None = None
    karte_notes: str | None = None
    origin: str = "inquiry"
    phone_details: list[PhoneRead] = []
    addresses: list[AddressRead] = []
    visits: list[VisitRead] = []

    @classmethod
    def of(cls, view: CustomerView) -> "CustomerDetail":
        base = CustomerRead.of(view).model_dump()
        c = view.customer
        extra = {name: getattr(c, name) for name in _DETAIL_FIELDS}
        return cls(
            **base,
            **extra,
            inquiries=[
                InquirySummary.model_validate(i, from_attributes=True) for i in view.inquiries
            ],
            phone_details=[
                PhoneRead.model_validate(p, from_attributes=True) for p in view.phone_details
            ],
            addresses=[AddressRead.model_validate(a, from_attributes=True) for a in view.addresses],
            visits=[VisitRead.model_validate(v, from_attributes=True) for v in view.visits],
        )


_DETAIL_FIELDS = [
    f
    for f in CustomerDetail.model_fields
    if f not in CustomerRead.model_fields
    and f not in ("inquiries", "phone_details", "addresses", "visits")
]


class CustomerPage(BaseModel):
    items: list[CustomerRead]
    total: int
    page: int
    per_page: int
    total_exact: bool = True  # False: at least ``total`` customers match (「5,000件以上」)


class CustomerLookup(BaseModel):
    matched_by: str  # phone | name: how the monitor's input was read
    items: list[CustomerRead]
    total: int
    total_exact: bool = True


class CustomerWrite(BaseModel):
    """The registration and edit form (CUS-1, CUS-4)."""

    family_name: str | None = Field(None, max_length=100)
    given_name: str | None = Field(None, max_length=100)
    family_kana: str | None = Field(None, max_length=100)
    given_kana: str | None = Field(None, max_length=100)
    phones: list[str] = Field(default_factory=list, max_length=10)
    emails: list[str] = Field(default_factory=list, max_length=10)
    addresses: list[AddressIn] = Field(default_factory=list, max_length=10)
    birth_date: Day | None = None
    gender: str | None = Field(None, max_length=10)
    customer_number: str | None = Field(None, max_length=50)
    line_name: str | None = Field(None, max_length=100)
    line_icon_url: str | None = Field(None, max_length=500)
    attributes: list[str] = Field(default_factory=list, max_length=30)
    inflow_sources: list[str] = Field(default_factory=list, max_length=30)
    side: str | None = Field(None, max_length=10)
    property_type: str | None = Field(None, max_length=10)
    desired_conditions: DesiredConditions | None = None  # 希望条件
    owned_property: dict[str, Any] | None = None
    proposal_delivery: ProposalDelivery = "manual"  # 提案メールの配信設定: 自動/手動/停止
    newsletter_opt_in: bool = False  # メールマガジンを希望する
    dm_opt_out: bool = Field(False, description="郵送DM不要（DM宛名リストに載せない）")
    store_id: UUID | None = Field(
        None, description="所属店舗（ゲートウェイが自社の店舗か確認します）。省略すると変更しません"
    )

    def to_input(self) -> ProfileInput:
        data = self.model_dump(exclude={"addresses", "store_id"})
        # Left out, the home store stays as it is (an inquiry's store, set before any edit).
        store = self.store_id if "store_id" in self.model_fields_set else KEEP_STORE
        return ProfileInput(**data, store_id=store,
                            addresses=[Address(**a.model_dump()) for a in self.addresses])  # fmt: skip


class PhoneRegistration(BaseModel):
    family_name: str = Field(max_length=100)
    given_name: str | None = Field(None, max_length=100)
    phone: str = Field(max_length=30)


class FlagsWrite(BaseModel):
    caution: bool | None = None
    caution_memo: str | None = Field(None, max_length=2000)
    blacklisted: bool | None = None
    blacklist_memo: str | None = Field(None, max_length=2000)
    alert: str | None = Field(None, max_length=2000)
    karte_notes: str | None = Field(None, max_length=2000)


class Withdrawal(BaseModel):
    reason: str = Field(max_length=500)


class RequiredFields(BaseModel):
    required_fields: list[str] = Field(max_length=20)


class Created(BaseModel):
    id: UUID
