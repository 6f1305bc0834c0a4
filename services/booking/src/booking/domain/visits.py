"""Visits (接客予定): kinds, the statuses of seed 003 and which moves between them are allowed."""

from dataclasses import dataclass
from enum import StrEnum

from contracts.booking import VISIT_STATUS_LABELS

from booking.domain.errors import NotAllowedTransition


class VisitKind(StrEnum):
    LISTED_PROPERTY_TOUR = "listed_property_tour"  # 物件見学・SUUMO入稿物件: the property's slot
    UNLISTED_PROPERTY_TOUR = "unlisted_property_tour"  # 物件見学・入稿なし物件: a staff slot
    STORE_CONSULTATION = "store_consultation"  # 店舗接客: a staff slot
    SALON = "salon"  # サロン予約: a named staff member for the menu's duration


class Resource(StrEnum):
    PROPERTY = "property"
    STORE = "store"
    STAFF_MEMBER = "staff_member"  # one client at a time


def resource_taken(kind: VisitKind) -> Resource:
    if kind is VisitKind.SALON:
        return Resource.STAFF_MEMBER
    return Resource.PROPERTY if kind is VisitKind.LISTED_PROPERTY_TOUR else Resource.STORE


class VisitStatus(StrEnum):
    TENTATIVE = "tentative"  # 仮予約
    PREPAYMENT_UNPAID = "prepayment_unpaid"  # 事前決済未払い
    RESERVED = "reserved"  # 予約中来店前
    PREPAID = "prepaid"  # 事前決済支払い済み
    VISITED = "visited"  # 来店済み
    CANCEL_FEE_UNPAID = "cancel_fee_unpaid"  # キャンセル料未払い
    STORE_CANCELLED = "store_cancelled"  # 事前決済店舗都合キャンセル
    CANCELLED = "cancelled"  # キャンセル


LABELS = {status: VISIT_STATUS_LABELS[status.value] for status in VisitStatus}

PREPAYMENT_ONLY = frozenset(
    {VisitStatus.PREPAYMENT_UNPAID, VisitStatus.PREPAID, VisitStatus.STORE_CANCELLED}
)
# Statuses in which the visit occupies its slots; the others have given them back.
HOLDING = frozenset(
    {
        VisitStatus.TENTATIVE,
        VisitStatus.PREPAYMENT_UNPAID,
        VisitStatus.RESERVED,
        VisitStatus.PREPAID,
        VisitStatus.VISITED,
    }
)

_S = VisitStatus
_NEXT: dict[VisitStatus, frozenset[VisitStatus]] = {
    _S.TENTATIVE: frozenset({_S.RESERVED, _S.PREPAYMENT_UNPAID, _S.CANCELLED}),
    _S.PREPAYMENT_UNPAID: frozenset(
        {_S.PREPAID, _S.CANCELLED, _S.CANCEL_FEE_UNPAID, _S.STORE_CANCELLED}
    ),
    _S.RESERVED: frozenset({_S.VISITED, _S.CANCELLED, _S.CANCEL_FEE_UNPAID}),
    _S.PREPAID: frozenset({_S.VISITED, _S.CANCELLED, _S.CANCEL_FEE_UNPAID, _S.STORE_CANCELLED}),
    # A paid cancel fee closes the case as an ordinary cancellation.
    _S.CANCEL_FEE_UNPAID: frozenset({_S.CANCELLED}),
    _S.VISITED: frozenset(),
    _S.STORE_CANCELLED: frozenset(),
    _S.CANCELLED: frozenset(),
}


def check_transition(current: VisitStatus, target: VisitStatus, *, prepayment: bool) -> None:
    if target in PREPAYMENT_ONLY and not prepayment:
        raise NotAllowedTransition(
            f"「{LABELS[target]}」は事前決済機能を利用する店舗でのみ使えます。", field="status"
        )
    if target not in _NEXT[current]:
        raise NotAllowedTransition(
            f"「{LABELS[current]}」の予定を「{LABELS[target]}」に変更することはできません。",
            field="status",
        )


def initial_status(*, tentative: bool, prepayment: bool) -> VisitStatus:
    if tentative:
        return VisitStatus.TENTATIVE
    return VisitStatus.PREPAYMENT_UNPAID if prepayment else VisitStatus.RESERVED


class CancelReason(StrEnum):
    CUSTOMER = "customer"  # お客様都合
    STORE = "store"  # 店舗都合
    NO_SHOW = "no_show"  # 無断キャンセル (来店なし)


@dataclass(frozen=True)
class CancelOutcome:
    status: VisitStatus
    last_minute: bool
    no_show: bool


def cancel_outcome(
    *, current: VisitStatus, reason: CancelReason, last_minute: bool, prepayment: bool
) -> CancelOutcome:
    """Seed 003: a no-show or a cancellation after the deadline owes a cancel fee; a store's
    cancellation of a prepaid visit is its own status; anything else is a plain キャンセル."""
    if reason is CancelReason.NO_SHOW:
        target, last_minute = VisitStatus.CANCEL_FEE_UNPAID, False
    elif reason is CancelReason.STORE:
        paid_kind = current in (VisitStatus.PREPAYMENT_UNPAID, VisitStatus.PREPAID)
        target = VisitStatus.STORE_CANCELLED if prepayment and paid_kind else VisitStatus.CANCELLED
        last_minute = False  # the store's own cancellation never counts against the customer
    elif last_minute and current is not VisitStatus.TENTATIVE:
        target = VisitStatus.CANCEL_FEE_UNPAID
    else:
        target = VisitStatus.CANCELLED
    check_transition(current, target, prepayment=prepayment)
    return CancelOutcome(
        status=target, last_minute=last_minute, no_show=reason is CancelReason.NO_SHOW
    )
