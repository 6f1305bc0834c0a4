from kit.uow import UnitOfWork

from inquiry.adapters.repository import InquiryRepository


class InquiryUnitOfWork(UnitOfWork):
    inquiries: InquiryRepository

    def _build(self) -> None:
        self.inquiries = InquiryRepository(self.session, tenant_id=self.tenant_id)
