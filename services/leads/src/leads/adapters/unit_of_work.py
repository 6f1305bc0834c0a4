from kit.uow import UnitOfWork

from leads.adapters.repository import ActivityRepository, InquiryLinkRepository


class LeadsUnitOfWork(UnitOfWork):
    activities: ActivityRepository
    links: InquiryLinkRepository

    def _build(self) -> None:
        self.activities = ActivityRepository(self.session, tenant_id=self.tenant_id)
        self.links = InquiryLinkRepository(self.session, tenant_id=self.tenant_id)
