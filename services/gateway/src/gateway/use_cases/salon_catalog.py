"""The salon menus and staff members of the tenant's stores, from the booking service, for
the customer search's メニュー, 最終利用メニュー and スタッフ (seed 003) and the monitor's
visits. The gateway owns the stores; booking owns what each store offers."""

import asyncio
from dataclasses import dataclass, field
from uuid import UUID

from kit.auth import Principal

from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.clients.booking import BookingClient, Named
from gateway.clients.transport import ServiceClients


@dataclass(frozen=True)
class StoreEntry:
    id: UUID
    name: str


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    name: str
    store_name: str


@dataclass
class SalonCatalog:
    menus: list[CatalogEntry] = field(default_factory=list)
    staff_members: list[CatalogEntry] = field(default_factory=list)
    complete: bool = True  # False: booking did not answer for some store

    def label(self, entry: CatalogEntry) -> str:
        """「カット（田町支店）」 once several stores offer menus; else the name alone."""
        stores = {e.store_name for e in self.menus + self.staff_members}
        return f"{entry.name}（{entry.store_name}）" if len(stores) > 1 else entry.name

    def names(self) -> dict[str, str]:
        return {e.id: e.name for e in self.menus + self.staff_members}


async def tenant_stores(*, uow: GatewayUnitOfWork, retired: bool = False) -> list[StoreEntry]:
    """The stores to choose from (active ones); ``retired``: all, for naming old records
    (「田町支店（廃止）」)."""
    return [StoreEntry(id=s.id, name=s.label) for s in await uow.accounts.stores()
            if retired or s.active]  # fmt: skip


async def salon_catalog(
    *, stores: list[StoreEntry], services: ServiceClients, principal: Principal
) -> SalonCatalog:
    """Every store's menus and staff members, asked concurrently. A store booking knows no
    salon of (a real-estate office's) has none; when booking cannot answer, the catalogue is
    marked incomplete and the search still works without those choices."""
    booking = BookingClient(services, principal)
    calls = [call for s in stores for call in (booking.menus(s.id), booking.staff_members(s.id))]
    answers: list[list[Named] | BaseException | None] = await asyncio.gather(
        *calls, return_exceptions=True
    )
    catalog = SalonCatalog()
    for index, answer in enumerate(answers):
        store = stores[index // 2]
        if isinstance(answer, BaseException):  # booking down or slow: said on the page
            catalog.complete = False
            continue
        if answer is None:  # a store booking has no settings for (an agency's): no menus
            continue
        entries = [CatalogEntry(id=str(e.id), name=e.name, store_name=store.name) for e in answer]
        (catalog.menus if index % 2 == 0 else catalog.staff_members).extend(entries)
    return catalog
