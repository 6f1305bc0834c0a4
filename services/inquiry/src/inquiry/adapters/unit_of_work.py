from kit.customer_refs import CustomerRefs, Holder
from kit.uow import UnitOfWork

from inquiry.adapters.orm import Inquiry
from inquiry.adapters.repository import InquiryRepository, MediaRepository, StoreRefRepository

# What a customer merge moves here (kit.customer_refs): an inquiry is its own link.
CUSTOMER_HOLDERS = (Holder(Inquiry.customer_id),)


class InquiryUnitOfWork(UnitOfWork):
    inquiries: InquiryRepository
    media: MediaRepository
    stores: StoreRefRepository
    customer_refs: CustomerRefs

    def _build(self) -> None:
        self.customer_refs = CustomerRefs(
            self.session, tenant_id=self.tenant_id, holders=CUSTOMER_HOLDERS
        )
        self.inquiries = InquiryRepository(
            self.session, tenant_id=self.tenant_id, store_scope=self.store_scope
        )
        self.media = MediaRepository(self.session, tenant_id=self.tenant_id)
        self.stores = StoreRefRepository(self.session, tenant_id=self.tenant_id)
