from uuid import UUID

import sqlalchemy as sa
from kit.customer_refs import CustomerRefs, Holder
from kit.outbox import Inbox
from kit.uow import UnitOfWork

from orders.adapters.after_sales_repository import AfterSalesRepository
from orders.adapters.orm import Order, Subscription
from orders.adapters.report_queries import ReportQueries
from orders.adapters.report_rebuild import REPORT_CONSUMERS, report_lock
from orders.adapters.report_writes import ReportWrites
from orders.adapters.repository import MasterRepository, OrderRepository
from orders.adapters.shipping_repository import ShippingRepository
from orders.adapters.subscription_repository import SubscriptionRepository

# What a customer merge moves here (kit.customer_refs).
CUSTOMER_HOLDERS = (Holder(Order.customer_id), Holder(Subscription.customer_id))


class ReportInbox(Inbox):
    """The inbox whose reporting claims first take the tenant's reporting lock, shared: a
    rebuild (``report_rebuild``) holds it exclusively, so a handler never runs beside one
    (decision 91). Taken before the claim, so the two never wait on each other's inbox row."""

    def __init__(self, session, *, tenant_id: UUID | None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(session)
        self._tenant_id = tenant_id

    async def claim(self, event_id: UUID, *, consumer: str) -> bool:
        if consumer in REPORT_CONSUMERS and self._tenant_id is not None:
            lock = sa.func.pg_advisory_xact_lock_shared(report_lock(self._tenant_id))
            await self._session.execute(sa.select(lock))
        return await super().claim(event_id, consumer=consumer)


class OrdersUnitOfWork(UnitOfWork):
    orders: OrderRepository
    masters: MasterRepository
    subscriptions: SubscriptionRepository
    shipping: ShippingRepository
    after_sales: AfterSalesRepository
    customer_refs: CustomerRefs
    reports: ReportWrites
    report_queries: ReportQueries

    def _build(self) -> None:
        self.inbox = ReportInbox(self.session, tenant_id=self.tenant_id)
        self.customer_refs = CustomerRefs(
            self.session,
            tenant_id=self.tenant_id,
            holders=CUSTOMER_HOLDERS,
            known=True,
        )
        self.orders = OrderRepository(self.session, tenant_id=self.tenant_id)
        self.masters = MasterRepository(self.session, tenant_id=self.tenant_id)
        self.subscriptions = SubscriptionRepository(self.session, tenant_id=self.tenant_id)
        self.shipping = ShippingRepository(self.session, tenant_id=self.tenant_id)
        self.after_sales = AfterSalesRepository(self.session, tenant_id=self.tenant_id)
        self.reports = ReportWrites(self.session, tenant_id=self.tenant_id)
        self.report_queries = ReportQueries(self.session, tenant_id=self.tenant_id)
