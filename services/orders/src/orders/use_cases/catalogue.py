"""What an order is checked and priced against (products, sets, staff and media, campaigns
running today, shipping fees, the tenant's rounding, whether a customer has ordered before),
read once per transaction and kept: a phone order reads each thing once, the daily run once
per chunk of a few hundred orders instead of once per order. Reads only."""

from datetime import date
from typing import Any
from uuid import UUID

from orders.adapters import orm
from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.domain.campaigns import Campaign
from orders.use_cases.campaigns import candidate_campaigns, to_rule


class Catalogue:
    def __init__(self, uow: OrdersUnitOfWork, *, today: date) -> None:
        self.uow = uow
        self.today = today
        self._rows: dict[tuple[type, UUID], Any] = {}  # None: looked up, not there
        self._companions: dict[UUID, list[orm.SetProduct]] = {}
        self._running: list[Campaign] | None = None
        self._fees: dict[str, orm.ShippingFee | None] = {}
        self._settings: tuple[orm.OrdersSettings | None] | None = None
        self._ordered_before: dict[UUID, bool] = {}

    async def many(self, model: type, *, ids: set[UUID]) -> dict[UUID, Any]:
        missing = {i for i in ids if (model, i) not in self._rows}
        if missing:
            found = await self.uow.masters.many(model, ids=missing)
            for i in missing:
                self._rows[(model, i)] = found.get(i)
        return {i: row for i in ids if (row := self._rows[(model, i)]) is not None}

    async def get(self, model: type, *, id: UUID) -> Any:
        return (await self.many(model, ids={id})).get(id)

    async def companion_sets(self, *, trigger_ids: set[UUID]) -> list[orm.SetProduct]:
        missing = trigger_ids - set(self._companions)
        if missing:
            for trigger in missing:
                self._companions[trigger] = []
            for found in await self.uow.masters.companion_sets(trigger_ids=missing):
                self._companions[found.trigger_product_id].append(found)  # type: ignore[index]
        return [s for t in sorted(trigger_ids, key=str) for s in self._companions[t]]

    async def campaigns(self, ids: tuple[UUID, ...] | None) -> list[Campaign]:
        if ids is not None:  # the operator's choice: checked each time, with its fields
            return await candidate_campaigns(ids, today=self.today, uow=self.uow)
        if self._running is None:
            rows = await self.uow.masters.campaigns_running(day=self.today)
            self._running = [to_rule(row) for row in rows]
        return self._running

    async def shipping_fee(self, prefecture: str) -> orm.ShippingFee | None:
        if prefecture not in self._fees:
            self._fees[prefecture] = await self.uow.masters.shipping_fee(prefecture=prefecture)
        return self._fees[prefecture]

    async def settings(self) -> orm.OrdersSettings | None:
        if self._settings is None:
            self._settings = (await self.uow.masters.settings(),)
        return self._settings[0]

    async def know_customers(self, ids: set[UUID]) -> None:
        """Which of these customers have ordered before, in one look-up (the daily run)."""
        missing = ids - set(self._ordered_before)
        if missing:
            before = await self.uow.orders.customers_with_orders(customer_ids=missing)
            for customer_id in missing:
                self._ordered_before[customer_id] = customer_id in before

    async def new_customer(self, customer_id: UUID) -> bool:
        await self.know_customers({customer_id})
        return not self._ordered_before[customer_id]

    def ordered(self, customer_id: UUID) -> None:
        """An order of this customer was just made: the next one is not their first."""
        self._ordered_before[customer_id] = True
