"""The embedded mode: every service and the gateway in one process, on one embedded
PostgreSQL (pgserver; one database per service) and the in-memory bus."""

from dataclasses import dataclass, field
from pathlib import Path

import booking.bootstrap
import booking.entrypoints.http
import customer.bootstrap
import customer.entrypoints.http
import gateway.bootstrap
import gateway.entrypoints.http
import inquiry.bootstrap
import inquiry.entrypoints.http
import leads.bootstrap
import leads.entrypoints.http
import orders.bootstrap
import orders.entrypoints.http
from booking.settings import BookingSettings
from customer.settings import CustomerSettings
from fastapi import FastAPI
from gateway.settings import GatewaySettings
from inquiry.settings import InquirySettings
from kit.bus import InMemoryBus
from kit.runtime import ServiceRuntime
from kit.settings import CommonSettings
from leads.settings import LeadsSettings
from orders.settings import OrdersSettings

SERVICES = {
    "inquiry": (inquiry.bootstrap, inquiry.entrypoints.http, InquirySettings),
    "customer": (customer.bootstrap, customer.entrypoints.http, CustomerSettings),
    "booking": (booking.bootstrap, booking.entrypoints.http, BookingSettings),
    "leads": (leads.bootstrap, leads.entrypoints.http, LeadsSettings),
    "orders": (orders.bootstrap, orders.entrypoints.http, OrdersSettings),
}


def start_embedded_postgres(data_dir: Path) -> str:
    """Start (or reuse) the embedded server; returns a URL template with ``{db}``."""
    import pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    pgserver.get_server(data_dir, cleanup_mode="stop")
    return f"postgresql+asyncpg://postgres@/{{db}}?host={data_dir.resolve()}"


@dataclass
class EmbeddedSystem:
    """All runtimes sharing one bus; the gateway reaches the services in-process."""

    url_template: str
    common: CommonSettings
    seed_demo: bool = True
    bus: InMemoryBus = field(init=False)
    runtimes: dict[str, ServiceRuntime] = field(init=False, default_factory=dict)
    apps: dict[str, FastAPI] = field(init=False, default_factory=dict)
    gateway_app: FastAPI = field(init=False)

    def __post_init__(self) -> None:
        self.bus = InMemoryBus(
            namespace=self.common.bus_namespace, retry_delays_ms=self.common.retry_delays_ms
        )
        for name, (boot, http, settings_cls) in SERVICES.items():
            settings = settings_cls(
                database_url=self.url_template.format(db=f"crm_{name}"), db_pool_size=3
            )
            runtime = boot.build_runtime(settings, common=self.common, bus=self.bus)
            self.runtimes[name] = runtime
            self.apps[name] = http.create_app(runtime, manage_lifecycle=False)
        gw_settings = GatewaySettings(
            database_url=self.url_template.format(db="crm_gateway"),
            seed_demo=self.seed_demo,
            db_pool_size=3,
        )
        gw = gateway.bootstrap.build_runtime(
            gw_settings, common=self.common, bus=self.bus, service_apps=self.apps
        )
        self.runtimes["gateway"] = gw
        self.gateway_app = gateway.entrypoints.http.create_app(gw, manage_lifecycle=False)

    async def start(self) -> None:
        await self.bus.start()
        for runtime in self.runtimes.values():
            await runtime.start()

    async def stop(self) -> None:
        for runtime in reversed(list(self.runtimes.values())):
            await runtime.stop()
        await self.bus.close()
