"""The embedded mode: every service and the gateway in one process, on one embedded
PostgreSQL (pgserver; one database per service) and the in-memory bus."""

import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
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
from kit.logging import get_logger
from kit.runtime import ServiceRuntime
from kit.settings import CommonSettings
from leads.settings import LeadsSettings
from orders.settings import OrdersSettings

log = get_logger("host.embedded")

# Written at start, removed by a clean stop: found at start, the last run did not stop cleanly.
RUNNING_FILE = "embedded-running"
REPLAY_WINDOW = timedelta(days=7)

SERVICES = {
    "inquiry": (inquiry.bootstrap, inquiry.entrypoints.http, InquirySettings),
    "customer": (customer.bootstrap, customer.entrypoints.http, CustomerSettings),
    "booking": (booking.bootstrap, booking.entrypoints.http, BookingSettings),
    "leads": (leads.bootstrap, leads.entrypoints.http, LeadsSettings),
    "orders": (orders.bootstrap, orders.entrypoints.http, OrdersSettings),
}


def start_embedded_postgres(data_dir: Path) -> str:
    """Start (or reuse) the embedded server; returns a URL template with ``{db}``."""
    pgserver = _pgserver()
    data_dir.mkdir(parents=True, exist_ok=True)
    pgserver.get_server(data_dir, cleanup_mode="stop")
    return f"postgresql+asyncpg://postgres@/{{db}}?host={data_dir.resolve()}"


def stop_embedded_postgres(data_dir: Path) -> None:
    """Stop the server of ``data_dir`` unless another live process still uses it.

    pgserver stops it at exit only when this process is the last one in the folder's list of
    users; a process that died without its exit handlers (a kill, an uncaught signal) stays in
    that list for ever, and the server then outlives every later run. Dead users are dropped."""
    import psutil

    server = _pgserver().PostgresServer._instances.get(data_dir.resolve())
    if server is None:
        return
    users = server.global_process_id_list
    users.put([pid for pid in users.get() if psutil.pid_exists(pid)])
    server.cleanup()


def running_postmasters(under: Path) -> list[int]:
    """Process ids of embedded PostgreSQL servers whose data folder lies under ``under``."""
    import psutil

    root = str(under.resolve())
    found = []
    for proc in psutil.process_iter(["name", "cmdline", "status"]):
        if proc.info["status"] == psutil.STATUS_ZOMBIE:  # stopped; its parent (init) reaps it
            continue
        cmd = proc.info["cmdline"] or []
        if proc.info["name"] == "postgres" and "-D" in cmd[:-1]:
            folder = cmd[cmd.index("-D") + 1]
            if folder == root or folder.startswith(root + "/"):
                found.append(proc.pid)
    return found


def _pgserver():  # type: ignore[no-untyped-def]
    # platformdirs warns at pgserver's import that XDG_RUNTIME_DIR is unset (no login session:
    # containers, CI, su) and falls back to /tmp/runtime-<uid>, which serves pgserver's lock.
    from platformdirs import RuntimeDirWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeDirWarning)
        import pgserver
    return pgserver


@dataclass
class EmbeddedSystem:
    """All runtimes sharing one bus; the gateway reaches the services in-process."""

    url_template: str
    common: CommonSettings
    seed_demo: bool = True
    # Where the clean-stop marker lives (the embedded data folder); None: no replay.
    state_dir: Path | None = None
    bus: InMemoryBus = field(init=False)
    runtimes: dict[str, ServiceRuntime] = field(init=False, default_factory=dict)
    apps: dict[str, FastAPI] = field(init=False, default_factory=dict)
    gateway_app: FastAPI = field(init=False)
    # Events published again at start because the last run did not stop cleanly.
    replayed: int = field(init=False, default=0)
    _unclean_since: datetime | None = field(init=False, default=None)

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
        # One port serves them all: the gateway's /metrics shows every service's series.
        self.gateway_app.state.metrics_runtimes = list(self.runtimes.values())

    async def start(self) -> None:
        self._mark_running()
        await self.bus.start()
        for runtime in self.runtimes.values():
            await runtime.start()
        await self._replay_after_crash()

    async def stop(self) -> None:
        # A clean stop: stop producing, let the in-memory queues empty, then remember it.
        for runtime in self.runtimes.values():
            if runtime.relay is not None:
                await runtime.relay.stop()
        drained = await self.bus.drain()
        if drained and self.state_dir is not None:
            (self.state_dir / RUNNING_FILE).unlink(missing_ok=True)
        for runtime in reversed(list(self.runtimes.values())):
            await runtime.stop()
        await self.bus.close()

    def _mark_running(self) -> None:
        """Remember since when events may be lost: this start's time, or, if the last run did
        not stop cleanly, the start of the run whose events are still to be replayed."""
        if self.state_dir is None:
            return
        marker = self.state_dir / RUNNING_FILE
        if marker.exists():
            self._unclean_since = datetime.fromisoformat(marker.read_text().strip())
        else:  # the first start of a data folder, or the one after a clean stop
            self.state_dir.mkdir(parents=True, exist_ok=True)
            marker.write_text(datetime.now(UTC).isoformat())

    async def _replay_after_crash(self) -> None:
        """The in-memory bus forgets undelivered events if the process dies: after anything
        but a clean stop, publish again what was sent since that run started (at most
        REPLAY_WINDOW back); the consumers' inboxes drop the ones they already handled."""
        if self._unclean_since is None:
            return
        since = max(self._unclean_since, datetime.now(UTC) - REPLAY_WINDOW)
        for runtime in self.runtimes.values():
            if runtime.relay is not None:
                self.replayed += await runtime.relay.republish_since(since)
        log.info(
            "events replayed after an unclean stop; consumers skip those already handled",
            count=self.replayed,
        )
