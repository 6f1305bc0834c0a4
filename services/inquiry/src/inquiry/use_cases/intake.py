"""INQ-1/2/3: record an inquiry from the portal or by hand, keep it (the portal's raw payload
too), and emit InquiryReceived in the same transaction; the customer service links it."""

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from contracts import InquiryReceivedV1
from contracts.envelope import new_event_id
from contracts.inquiry import Contact, PropertyRef, RequestedVisit
from kit.errors import Forbidden, Invalid
from kit.japanese import search_text

from inquiry.adapters.unit_of_work import InquiryUnitOfWork
from inquiry.domain.media import PORTAL, HandRegistrationRefused, check_hand_registration
from inquiry.domain.model import (
    PortalContact,
    PortalInquiry,
    PortalProperty,
    PortalVisit,
    StaffInquiry,
)
from inquiry.use_cases.media import ensure_default_media


@dataclass(frozen=True)
class IntakeResult:
    inquiry_id: UUID
    created: bool


async def receive_portal_inquiry(
    payload: PortalInquiry, *, raw: str, uow: InquiryUnitOfWork
) -> IntakeResult:
    """The portal names the store by the code the tenant gave it (店舗コード); the stores
    arrive here by ``StoreChanged`` from the gateway, which owns them."""
    store_id = await uow.stores.by_code(payload.store_code)
    if store_id is None:
        raise Invalid(
            f"店舗コード {payload.store_code} の店舗が見つかりません。",
            code="unknown_store_code", field="store_code",
        )  # fmt: skip
    return await _record(
        medium=PORTAL, external_id=payload.inquiry_id, kind=payload.kind,
        received_at=payload.received_at, store_id=store_id, contact=payload.customer,
        prop=payload.property, visit=payload.requested_visit, message=payload.message,
        raw=raw, registered_by=None, uow=uow,
    )  # fmt: skip


async def register_inquiry(
    payload: StaffInquiry, *, staff_id: UUID | None, uow: InquiryUnitOfWork
) -> IntakeResult:
    """Staff register an inquiry of another medium, and so its customer (名寄せ applies)."""
    await ensure_default_media(uow=uow)
    medium = await uow.media.by_code(code=payload.medium)
    if medium is None or not medium.active:
        raise Invalid("媒体が見つかりません。媒体マスタを確認してください。", field="medium")
    try:
        check_hand_registration(medium_code=medium.code, auto_linked=medium.auto_linked)
    except HandRegistrationRefused as refused:
        raise Forbidden(str(refused), code="auto_linked_medium") from None
    return await _record(
        medium=medium.code, external_id=payload.external_id, kind=payload.kind,
        received_at=payload.received_at or datetime.now(UTC), store_id=payload.store_id,
        contact=payload.customer, prop=payload.property, visit=payload.requested_visit,
        message=payload.message, raw=None, registered_by=staff_id, uow=uow,
    )  # fmt: skip


async def _record(
    *,
    medium: str,
    external_id: str | None,
    kind: str,
    received_at: datetime,
    store_id: UUID | None,
    contact: PortalContact,
    prop: PortalProperty | None,
    visit: PortalVisit | None,
    message: str | None,
    raw: str | None,
    registered_by: UUID | None,
    uow: InquiryUnitOfWork,
) -> IntakeResult:
    created_id = await uow.inquiries.add_if_new(
        values={
            "id": new_event_id(),
            "external_id": external_id,
            "medium": medium,
            "kind": kind,
            "received_at": received_at,
            "store_id": store_id,
            "contact": contact.model_dump(mode="json"),
            "property": prop.model_dump(mode="json") if prop else None,
            "requested_visit_starts_at": visit.starts_at if visit else None,
            "requested_visit_ends_at": visit.ends_at if visit else None,
            "message": message,
            "raw_payload": raw,
            "contact_search": search_text(f"{contact.name}{contact.name_kana or ''}"),
            "property_search": search_text(f"{prop.code}{prop.name}") if prop else "",
            "registered_by": registered_by,
        }
    )
    if created_id is None:  # resent (same medium and id): same answer, no second effect
        assert external_id is not None
        existing = await uow.inquiries.get_by_external(medium=medium, external_id=external_id)
        assert existing is not None
        return IntakeResult(inquiry_id=existing.id, created=False)
    await uow.add_event(
        InquiryReceivedV1(
            inquiry_id=created_id,
            external_id=external_id,
            medium=medium,
            kind=kind,  # type: ignore[arg-type]
            received_at=received_at,
            store_id=store_id,
            contact=Contact(**contact.model_dump(mode="json")),
            property=PropertyRef(**prop.model_dump()) if prop else None,
            requested_visit=RequestedVisit(**visit.model_dump()) if visit else None,
            message=message,
        ),
        correlation_id=created_id,
    )
    return IntakeResult(inquiry_id=created_id, created=True)
