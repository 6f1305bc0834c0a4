from kit.uow import UnitOfWork

from booking.adapters.repository import InquiryLinkRepository, VisitRequestRepository


class BookingUnitOfWork(UnitOfWork):
    visit_requests: VisitRequestRepository
    links: InquiryLinkRepository

    def _build(self) -> None:
        self.visit_requests = VisitRequestRepository(self.session, tenant_id=self.tenant_id)
        self.links = InquiryLinkRepository(self.session, tenant_id=self.tenant_id)
