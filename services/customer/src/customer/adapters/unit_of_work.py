from kit.uow import UnitOfWork

from customer.adapters.repository import CustomerRepository


class CustomerUnitOfWork(UnitOfWork):
    customers: CustomerRepository

    def _build(self) -> None:
        self.customers = CustomerRepository(self.session, tenant_id=self.tenant_id)
