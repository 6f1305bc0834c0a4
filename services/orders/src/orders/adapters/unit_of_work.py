from kit.uow import UnitOfWork

from orders.adapters.repository import OrderRepository


class OrdersUnitOfWork(UnitOfWork):
    orders: OrderRepository

    def _build(self) -> None:
        self.orders = OrderRepository(self.session, tenant_id=self.tenant_id)
