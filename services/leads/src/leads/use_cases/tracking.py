"""LEAD-1: record a send and hand out its token; record opens (with their verdict, and
EmailOpened through the outbox) and page views (PageViewed). The boundary owns the
transaction; the level follows when leads consumes those events (use_cases.scoring)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from contracts import EmailOpenedV1, EmailSentV1, PageViewedV1
from contracts.envelope import new_event_id
from contracts.leads import MessageKind

from leads.adapters.unit_of_work import LeadsUnitOfWork
from leads.domain import tracking
from leads.domain.machine import (
    EgressRanges,
    Hit,
    MachineReason,
    SendFacts,
    Verdict,
    judge_open,
    judge_view,
)


@dataclass(frozen=True)
class RecordSend:
    message_id: UUID
    customer_id: UUID
    message_kind: MessageKind
    sent_at: datetime
    subject: str | None = None  # the customer's action history (EmailSent) shows it


@dataclass(frozen=True)
class Beacon:
    view_id: UUID
    page: str
    property_code: str
    property_name: str
    dwell_s: int
    liked: bool


async def record_send(
    cmd: RecordSend, *, tenant_id: UUID, secret: str, ttl_days: int, uow: LeadsUnitOfWork
) -> str:
    """The token of the send; LEAD-6's mail jobs call this as they send. The customer is the
    tenant's (its mail goes out in the tenant's name): leads knows it from now on."""
    await uow.customer_refs.know(customer_id=cmd.customer_id)
    await uow.sends.add(
        values={
            "id": new_event_id(),
            "message_id": cmd.message_id,
            "customer_id": cmd.customer_id,
            "message_kind": cmd.message_kind,
            "sent_at": cmd.sent_at,
        }
    )
    # The customer service records the send as an action (アクション履歴).
    await uow.add_event(
        EmailSentV1(
            message_id=cmd.message_id, customer_id=cmd.customer_id,
            message_kind=cmd.message_kind, sent_at=cmd.sent_at, subject=cmd.subject,
        )
    )  # fmt: skip
    claims = tracking.TrackingClaims(
        tenant_id=tenant_id,
        message_id=cmd.message_id,
        customer_id=cmd.customer_id,
        expires_at=cmd.sent_at + timedelta(days=ttl_days),
    )
    return tracking.sign(claims, secret=secret)


async def record_open(
    claims: tracking.TrackingClaims, hit: Hit, *, apple: EgressRanges, uow: LeadsUnitOfWork
) -> Verdict | None:
    """None when the token names no send of its tenant (counted nowhere)."""
    send = await uow.sends.get(message_id=claims.message_id, customer_id=claims.customer_id)
    if send is None:
        return None
    facts = SendFacts(
        sent_at=send.sent_at,
        human_signal=await uow.views.any_of_send(
            message_id=send.message_id, customer_id=send.customer_id
        ),
        gmail_proxy_seen=await uow.opens.reason_seen(
            message_id=send.message_id,
            customer_id=send.customer_id,
            reason=MachineReason.GMAIL_PROXY.value,
        ),
    )
    verdict = judge_open(hit, facts, apple=apple)
    await uow.opens.add(
        values={
            "id": new_event_id(),
            "message_id": send.message_id,
            "customer_id": send.customer_id,
            "message_kind": send.message_kind,
            "opened_at": hit.at,
            "machine": verdict.machine,
            "machine_reason": verdict.reason.value if verdict.reason else None,
        }
    )
    await uow.add_event(
        EmailOpenedV1(
            message_id=send.message_id,
            message_kind=send.message_kind,  # type: ignore[arg-type]
            customer_id=send.customer_id,
            opened_at=hit.at,
            machine_open=verdict.machine,
        )
    )
    return verdict


async def record_view(
    claims: tracking.TrackingClaims, hit: Hit, beacon: Beacon, *, uow: LeadsUnitOfWork
) -> bool:
    if judge_view(hit).machine:
        return False
    send = await uow.sends.get(message_id=claims.message_id, customer_id=claims.customer_id)
    if send is None:
        return False
    await uow.views.record(
        values={
            "id": new_event_id(),
            "view_id": beacon.view_id,
            "message_id": send.message_id,
            "customer_id": send.customer_id,
            "page": beacon.page,
            "property_code": beacon.property_code,
            "property_name": beacon.property_name,
            "viewed_at": hit.at,
            "dwell_s": beacon.dwell_s,
            "liked": beacon.liked,
        }
    )
    # Leads' own consumer re-scores the level from it (use_cases.scoring).
    await uow.add_event(
        PageViewedV1(
            view_id=beacon.view_id,
            message_id=send.message_id,
            customer_id=send.customer_id,
            page=beacon.page,  # type: ignore[arg-type]  # checked by the route's model
            property_code=beacon.property_code,
            viewed_at=hit.at,
            dwell_s=beacon.dwell_s,
            liked=beacon.liked,
        )
    )
    return True
