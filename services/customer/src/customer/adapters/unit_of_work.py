from kit.uow import UnitOfWork

from customer.adapters.exports import ExportRepository
from customer.adapters.follow_up import FollowUpRepository
from customer.adapters.imports import ImportJobRepository
from customer.adapters.merges import MergeRepository
from customer.adapters.repository import CustomerRepository
from customer.adapters.visits import VisitRepository


class CustomerUnitOfWork(UnitOfWork):
    customers: CustomerRepository
    visits: VisitRepository
    merges: MergeRepository
    imports: ImportJobRepository
    follow_up: FollowUpRepository
    exports: ExportRepository

    def _build(self) -> None:
        self.customers = CustomerRepository(
            self.session, tenant_id=self.tenant_id, store_scope=self.store_scope
        )
        self.visits = VisitRepository(self.session, tenant_id=self.tenant_id)
        self.merges = MergeRepository(self.session, tenant_id=self.tenant_id)
        self.imports = ImportJobRepository(self.session, tenant_id=self.tenant_id)
        self.follow_up = FollowUpRepository(self.session, tenant_id=self.tenant_id)
        self.exports = ExportRepository(self.session)
