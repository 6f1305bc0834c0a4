from kit.customer_refs import CustomerRefs, Holder
from kit.mail import MailUnitOfWork

from leads.adapters.levels_repository import ExclusionRepository, LevelSettingsRepository
from leads.adapters.mail_orm import Buyer, BuyerArea, Delivery, Proposed
from leads.adapters.mail_repository import BuyerRepository, ListingRepository, MailRepository
from leads.adapters.orm import (
    EmailOpen,
    Exclusion,
    LeadActivity,
    LeadLevel,
    PageView,
    TrackedSend,
)
from leads.adapters.repository import ActivityRepository
from leads.adapters.scores_repository import LevelRepository
from leads.adapters.tracking_repository import (
    OpenRepository,
    SendRepository,
    ViewRepository,
)

# What a customer merge moves here (kit.customer_refs). One newsletter sent to both records,
# or one page view beaconed for both, stays the target's only; the source's hot-lead switch
# goes and the target keeps its own. The source's materialized level goes too; the merge's
# second handler re-scores the target from the moved rows (handlers.rescore_merge_target).
CUSTOMER_HOLDERS = (
    Holder(LeadActivity.customer_id),
    Holder(TrackedSend.customer_id, unique_by=TrackedSend.message_id),
    Holder(EmailOpen.customer_id),
    Holder(PageView.customer_id, unique_by=PageView.view_id),
    Holder(Exclusion.customer_id, drop=True),
    # Mails: the target's own buyer record (its conditions, its address) is the one kept.
    Holder(Delivery.customer_id, unique_by=Delivery.mail_id),
    Holder(Proposed.customer_id, unique_by=Proposed.property_id),
    Holder(Buyer.customer_id, drop=True),
    Holder(BuyerArea.customer_id, drop=True),
    Holder(LeadLevel.customer_id, drop=True),
)


class LeadsUnitOfWork(MailUnitOfWork):
    activities: ActivityRepository
    customer_refs: CustomerRefs
    sends: SendRepository
    opens: OpenRepository
    views: ViewRepository
    level_settings: LevelSettingsRepository
    exclusions: ExclusionRepository
    listings: ListingRepository
    buyers: BuyerRepository
    mails: MailRepository
    levels: LevelRepository

    def _build(self) -> None:
        scope = {"tenant_id": self.tenant_id}
        self.activities = ActivityRepository(self.session, **scope)
        self.customer_refs = CustomerRefs(
            self.session, **scope, holders=CUSTOMER_HOLDERS, known=True
        )
        self.sends = SendRepository(self.session, **scope)
        self.opens = OpenRepository(self.session, **scope)
        self.views = ViewRepository(self.session, **scope)
        self.level_settings = LevelSettingsRepository(self.session, **scope)
        self.exclusions = ExclusionRepository(self.session, **scope)
        self.listings = ListingRepository(self.session, **scope)
        self.buyers = BuyerRepository(self.session, **scope)
        self.mails = MailRepository(self.session, **scope)
        self.levels = LevelRepository(self.session, **scope)
