"""流入経路マスタ (CUS-1): admins add, rename and retire the tenant's inflow sources; the
registration and 更新 forms pick from the active ones. Customers carry the names: a rename is
written to every customer that has it (a correction), a retired one stays on the customers
that have it and cannot be given to anyone else. A name the API or an import brings that the
master lacks joins the master (so it always lists what customers carry)."""

from datetime import UTC, datetime
from uuid import UUID

from kit.errors import Conflict, Invalid, NotFound

from customer.adapters.orm import InflowSource
from customer.adapters.unit_of_work import CustomerUnitOfWork


def _clean(name: str) -> str:
    text = " ".join((name or "").split())
    if not text:
        raise Invalid("流入経路名を入力してください。", field="name")
    if len(text) > 60:
        raise Invalid("流入経路名は60文字以内で入力してください。", field="name")
    return text


async def list_sources(*, uow: CustomerUnitOfWork) -> list[InflowSource]:
    return await uow.inflow_sources.all()


async def get_source(source_id: UUID, *, uow: CustomerUnitOfWork) -> InflowSource:
    found = await uow.inflow_sources.get(source_id=source_id)
    if found is None:  # another tenant's too
        raise NotFound("流入経路が見つかりません。")
    return found


async def add_source(*, name: str, uow: CustomerUnitOfWork) -> InflowSource:
    clean = _clean(name)
    if not await uow.inflow_sources.add(name=clean):
        raise Conflict(f"流入経路「{clean}」は既に登録されています。", field="name")
    found = await uow.inflow_sources.by_name(name=clean)
    assert found is not None
    return found


async def rename_source(source_id: UUID, *, name: str, uow: CustomerUnitOfWork) -> InflowSource:
    source = await uow.inflow_sources.get(source_id=source_id, for_update=True)
    if source is None:
        raise NotFound("流入経路が見つかりません。")
    clean = _clean(name)
    if clean == source.name:
        return source
    if await uow.inflow_sources.by_name(name=clean) is not None:
        raise Conflict(f"流入経路「{clean}」は既に登録されています。", field="name")
    old = source.name
    source.name = clean
    await uow.inflow_sources.flush()
    await uow.inflow_sources.rename_on_customers(old=old, new=clean)
    return source


async def retire_source(source_id: UUID, *, uow: CustomerUnitOfWork) -> InflowSource:
    source = await uow.inflow_sources.get(source_id=source_id, for_update=True)
    if source is None:
        raise NotFound("流入経路が見つかりません。")
    source.retired_at = source.retired_at or datetime.now(UTC)
    await uow.inflow_sources.flush()
    return source


async def restore_source(source_id: UUID, *, uow: CustomerUnitOfWork) -> InflowSource:
    source = await uow.inflow_sources.get(source_id=source_id, for_update=True)
    if source is None:
        raise NotFound("流入経路が見つかりません。")
    source.retired_at = None
    await uow.inflow_sources.flush()
    return source


async def check_chosen(names: list[str], *, had: list[str], uow: CustomerUnitOfWork) -> None:
    """A retired source is kept where it was, never given anew (registration, 更新)."""
    retired = {s.name for s in await uow.inflow_sources.all() if s.retired_at is not None}
    given = [n for n in names if n in retired and n not in had]
    if given:
        raise Invalid(f"流入経路「{given[0]}」は廃止されています。", field="inflow_sources",
                      code="retired_inflow_source")  # fmt: skip
