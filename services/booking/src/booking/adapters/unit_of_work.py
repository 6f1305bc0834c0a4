from kit.mail import MailUnitOfWork

from booking.adapters.catalog import CustomerRepository, PropertyRepository, StoreRepository
from booking.adapters.coupons import CouponRepository
from booking.adapters.holds import HoldRepository
from booking.adapters.notes import NotificationRepository, SalesReportRepository
from booking.adapters.repository import InquiryLinkRepository, VisitRequestRepository
from booking.adapters.salon import SalonRepository
from booking.adapters.slots import SlotRepository
from booking.adapters.visits import VisitRepository


class BookingUnitOfWork(MailUnitOfWork):
    visit_requests: VisitRequestRepository
    links: InquiryLinkRepository
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
        self.links = InquiryLinkRepository(self.session, **scope)
        self.stores = StoreRepository(self.session, **scope)
        self.properties = PropertyRepository(self.session, **scope)
        self.customers = CustomerRepository(self.session, **scope)
        self.slots = SlotRepository(self.session, **scope)
        self.visits = VisitRepository(self.session, **scope)
        self.coupons = CouponRepository(self.session, **scope)
        self.notifications = NotificationRepository(self.session, **scope)
        self.sales_reports = SalesReportRepository(self.session, **scope)
        self.salon = SalonRepository(self.session, **scope)
        self.holds = HoldRepository(self.session, **scope)
