from kit.customer_refs import CustomerRefs, Holder
from kit.uow import UnitOfWork

from orders.adapters.after_sales_repository import AfterSalesRepository
from orders.adapters.orm import Order, Subscription
from orders.adapters.report_queries import ReportQueries
from orders.adapters.report_writes import ReportWrites
from orders.adapters.repository import MasterRepository, OrderRepository
from orders.adapters.shipping_repository import ShippingRepository
from orders.adapters.subscription_repository import SubscriptionRepository

# What a customer merge moves here (kit.customer_refs).
CUSTOMER_HOLDERS = (Holder(Order.customer_id), Holder(Subscription.customer_id))


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
        self.customer_refs = CustomerRefs(
            self.session,
            tenant_id=self.tenant_id,
            holders=CUSTOMER_HOLDERS,
            links=False,
            known=True,
        )
        self.orders = OrderRepository(self.session, tenant_id=self.tenant_id)
        self.masters = MasterRepository(self.session, tenant_id=self.tenant_id)
        self.subscriptions = SubscriptionRepository(self.session, tenant_id=self.tenant_id)
        self.shipping = ShippingRepository(self.session, tenant_id=self.tenant_id)
        self.after_sales = AfterSalesRepository(self.session, tenant_id=self.tenant_id)
        self.reports = ReportWrites(self.session, tenant_id=self.tenant_id)
        self.report_queries = ReportQueries(self.session, tenant_id=self.tenant_id)
