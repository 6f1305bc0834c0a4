from kit.uow import UnitOfWork

from leads.adapters.levels_repository import ExclusionRepository, LevelSettingsRepository
from leads.adapters.repository import ActivityRepository, InquiryLinkRepository
from leads.adapters.tracking_repository import (
    OpenRepository,
    SendRepository,
    ViewRepository,
)


class LeadsUnitOfWork(UnitOfWork):
    activities: ActivityRepository
    links: InquiryLinkRepository
    sends: SendRepository
    opens: OpenRepository
    views: ViewRepository
    level_settings: LevelSettingsRepository
    exclusions: ExclusionRepository

    def _build(self) -> None:
        scope = {"tenant_id": self.tenant_id}
        self.activities = ActivityRepository(self.session, **scope)
        self.links = InquiryLinkRepository(self.session, **scope)
        self.sends = SendRepository(self.session, **scope)
        self.opens = OpenRepository(self.session, **scope)
        self.views = ViewRepository(self.session, **scope)
        self.level_settings = LevelSettingsRepository(self.session, **scope)
        self.exclusions = ExclusionRepository(self.session, **scope)
