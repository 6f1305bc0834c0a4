"""The customer monitor's 定期 and 購入履歴 panes and its hot-lead level (seed 002): the
customer's subscriptions from the orders service, the purchase history from the customer
service's read model (kept from the orders events, so an order shows there a moment after
it is placed), the level with its reason from the leads service when the tenant's business
types use hot leads (web/common/business.py). Each part costs only itself when its service
does not answer."""

import asyncio
from dataclasses import dataclass
from uuid import UUID

from kit.auth import Principal

from gateway.clients.customer import CustomerClient, PurchaseHistory, purchases_of
from gateway.clients.leads import Engagement, LeadsClient
from gateway.clients.orders import OrdersClient, Subscription
from gateway.clients.transport import ServiceClients
from gateway.use_cases.customer_monitor import _unless_down


@dataclass
class OrderPanes:
    subscriptions: list[Subscription] | None  # None: the orders service did not answer
    product_names: dict[str, str]
    purchases: PurchaseHistory | None  # None: the customer service did not answer
    hot_leads: bool  # the tenant uses hot leads: the level is shown
    engagement: Engagement | None


async def load_order_panes(
    customer_id: UUID, *, principal: Principal, services: ServiceClients, hot_leads: bool
) -> OrderPanes:
    orders = OrdersClient(services, principal)
    leads = LeadsClient(services, principal)
    subs, purchases, engagement = await asyncio.gather(
        _unless_down(orders.subscriptions_of(customer_id)),
        _unless_down(purchases_of(CustomerClient(services, principal), customer_id)),
        _unless_down(leads.engagement(customer_id)) if hot_leads else _none(),
    )
    # The subscriptions name their products by id: the names (retired ones too) when needed.
    products = (
        await _unless_down(orders.products(include_retired=True)) if subs and subs.items else None
    )
    return OrderPanes(
        subscriptions=subs.items if subs is not None else None,
        product_names={str(p.id): p.name for p in products or []},
        purchases=purchases,
        hot_leads=hot_leads,
        engagement=engagement,
    )


async def _none() -> None:
    return None
