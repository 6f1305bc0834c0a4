"""Store settings and properties (admins change them; everyone reads)."""

from uuid import UUID

from fastapi import APIRouter, status
from kit.auth import CurrentPrincipal, Principal
from kit.errors import Forbidden

from booking.adapters.orm import Property
from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.entrypoints.deps import StaffOnly, TxDep, UowDep
from booking.entrypoints.schemas import (
    PropertyRead,
    PropertyWrite,
    StoreSettingsRead,
    StoreSettingsWrite,
)
from booking.use_cases import stores

router = APIRouter(dependencies=[StaffOnly])


def admin_only(principal: Principal) -> None:
    if not principal.is_admin:
        raise Forbidden("店舗設定と物件は管理者のみ変更できます。")


@router.get("/stores")
async def list_stores(uow: UowDep) -> list[StoreSettingsRead]:
    return [StoreSettingsRead.model_validate(s) for s in await stores.list_stores(uow=uow)]


@router.get("/stores/{store_id}")
async def get_store(store_id: UUID, uow: UowDep) -> StoreSettingsRead:
    return StoreSettingsRead.model_validate(await stores.get_store(store_id=store_id, uow=uow))


@router.put("/stores/{store_id}")
async def put_store(
    store_id: UUID, body: StoreSettingsWrite, tx: TxDep, principal: CurrentPrincipal
) -> StoreSettingsRead:
    admin_only(principal)
    cmd = stores.PutStoreSettings(store_id=store_id, **body.model_dump())
    store = await tx.run(lambda uow: stores.put_store_settings(cmd, uow=uow))
    return StoreSettingsRead.model_validate(store)


@router.get("/properties")
async def list_properties(
    store_id: UUID, uow: UowDep, include_retired: bool = False
) -> list[PropertyRead]:
    """Retired properties only with ``include_retired`` (to name them on old visits)."""
    props = await stores.properties_of(store_id=store_id, uow=uow, include_retired=include_retired)
    return [PropertyRead.of(p) for p in props]


@router.post("/properties", status_code=status.HTTP_201_CREATED)
async def add_property(body: PropertyWrite, tx: TxDep, principal: CurrentPrincipal) -> PropertyRead:
    admin_only(principal)
    fields = stores.PropertyFields(**dict(body))
    return PropertyRead.of(await tx.run(lambda uow: stores.add_property(fields, uow=uow)))


@router.get("/properties/{property_id}")
async def get_property(property_id: UUID, uow: UowDep) -> PropertyRead:
    return PropertyRead.of(await stores.get_property(property_id=property_id, uow=uow))


@router.put("/properties/{property_id}")
async def update_property(
    property_id: UUID, body: PropertyWrite, tx: TxDep, principal: CurrentPrincipal
) -> PropertyRead:
    fields = stores.PropertyFields(**dict(body))

    async def update(uow: BookingUnitOfWork) -> Property:
        await stores.get_property(property_id=property_id, uow=uow)  # another tenant's: 404
        admin_only(principal)
        return await stores.update_property(property_id=property_id, fields=fields, uow=uow)

    return PropertyRead.of(await tx.run(update))


@router.post("/properties/{property_id}/retire")
async def retire_property(
    property_id: UUID, tx: TxDep, principal: CurrentPrincipal
) -> PropertyRead:
    """廃止: no new visit takes it; its visits keep it; leads stops proposing it."""

    async def retire(uow: BookingUnitOfWork) -> Property:
        await stores.get_property(property_id=property_id, uow=uow)  # another tenant's: 404
        admin_only(principal)
        return await stores.retire_property(property_id=property_id, uow=uow)

    return PropertyRead.of(await tx.run(retire))


@router.post("/properties/{property_id}/restore")
async def restore_property(
    property_id: UUID, tx: TxDep, principal: CurrentPrincipal
) -> PropertyRead:
    async def restore(uow: BookingUnitOfWork) -> Property:
        await stores.get_property(property_id=property_id, uow=uow)  # another tenant's: 404
        admin_only(principal)
        return await stores.restore_property(property_id=property_id, uow=uow)

    return PropertyRead.of(await tx.run(restore))
