"""Composition root of the gateway: accounts database, clients of the services, demo seed."""

from fastapi import FastAPI
from kit.bus import Bus, RabbitBus
from kit.bus.feeds import NoFeeds, PartnerFeeds, RabbitPartnerFeeds
from kit.mail import mail_worker
from kit.runtime import ServiceRuntime
from kit.settings import CommonSettings
from kit.telemetry import Telemetry
from kit.transactions import Transactions

from gateway.adapters.feed_pruner import feed_pruner
from gateway.adapters.partner_replays import partner_replay_sender
from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.adapters.webhook_delivery import webhook_sender
from gateway.clients.transport import SERVICES, ServiceClients
from gateway.domain.partner_tenants import PartnerTenants
from gateway.domain.throttle import LoginThrottle
from gateway.handlers import feed_handlers
from gateway.settings import GatewaySettings
from gateway.use_cases.tenants import DEMO_TENANT, provision_tenant


class GatewayRuntime(ServiceRuntime):
    """The gateway's runtime also holds the clients of the services it fronts, built once
    the runtime has started and closed when it stops."""

    services: ServiceClients
    login_throttle: LoginThrottle
    partner_tenants: PartnerTenants  # the tenants signed deliveries name, for a few seconds
    partner_feeds: PartnerFeeds  # AMQP feeds of partners: RabbitMQ only (decision 104)


def build_runtime(
    settings: GatewaySettings | None = None,
    *,
    common: CommonSettings | None = None,
    bus: Bus | None = None,
    telemetry: Telemetry | None = None,
    service_apps: dict[str, FastAPI] | None = None,
) -> GatewayRuntime:
    settings = settings or GatewaySettings()
    runtime = GatewayRuntime(
        name="gateway",
        settings=settings,
        common=common or CommonSettings(),
        migrations_package="gateway.migrations",
        uow_class=GatewayUnitOfWork,
        handlers=feed_handlers(lambda: runtime.clock.now()),
        bus=bus,
        telemetry=telemetry,
    )

    runtime.partner_tenants = PartnerTenants()
    runtime.partner_feeds = (
        RabbitPartnerFeeds.from_settings(
            runtime.common, namespace=runtime.bus.namespace,
            partner_amqp_url=settings.partner_amqp_url,
            max_connections=settings.partner_max_connections)
        if isinstance(runtime.bus, RabbitBus) else NoFeeds()
    )  # fmt: skip
    runtime.login_throttle = LoginThrottle(
        per_account=settings.login_attempts_per_account,
        per_address=settings.login_attempts_per_address,
    )

    async def connect_services() -> None:
        clients = ServiceClients(
            urls={name: getattr(settings, f"{name}_url") for name in SERVICES},
            common=runtime.common,
            telemetry=runtime.telemetry,
            timeout_s=settings.service_timeout_s,
            apps=service_apps,
        )
        runtime.services = clients
        runtime.on_stop(clients.close)

    async def seed_demo() -> None:
        if settings.seed_demo:
            if runtime.common.environment == "production":
                raise RuntimeError("the demo tenant is never seeded in production")
            tx: Transactions[GatewayUnitOfWork] = runtime.transactions(tenant_id=None)
            await tx.run(lambda uow: provision_tenant(DEMO_TENANT, uow=uow))

    runtime.add_worker(mail_worker)  # invitations, password resets, webhook notices
    runtime.add_worker(webhook_sender)
    runtime.add_worker(feed_pruner)
    if isinstance(runtime.bus, RabbitBus):  # partners exist only with a broker
        runtime.add_worker(partner_replay_sender)  # decision 109
    runtime.on_start(connect_services)
    runtime.on_start(seed_demo)
    return runtime
