"""Composition root of the leads service."""

from kit.bus import Bus
from kit.mail import mail_worker
from kit.runtime import ServiceRuntime
from kit.settings import CommonSettings
from kit.telemetry import Telemetry

from leads.adapters.mail_scheduler import mail_scheduler
from leads.adapters.tracking_guard import EgressFile, FloodGuard, Tracking
from leads.adapters.unit_of_work import LeadsUnitOfWork
from leads.entrypoints.workers import LevelWorker
from leads.handlers import HANDLERS
from leads.settings import LeadsSettings


class LeadsRuntime(ServiceRuntime):
    """The leads runtime also holds what the public tracking routes need besides the
    database: the signing secret, Apple's egress ranges and the flood guard."""

    tracking: Tracking


def build_runtime(
    settings: LeadsSettings | None = None,
    *,
    common: CommonSettings | None = None,
    bus: Bus | None = None,
    telemetry: Telemetry | None = None,
) -> LeadsRuntime:
    settings = settings or LeadsSettings()
    common = common or CommonSettings()
    runtime = LeadsRuntime(
        name="leads",
        settings=settings,
        common=common,
        migrations_package="leads.migrations",
        uow_class=LeadsUnitOfWork,
        handlers=HANDLERS,
        bus=bus,
        telemetry=telemetry,
    )
    runtime.tracking = Tracking(
        secret=settings.tracking_secret or common.service_token_secret,
        token_ttl_days=settings.tracking_token_ttl_days,
        egress=EgressFile(settings.apple_egress_file),
        guard=FloodGuard(
            per_token=settings.tracking_hits_per_token,
            per_address=settings.tracking_hits_per_address,
        ),
    )
    runtime.add_worker(mail_worker)  # the kit's SMTP sender of the mail queue
    runtime.add_worker(mail_scheduler)  # LEAD-6: proposals, step mails, newsletters when due
    # Levels leave their windows without an event (LEAD-7); any replica takes any tenant's.
    runtime.add_worker(lambda rt: LevelWorker(rt, poll_s=settings.level_poll_s))
    return runtime
