"""GW-4: partners of a tenant read its events over AMQP (decision 104). An admin (the page,
the API) or the operator (``python -m gateway.operator partners …``) creates one with the
event types it takes; the broker's user, queue and bindings are made in the same
transaction as the row, before it commits, so a refused broker leaves no row; the password
is answered once and never stored. Deleting or rotating acts on the broker first (each call
idempotent): a commit lost after it is mended by doing it again."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from contracts.registry import REGISTRY
from kit.bus.feeds import FeedAccess, FeedsUnavailable, PartnerFeeds
from kit.errors import Conflict, Forbidden, Invalid, NotFound

from gateway.adapters.orm import Partner, PartnerReplay
from gateway.adapters.partner_replays import notify as notify_replays
from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.clients.transport import ServiceUnavailable
from gateway.domain.webhooks import replay_problem

ADMIN_ONLY = "パートナー連携の設定は管理者のみ行えます。"
NEEDS_RABBITMQ = ("AMQPでのパートナー連携にはRabbitMQが必要です。この環境（組み込みモード）では"
                  "作成できません。")  # fmt: skip
NOT_FOUND = "パートナーが見つかりません。"
# who produces what, as staff name the areas (the checkboxes are grouped by it)
PRODUCERS = {"inquiry": "反響", "customer": "お客様", "booking": "予約", "leads": "ホットリード",
             "orders": "受注", "gateway": "会社・店舗"}  # fmt: skip


@dataclass(frozen=True)
class EventType:
    routing_key: str
    producer: str  # 反響, お客様 …
    summary: str


def event_types() -> list[EventType]:
    """Every event a partner may take, by producer then routing key."""
    order = list(PRODUCERS)
    return sorted(
        (EventType(key, PRODUCERS.get(m.producer, m.producer),
                   (m.__doc__ or "").strip().splitlines()[0]) for key, m in REGISTRY.items()),
        key=lambda t: (order.index(m) if (m := t.routing_key.split(".")[0]) in order else 99,
                       t.routing_key),
    )  # fmt: skip


@dataclass(frozen=True)
class PartnerRow:
    """A partner as pages and answers show it (no ORM object leaves its unit of work)."""

    id: UUID
    name: str
    event_types: tuple[str, ...]
    queue: str
    created_at: datetime
    rotated_at: datetime | None

    @classmethod
    def of(cls, p: Partner) -> "PartnerRow":
        return cls(p.id, p.name, tuple(p.event_types), p.queue, p.created_at, p.rotated_at)


@dataclass(frozen=True)
class NewPartner:
    name: str
    event_types: list[str]


def check(spec: NewPartner) -> tuple[str, tuple[str, ...]]:
    name = spec.name.strip()
    if not name or len(name) > 100:
        raise Invalid("名前を100文字以内で入力してください。", code="required", field="name")
    chosen = tuple(dict.fromkeys(spec.event_types))
    if not chosen:
        raise Invalid("受け取るイベントを1つ以上選んでください。", code="required",
                      field="event_types")  # fmt: skip
    unknown = [t for t in chosen if t not in REGISTRY]
    if unknown:
        raise Invalid(f"存在しないイベントの種類です: {', '.join(unknown)[:200]}",
                      code="unknown_event_type", field="event_types")  # fmt: skip
    return name, chosen


async def create_partner(
    spec: NewPartner, *, tenant_id: UUID, feeds: PartnerFeeds, uow: GatewayUnitOfWork
) -> tuple[PartnerRow, FeedAccess]:
    name, chosen = check(spec)
    if not feeds.available:
        raise Conflict(NEEDS_RABBITMQ, code="amqp_unavailable")
    partner_id = uuid4()
    try:
        access = await feeds.open(partner_id=partner_id, tenant_id=tenant_id, event_types=chosen)
    except FeedsUnavailable as exc:
        await _forget(feeds, partner_id)
        raise ServiceUnavailable(str(exc)) from exc
    partner = Partner(id=partner_id, tenant_id=tenant_id, name=name, event_types=list(chosen),
                      queue=access.queue)  # fmt: skip
    await uow.partners.add(partner)
    return PartnerRow.of(partner), access


async def partners(*, uow: GatewayUnitOfWork) -> list[PartnerRow]:
    return [PartnerRow.of(p) for p in await uow.partners.list()]


async def partner(*, partner_id: UUID, uow: GatewayUnitOfWork) -> PartnerRow | None:
    found = await uow.partners.get(partner_id=partner_id)
    return PartnerRow.of(found) if found is not None else None


async def rotate_partner(
    *, partner_id: UUID, admin: bool, feeds: PartnerFeeds, now: datetime, uow: GatewayUnitOfWork
) -> tuple[PartnerRow, FeedAccess]:
    """A new password; the partner's open connections are closed."""
    partner = await _found(partner_id, admin, uow)
    if not feeds.available:
        raise Conflict(NEEDS_RABBITMQ, code="amqp_unavailable")
    try:
        access = await feeds.rotate(partner_id=partner.id)
    except FeedsUnavailable as exc:
        raise ServiceUnavailable(str(exc)) from exc
    partner.rotated_at = now
    return PartnerRow.of(partner), access


async def delete_partner(
    *, partner_id: UUID, admin: bool, feeds: PartnerFeeds, uow: GatewayUnitOfWork
) -> None:
    """Its connections are closed, its user and queue removed, then the row."""
    partner = await _found(partner_id, admin, uow)
    try:
        await feeds.close(partner_id=partner.id)
    except FeedsUnavailable as exc:
        raise ServiceUnavailable(str(exc)) from exc
    await uow.partners.delete(partner)


async def _found(partner_id: UUID, admin: bool, uow: GatewayUnitOfWork) -> Partner:
    """Another tenant's partner is 404 before the role is looked at (decision 73)."""
    partner = await uow.partners.get(partner_id=partner_id)
    if partner is None:
        raise NotFound(NOT_FOUND, code="not_found")
    if not admin:
        raise Forbidden(ADMIN_ONLY, code="admin_only")
    return partner


async def _forget(feeds: PartnerFeeds, partner_id: UUID) -> None:
    """What a failed creation may have made on the broker (best effort: nothing names it)."""
    try:
        await feeds.close(partner_id=partner_id)
    except FeedsUnavailable:
        pass


@dataclass(frozen=True)
class ReplayRow:
    id: UUID
    partner_id: UUID
    range_from: datetime
    range_to: datetime
    events: int  # how many the range holds of the partner's types


async def replay(
    *, partner_id: UUID, admin: bool, start: datetime, end: datetime, now: datetime,
    requested_by: UUID | None, uow: GatewayUnitOfWork,
) -> ReplayRow:  # fmt: skip
    """The partner's events of ``[start, end)`` sent again to its queue from the feed log,
    with their original ids (decision 109), by the replay worker: at most 31 days, within
    the last 31 (webhooks' replays have the same bounds)."""
    partner = await _found(partner_id, admin, uow)
    problem = replay_problem(start, end, now=now)
    if problem:
        code, field, message = problem
        raise Invalid(message, code=code, field=field)
    row = PartnerReplay(id=uuid4(), tenant_id=partner.tenant_id, partner_id=partner.id,
                        range_from=start, range_to=end, requested_at=now,
                        requested_by=requested_by, published=0)  # fmt: skip
    uow.session.add(row)
    events = await uow.webhooks.events_in(start=start, end=end, kinds=list(partner.event_types))
    await notify_replays(uow.session)
    return ReplayRow(row.id, partner.id, start, end, events)
