from kit.customer_refs import CustomerRefs, Holder
from kit.mail import MailUnitOfWork

from booking.adapters.catalog import CustomerRepository, PropertyRepository, StoreRepository
from booking.adapters.coupons import CouponRepository
from booking.adapters.holds import HoldRepository
from booking.adapters.notes import NotificationRepository, SalesReportRepository
from booking.adapters.orm import CouponTicket, SalesReport, Visit, VisitRequest
from booking.adapters.repository import VisitRequestRepository
from booking.adapters.salon import SalonRepository
from booking.adapters.slots import SlotRepository
from booking.adapters.visits import VisitRepository

# What a customer merge moves here (kit.customer_refs); the moved visits are announced.
CUSTOMER_HOLDERS = (
    Holder(VisitRequest.customer_id),
    Holder(CouponTicket.customer_id),
    Holder(Visit.customer_id, keep_rows=True),
    Holder(SalesReport.customer_id),
)


class BookingUnitOfWork(MailUnitOfWork):
    visit_requests: VisitRequestRepository
    customer_refs: CustomerRefs
    stores: StoreRepository
    properties: PropertyRepository
    customers: CustomerRepository
    slots: SlotRepository
    visits: VisitRepository
    coupons: CouponRepository
    notifications: NotificationRepository
    sales_reports: SalesReportRepository
    salon: SalonRepository
    holds: HoldRepository

    def _build(self) -> None:
        scope = {"tenant_id": self.tenant_id}
        self.visit_requests = VisitRequestRepository(self.session, **scope)
        self.customer_refs = CustomerRefs(self.session, **scope, holders=CUSTOMER_HOLDERS)
        self.stores = StoreRepository(self.session, **scope)
        self.properties = PropertyRepository(self.session, **scope)
        self.customers = CustomerRepository(self.session, **scope)
        self.slots = SlotRepository(self.session, **scope)
        self.visits = VisitRepository(self.session, **scope, store_scope=self.store_scope)
        self.coupons = CouponRepository(self.session, **scope)
        self.notifications = NotificationRepository(self.session, **scope)
        self.sales_reports = SalesReportRepository(self.session, **scope)
        self.salon = SalonRepository(self.session, **scope)
        self.holds = HoldRepository(self.session, **scope)
