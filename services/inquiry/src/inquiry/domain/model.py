"""The portal's inquiry payload (INQ-1), validated strictly: bad input changes nothing."""

from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal
from uuid import UUID

from kit.inputs import Moment
from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, model_validator
from pydantic_core import PydanticCustomError

CLOCK_SKEW = timedelta(minutes=10)

InquiryKind = Literal["visit_reservation", "document_request", "question", "other"]


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise PydanticCustomError(
            "timezone_required",
            "タイムゾーン付きの日時を指定してください (例: 2026-11-25T10:00:00+09:00)",
        )
    return value


# Bounded first: comparing a time of year 1 with another offset overflows.
AwareDatetime = Annotated[Moment, AfterValidator(_aware)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PortalContact(_Strict):
    name: str = Field(min_length=1, max_length=100)
    name_kana: str | None = Field(default=None, max_length=100)
    email: EmailStr | None = None
    phone: str | None = Field(
        default=None, max_length=30, pattern=r"^[0-9０-９+＋()（）\-－ー‐ 　]+$"
    )
    address: str | None = Field(default=None, max_length=300)


class PortalProperty(_Strict):
    code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    address: str | None = Field(default=None, max_length=300)
    price_yen: int | None = Field(default=None, ge=0, le=10**12)


class PortalVisit(_Strict):
    starts_at: AwareDatetime
    ends_at: AwareDatetime

    @model_validator(mode="after")
    def _ordered(self) -> "PortalVisit":
        if self.ends_at <= self.starts_at:
            raise PydanticCustomError("visit_order", "終了日時は開始日時より後にしてください。")
        return self


class PortalInquiry(_Strict):
    inquiry_id: str = Field(min_length=1, max_length=64)
    kind: InquiryKind
    received_at: AwareDatetime
    store_code: str = Field(min_length=1, max_length=32)
    customer: PortalContact
    property: PortalProperty | None = None
    requested_visit: PortalVisit | None = None
    message: str | None = Field(default=None, max_length=5000)

    @model_validator(mode="after")
    def _visit_for_reservations(self) -> "PortalInquiry":
        if self.kind == "visit_reservation" and self.requested_visit is None:
            raise PydanticCustomError(
                "visit_required", "来場予約には希望日時 (requested_visit) を指定してください。"
            )
        return self

    @model_validator(mode="after")
    def _times_make_sense(self) -> "PortalInquiry":
        # Judged against the inquiry's own time, not the clock: a resend days later must
        # still be recognised as the same inquiry (200), not refused.
        if self.received_at > datetime.now(UTC) + CLOCK_SKEW:
            raise PydanticCustomError("received_in_future", "受付日時が未来になっています。")
        visit = self.requested_visit
        if visit is not None and visit.starts_at < self.received_at:
            raise PydanticCustomError(
                "visit_before_received", "希望日時が受付日時より前になっています。"
            )
        return self


class StaffInquiry(_Strict):
    """An inquiry registered by hand (INQ-2): another portal, the own site, phone, walk-in."""

    medium: str = Field(min_length=1, max_length=40)
    kind: InquiryKind
    received_at: AwareDatetime | None = None  # default: now
    store_id: UUID | None = None
    external_id: str | None = Field(default=None, max_length=64)
    customer: PortalContact
    property: PortalProperty | None = None
    requested_visit: PortalVisit | None = None
    message: str | None = Field(default=None, max_length=5000)

    @model_validator(mode="after")
    def _reachable(self) -> "StaffInquiry":
        if not (self.customer.email or self.customer.phone):
            raise PydanticCustomError(
                "contact_required", "メールアドレスか電話番号のどちらかを入力してください。"
            )
        return self
