"""OpenTelemetry per service: one TracerProvider each, so spans carry their service name even
when every service shares one process (embedded mode). W3C trace context crosses HTTP through
the instrumentations and the bus through message headers (see :mod:`kit.bus`)."""

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass

from opentelemetry import context as otel_context
from opentelemetry import metrics, propagate, trace
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from sqlalchemy.ext.asyncio import AsyncEngine

# Test suites and the embedded host may add processors (e.g. an in-memory exporter) that every
# provider built afterwards receives.
_shared_processors: list[SpanProcessor] = []


def add_shared_span_processor(processor: SpanProcessor) -> None:
    _shared_processors.append(processor)


@dataclass
class Telemetry:
    service: str
    provider: TracerProvider

    @property
    def tracer(self) -> trace.Tracer:
        return self.provider.get_tracer(f"crm.{self.service}")

    def instrument_app(self, app: object) -> None:
        FastAPIInstrumentor.instrument_app(
            app, tracer_provider=self.provider, excluded_urls="healthz,readyz,static"
        )

    def instrument_engine(self, engine: AsyncEngine) -> None:
        counter = metrics.get_meter("crm.db").create_up_down_counter("db.client.connections.usage")
        EngineTracer(self.provider.get_tracer("crm.db"), engine.sync_engine, counter)

    def instrument_httpx(self, client: object) -> None:
        HTTPXClientInstrumentor.instrument_client(client, tracer_provider=self.provider)

    def shutdown(self) -> None:
        self.provider.force_flush()


def build_telemetry(service: str, *, otlp_endpoint: str | None = None) -> Telemetry:
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    for processor in _shared_processors:
        provider.add_span_processor(processor)
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        endpoint = otlp_endpoint.rstrip("/") + "/v1/traces"
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    return Telemetry(service=service, provider=provider)


def inject_context(carrier: MutableMapping[str, str]) -> MutableMapping[str, str]:
    """Write the current W3C trace context (traceparent/tracestate) into ``carrier``."""
    propagate.inject(carrier)
    return carrier


def extract_context(carrier: Mapping[str, object]) -> otel_context.Context:
    return propagate.extract({k: str(v) for k, v in carrier.items() if isinstance(v, str)})
