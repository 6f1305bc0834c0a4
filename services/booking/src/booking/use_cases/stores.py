"""Store settings and properties as booking knows them (BKG-1)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from uuid import UUID

from contracts import PropertyChangedV1, PropertyListedV1
from contracts.envelope import new_event_id
from contracts.listings import ListingFacts
from kit.errors import Invalid, NotFound

from booking.adapters.orm import Property, StoreSettings
from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.domain.slots import OpeningHours, StoreRules


@dataclass(frozen=True)
class PutStoreSettings:
    store_id: UUID
    name: str
    staff_count: int
    slot_minutes: int
    hours: dict[int, tuple[time, time]]
    closed_dates: list[date]
    closed_on_holidays: bool
    last_minute_cancel_hours: int
    prepayment: bool


@dataclass(frozen=True)
class PropertyFields:
    store_id: UUID
    name: str
    concurrent_groups: int
    portal_listed: bool
    code: str | None = None
    facts: ListingFacts | None = None


FACT_COLUMNS = ("kind", "prefecture", "city", "station", "price_yen", "layout", "size_m2")


def rules_of(store: StoreSettings) -> StoreRules:
    """The pure rules from a stored row (JSON: {"0": ["10:00", "19:00"]}, ["2026-12-31"])."""
    return StoreRules(
        staff_count=store.staff_count,
        slot_minutes=store.slot_minutes,
        hours={
            int(day): OpeningHours(time.fromisoformat(span[0]), time.fromisoformat(span[1]))
            for day, span in store.hours.items()
        },
        closed_dates=frozenset(date.fromisoformat(d) for d in store.closed_dates),
        closed_on_holidays=store.closed_on_holidays,
        last_minute_cancel_hours=store.last_minute_cancel_hours,
        prepayment=store.prepayment,
    )


async def put_store_settings(cmd: PutStoreSettings, *, uow: BookingUnitOfWork) -> StoreSettings:
    for day, (opens, closes) in cmd.hours.items():
        if not 0 <= day <= 6 or closes <= opens:
            raise Invalid("営業時間は開始より後の終了時刻を指定してください。", field="hours")
    if 24 * 60 % cmd.slot_minutes:
        raise Invalid(
            "枠の長さは1日を割り切れる分数にしてください。例: 30、60", field="slot_minutes"
        )
    values = {
        "name": cmd.name,
        "staff_count": cmd.staff_count,
        "slot_minutes": cmd.slot_minutes,
        "hours": {
            str(d): [o.strftime("%H:%M"), c.strftime("%H:%M")] for d, (o, c) in cmd.hours.items()
        },
        "closed_dates": sorted(d.isoformat() for d in set(cmd.closed_dates)),
        "closed_on_holidays": cmd.closed_on_holidays,
        "last_minute_cancel_hours": cmd.last_minute_cancel_hours,
        "prepayment": cmd.prepayment,
    }
    try:
        store = await uow.stores.put(store_id=cmd.store_id, values=values)
    except LookupError:  # the id belongs to another tenant's store
        raise NotFound("店舗が見つかりません。") from None
    await uow.slots.set_capacity(
        resource_id=cmd.store_id, capacity=cmd.staff_count, since=datetime.now(UTC)
    )
    return store


async def get_store(*, store_id: UUID, uow: BookingUnitOfWork) -> StoreSettings:
    store = await uow.stores.get(store_id=store_id)
    if store is None:
        raise NotFound("店舗の予約設定が見つかりません。先に店舗設定を登録してください。")
    return store


async def list_stores(*, uow: BookingUnitOfWork) -> list[StoreSettings]:
    return await uow.stores.list()


async def add_property(fields: PropertyFields, *, uow: BookingUnitOfWork) -> Property:
    await _check_property(fields, property_id=None, uow=uow)
    prop = Property(id=new_event_id(), **_values(fields))
    uow.properties.add(prop)
    await uow.properties.flush()
    await uow.add_event(
        PropertyListedV1(
            property_id=prop.id, store_id=prop.store_id, code=prop.code, name=prop.name,
            facts=facts_of(prop), listed_at=datetime.now(UTC),
        )
    )  # fmt: skip
    return prop


async def update_property(
    *, property_id: UUID, fields: PropertyFields, uow: BookingUnitOfWork
) -> Property:
    prop = await get_property(property_id=property_id, uow=uow)
    await _check_property(fields, property_id=property_id, uow=uow)
    before = _announced(prop)
    for key, value in _values(fields).items():
        setattr(prop, key, value)
    await uow.properties.flush()
    if _announced(prop) != before:  # what consumers know of it changed (not its capacity)
        await uow.add_event(
            PropertyChangedV1(
                property_id=prop.id, store_id=prop.store_id, code=prop.code, name=prop.name,
                facts=facts_of(prop), changed_at=datetime.now(UTC),
            )
        )  # fmt: skip
    await uow.slots.set_capacity(
        resource_id=prop.id, capacity=fields.concurrent_groups, since=datetime.now(UTC)
    )
    return prop


async def get_property(*, property_id: UUID, uow: BookingUnitOfWork) -> Property:
    prop = await uow.properties.get(property_id=property_id)
    if prop is None:
        raise NotFound("物件が見つかりません。")
    return prop


async def properties_of(
    *, store_id: UUID, uow: BookingUnitOfWork, include_retired: bool = False
) -> list[Property]:
    await get_store(store_id=store_id, uow=uow)
    return await uow.properties.of_store(store_id=store_id, include_retired=include_retired)


async def retire_property(*, property_id: UUID, uow: BookingUnitOfWork) -> Property:
    """廃止 (idempotent): no new visit takes it; the visits that did keep its name. Leads is
    told by PropertyChanged without facts, so the retired listing is proposed to nobody."""
    prop = await get_property(property_id=property_id, uow=uow)
    if prop.retired_at is not None:
        return prop
    prop.retired_at = datetime.now(UTC)
    await uow.properties.flush()
    await uow.add_event(
        PropertyChangedV1(property_id=prop.id, store_id=prop.store_id, code=prop.code,
                          name=prop.name, facts=None, changed_at=prop.retired_at)
    )  # fmt: skip
    return prop


async def restore_property(*, property_id: UUID, uow: BookingUnitOfWork) -> Property:
    """再開: offered again, and leads has its facts back (PropertyChanged)."""
    prop = await get_property(property_id=property_id, uow=uow)
    if prop.retired_at is None:
        return prop
    prop.retired_at = None
    await uow.properties.flush()
    await uow.add_event(
        PropertyChangedV1(property_id=prop.id, store_id=prop.store_id, code=prop.code,
                          name=prop.name, facts=facts_of(prop), changed_at=datetime.now(UTC))
    )  # fmt: skip
    return prop


async def _check_property(
    fields: PropertyFields, *, property_id: UUID | None, uow: BookingUnitOfWork
) -> None:
    if await uow.stores.get(store_id=fields.store_id) is None:
        raise Invalid(
            "店舗が見つかりません。先に店舗の予約設定を登録してください。", field="store_id"
        )
    if fields.code and await uow.properties.code_taken(code=fields.code, except_id=property_id):
        raise Invalid(f"物件コード「{fields.code}」は既に登録されています。", field="code")


def facts_of(prop: Property) -> ListingFacts | None:
    if prop.kind is None or prop.prefecture is None or prop.price_yen is None:
        return None
    return ListingFacts.model_validate({c: getattr(prop, c) for c in FACT_COLUMNS})


def _announced(prop: Property) -> tuple:
    return (prop.store_id, prop.code, prop.name, facts_of(prop))


def _values(fields: PropertyFields) -> dict:
    facts = fields.facts.model_dump() if fields.facts else dict.fromkeys(FACT_COLUMNS)
    return {
        "store_id": fields.store_id,
        "name": fields.name,
        "concurrent_groups": fields.concurrent_groups,
        "portal_listed": fields.portal_listed,
        "code": fields.code or None,
        **facts,
    }
