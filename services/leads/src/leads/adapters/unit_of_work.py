from kit.customer_refs import CustomerRefs, Holder
from kit.uow import UnitOfWork

from leads.adapters.levels_repository import ExclusionRepository, LevelSettingsRepository
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
    Holder(LeadLevel.customer_id, drop=True),
)


class LeadsUnitOfWork(UnitOfWork):
    activities: ActivityRepository
    customer_refs: CustomerRefs
    sends: SendRepository
    opens: OpenRepository
    views: ViewRepository
    level_settings: LevelSettingsRepository
    exclusions: ExclusionRepository
    levels: LevelRepository

    def _build(self) -> None:
        scope = {"tenant_id": self.tenant_id}
        self.activities = ActivityRepository(self.session, **scope)
        self.customer_refs = CustomerRefs(self.session, **scope, holders=CUSTOMER_HOLDERS)
        self.sends = SendRepository(self.session, **scope)
        self.opens = OpenRepository(self.session, **scope)
        self.views = ViewRepository(self.session, **scope)
        self.level_settings = LevelSettingsRepository(self.session, **scope)
        self.exclusions = ExclusionRepository(self.session, **scope)
        self.levels = LevelRepository(self.session, **scope)
