"""Events the inquiry service consumes → its use cases."""

from contracts import CustomerMergedV1, Envelope, InquiryLinkedV1, InquiryLinkedV2, StoreChangedV1
from kit.customer_refs import repoint_merged_customer

from inquiry.adapters.unit_of_work import InquiryUnitOfWork


async def record_customer_link(
    event: InquiryLinkedV2, *, envelope: Envelope, uow: InquiryUnitOfWork
) -> None:
    # Held: a customer merged away since lands on the target, and a merge running now
    # moves this inquiry too.
    customer_id = await uow.customer_refs.hold(customer_id=event.customer_id)
    await uow.inquiries.link_customer(inquiry_id=event.inquiry.inquiry_id, customer_id=customer_id)


async def keep_store_name(
    event: StoreChangedV1, *, envelope: Envelope, uow: InquiryUnitOfWork
) -> None:
    """The name lists and exports show: a retired store's (``active: false``) is marked."""
    name = event.name if event.active else f"{event.name}（廃止）"
    await uow.stores.upsert(store_id=event.store_id, code=event.code, name=name)


HANDLERS = {
    InquiryLinkedV2: [record_customer_link],
    InquiryLinkedV1: [],  # retired (decision 97): unbound
    CustomerMergedV1: [repoint_merged_customer],
    StoreChangedV1: [keep_store_name],
}
