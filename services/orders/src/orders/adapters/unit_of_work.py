from kit.uow import UnitOfWork

from orders.adapters.repository import MasterRepository, OrderRepository


class OrdersUnitOfWork(UnitOfWork):
    orders: OrderRepository
    masters: MasterRepository

    def _build(self) -> None:
        self.orders = OrderRepository(self.session, tenant_id=self.tenant_id)
        self.masters = MasterRepository(self.session, tenant_id=self.tenant_id)
