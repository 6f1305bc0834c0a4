"""Prometheus metrics of a service (decision 99), under the names of docs/runbook.md
("Metrics"). Each runtime owns one registry, every series labelled with its ``service``:
``/metrics`` of a service shows its own; in the embedded mode the gateway's shows every
runtime's of the process, merged family by family.

Counted on the hot paths, one increment each: requests (``RequestMetrics``, an ASGI
middleware: the route template, never the raw path), events handled and their failures
(kit.consumer, and the bus adapters through ``Subscription.on_failure``). Read at scrape
time, never per request: the outbox's unpublished rows (one statement on its partial index),
the consumer queue and its DLQ (kit.bus ``queue_depths``), the workers' last finished round.

The webhook deliveries' series (``crm_webhook_deliveries_total{service,outcome}``,
``crm_webhook_delivery_duration_seconds{service}``, ``crm_webhook_pending_deliveries{service}``)
are the gateway's webhook sender's: it counts each attempt and registers the pending count
to be read at scrape time (``on_refresh``); other services never label them."""

import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from opentelemetry.instrumentation.utils import suppress_instrumentation
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.metrics_core import Metric
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.logging import get_logger
from kit.outbox import outbox_table

if TYPE_CHECKING:
    from kit.runtime import ServiceRuntime

log = get_logger("kit.metrics")
disable_created_metrics()  # no "<counter>_created" twin of each series

CONTENT_TYPE = CONTENT_TYPE_LATEST
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
UNTIMED_PATHS = frozenset({"/metrics", "/healthz", "/readyz"})
UNMATCHED = "unmatched"  # a path no route took (404): one series, whatever was asked
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class ServiceMetrics:
    """The series of one service, in its own registry."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.registry = CollectorRegistry(auto_describe=False)
        r = self.registry
        self.requests = Counter("crm_http_requests_total", "HTTP requests answered",
                                ["service", "method", "route", "status"], registry=r)  # fmt: skip
        self.request_seconds = Histogram("crm_http_request_duration_seconds",
                                         "Time to answer an HTTP request",
                                         ["service", "method", "route"], buckets=BUCKETS,
                                         registry=r)  # fmt: skip
        self.outbox_pending = Gauge("crm_outbox_pending_rows", "Outbox rows not yet published",
                                    ["service"], registry=r)  # fmt: skip
        self.outbox_oldest = Gauge("crm_outbox_oldest_age_seconds",
                                   "Age of the oldest unpublished outbox row (0: none)",
                                   ["service"], registry=r)  # fmt: skip
        self.consumer_lag = Gauge("crm_consumer_lag_messages",
                                  "Messages ready in the service's consumer queue",
                                  ["service", "queue"], registry=r)  # fmt: skip
        self.events = Counter("crm_events_handled_total", "Events taken from the service's queue",
                              ["service", "routing_key", "outcome"], registry=r)  # fmt: skip
        self.retries = Counter("crm_consumer_retries_total",
                               "Failed events sent to a retry queue", ["service"], registry=r)  # fmt: skip
        self.dead_letters = Counter("crm_dead_letters_total",
                                    "Events this process sent to a dead-letter queue",
                                    ["service"], registry=r)  # fmt: skip
        self.dlq_messages = Gauge("crm_dead_letter_queue_messages",
                                  "Messages now in the service's dead-letter queue",
                                  ["service", "queue"], registry=r)  # fmt: skip
        self.worker_age = Gauge("crm_worker_last_run_age_seconds",
                                "Seconds since the worker's last finished round",
                                ["service", "worker"], registry=r)  # fmt: skip
        self.webhook_deliveries = Counter("crm_webhook_deliveries_total",
                                          "Webhook delivery attempts by outcome",
                                          ["service", "outcome"], registry=r)  # fmt: skip
        self.webhook_seconds = Histogram("crm_webhook_delivery_duration_seconds",
                                         "Time a webhook receiver took to answer (or fail)",
                                         ["service"], buckets=BUCKETS, registry=r)  # fmt: skip
        self.webhook_pending = Gauge("crm_webhook_pending_deliveries",
                                     "Webhook deliveries due and not yet delivered",
                                     ["service"], registry=r)  # fmt: skip
        self._refreshers: list[Callable[[], Awaitable[None]]] = []
        # the service's own children, bound once: the hot paths skip a label lookup
        self._retries = self.retries.labels(service)
        self._dead_letters = self.dead_letters.labels(service)
        # (method, route, status) → its two children: a dict lookup per request, not two
        # label resolutions under the library's lock (bounded: route templates, not paths)
        self._request_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def request(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        children = self._request_children.get(key)
        if children is None:
            children = (self.requests.labels(self.service, method, route, str(status)),
                        self.request_seconds.labels(self.service, method, route))  # fmt: skip
            self._request_children[key] = children
        children[0].inc()
        children[1].observe(seconds)

    def event(self, routing_key: str, outcome: str) -> None:
        """``outcome``: ok | duplicate (every handler had seen it) | retried | dead_lettered."""
        self.events.labels(self.service, routing_key, outcome).inc()
        if outcome == "retried":
            self._retries.inc()
        elif outcome == "dead_lettered":
            self._dead_letters.inc()

    def webhook_attempt(self, outcome: str, seconds: float) -> None:
        """``outcome``: delivered | failed | gone (410: the receiver unsubscribed)."""
        self.webhook_deliveries.labels(self.service, outcome).inc()
        self.webhook_seconds.labels(self.service).observe(seconds)

    def on_refresh(self, fn: Callable[[], Awaitable[None]]) -> None:
        """A service's own gauge, set at scrape time beside the kit's (a failure drops it)."""
        self._refreshers.append(fn)

    async def refresh(self, runtime: "ServiceRuntime") -> None:
        """Set the gauges read at scrape time. What cannot be read now (the database or the
        broker down) drops its series rather than show a stale figure."""
        await self._refresh_outbox(runtime)
        await self._refresh_queue(runtime)
        for fn in self._refreshers:
            try:
                await fn()
            except Exception as exc:
                log.warning("metric not read", error=type(exc).__name__)
        now = time.monotonic()
        for name, worker in runtime.workers.items():
            if worker.last_round_at is not None:
                self.worker_age.labels(self.service, name).set(now - worker.last_round_at)

    async def _refresh_outbox(self, runtime: "ServiceRuntime") -> None:
        t = outbox_table
        unpublished = t.c.published_at.is_(None)
        oldest = sa.select(t.c.created_at).where(unpublished).order_by(t.c.id).limit(1)
        query = sa.select(
            sa.select(sa.func.count()).where(unpublished).scalar_subquery(),
            sa.func.coalesce(sa.func.extract("epoch", sa.func.now() - oldest.scalar_subquery()), 0),
        )
        try:
            assert runtime.engine is not None
            with suppress_instrumentation():
                async with runtime.engine.connect() as conn:
                    pending, age = (await conn.execute(query)).one()
        except Exception as exc:
            log.warning(
                "outbox figures unavailable", service=self.service, error=type(exc).__name__
            )
            self.outbox_pending.clear()
            self.outbox_oldest.clear()
            return
        self.outbox_pending.labels(self.service).set(pending)
        self.outbox_oldest.labels(self.service).set(max(float(age), 0.0))

    async def _refresh_queue(self, runtime: "ServiceRuntime") -> None:
        queue = runtime.consumer_queue
        if queue is None:
            return
        depths = await runtime.bus.queue_depths(queue)
        if depths is None:
            self.consumer_lag.clear()
            self.dlq_messages.clear()
            return
        name = runtime.bus.queue_name(queue)
        self.consumer_lag.labels(self.service, name).set(depths.ready)
        self.dlq_messages.labels(self.service, runtime.bus.dlq_name(queue)).set(depths.dead)


class _Merged:
    """Several registries as one: a family's samples together under one HELP/TYPE."""

    def __init__(self, registries: Iterable[CollectorRegistry]) -> None:
        self._registries = list(registries)

    def collect(self) -> Iterator[Metric]:
        families: dict[str, Metric] = {}
        for registry in self._registries:
            for family in registry.collect():
                kept = families.get(family.name)
                if kept is None:
                    kept = Metric(family.name, family.documentation, family.type, family.unit)
                    families[family.name] = kept
                kept.samples.extend(family.samples)
        yield from families.values()


async def exposition(runtimes: Iterable["ServiceRuntime"]) -> bytes:
    """The text format of every runtime's series, gauges read now."""
    runtimes = list(runtimes)
    for runtime in runtimes:
        await runtime.metrics.refresh(runtime)
    if len(runtimes) == 1:
        return generate_latest(runtimes[0].metrics.registry)
    return generate_latest(_Merged(r.metrics.registry for r in runtimes))  # type: ignore[arg-type]


class RequestMetrics:
    """Counts and times each HTTP request by its route template (health, readiness and the
    metrics themselves excepted). Pure ASGI: no task or copy of the body per request."""

    def __init__(self, app: ASGIApp, *, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNTIMED_PATHS:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers if the app raises before its answer

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route: Any = scope.get("route")  # set by the router that matched
            template = getattr(route, "path", None) or UNMATCHED
            method = scope["method"] if scope["method"] in METHODS else "other"  # any token
            self.metrics.request(method, template, status, time.perf_counter() - started)
