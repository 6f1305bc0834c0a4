from kit.mail import MailUnitOfWork

from customer.adapters.exports import ExportRepository
from customer.adapters.faq import FaqRepository
from customer.adapters.follow_up import FollowUpRepository
from customer.adapters.histories import ActionRepository, ActivityRepository, InteractionRepository
from customer.adapters.imports import ImportJobRepository
from customer.adapters.inflow_sources import InflowSourceRepository
from customer.adapters.merges import MergeRepository
from customer.adapters.purchases import PurchaseRepository
from customer.adapters.ranks import RankRepository
from customer.adapters.repository import CustomerRepository
from customer.adapters.site_accounts import SiteAccountRepository
from customer.adapters.visits import VisitRepository


class CustomerUnitOfWork(MailUnitOfWork):  # mail: the booking site's passwords
    customers: CustomerRepository
    visits: VisitRepository
    merges: MergeRepository
    imports: ImportJobRepository
    follow_up: FollowUpRepository
    exports: ExportRepository
    purchases: PurchaseRepository
    site_accounts: SiteAccountRepository
    interactions: InteractionRepository
    actions: ActionRepository
    activity: ActivityRepository
    ranks: RankRepository
    faq: FaqRepository
    inflow_sources: InflowSourceRepository

    def _build(self) -> None:
        self.customers = CustomerRepository(
            self.session, tenant_id=self.tenant_id, store_scope=self.store_scope
        )
        self.visits = VisitRepository(self.session, tenant_id=self.tenant_id)
        self.merges = MergeRepository(self.session, tenant_id=self.tenant_id)
        self.imports = ImportJobRepository(self.session, tenant_id=self.tenant_id)
        self.follow_up = FollowUpRepository(self.session, tenant_id=self.tenant_id)
        self.exports = ExportRepository(self.session)
        self.purchases = PurchaseRepository(self.session, tenant_id=self.tenant_id)
        self.site_accounts = SiteAccountRepository(self.session, tenant_id=self.tenant_id)
        self.interactions = InteractionRepository(self.session, tenant_id=self.tenant_id)
        self.actions = ActionRepository(self.session, tenant_id=self.tenant_id)
        self.activity = ActivityRepository(self.session, tenant_id=self.tenant_id)
        self.ranks = RankRepository(self.session, tenant_id=self.tenant_id)
        self.faq = FaqRepository(self.session, tenant_id=self.tenant_id)
        self.inflow_sources = InflowSourceRepository(self.session, tenant_id=self.tenant_id)
