from kit.uow import UnitOfWork

from inquiry.adapters.repository import InquiryRepository, MediaRepository, StoreRefRepository


class InquiryUnitOfWork(UnitOfWork):
    inquiries: InquiryRepository
    media: MediaRepository
    stores: StoreRefRepository

    def _build(self) -> None:
        self.inquiries = InquiryRepository(self.session, tenant_id=self.tenant_id)
        self.media = MediaRepository(self.session, tenant_id=self.tenant_id)
        self.stores = StoreRefRepository(self.session, tenant_id=self.tenant_id)
