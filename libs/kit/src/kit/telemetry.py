"""OpenTelemetry per service: one TracerProvider each, so spans carry their service name even
when every service shares one process (embedded mode). W3C trace context crosses HTTP through
the instrumentations and the bus through message headers (see :mod:`kit.bus`).

Where the spans go is ``CRM_TRACES`` (:class:`kit.settings.CommonSettings`): OTLP to a
collector, or JSON lines to a file or stderr (read with ``python -m kit.trace_file``)."""

import os
import sys
import threading
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from opentelemetry import context as otel_context
from opentelemetry import metrics, propagate, trace
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from sqlalchemy.ext.asyncio import AsyncEngine

from kit.trace_file import span_line

if TYPE_CHECKING:
    from kit.settings import CommonSettings

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


def build_telemetry(service: str, *, common: "CommonSettings | None" = None) -> Telemetry:
    exporter = _exporter(service, common) if common is not None else None
    ratio = common.traces_sample_ratio if common is not None else 1.0
    if exporter is None and not _shared_processors:
        # Nothing would read them: recording every request's and statement's spans only to
        # drop them cost a booking ~9 % of its CPU (issue 15). Unrecorded spans keep their
        # ids, so logs and the trace context between services stay as they were.
        ratio = 0.0
    provider = TracerProvider(
        resource=Resource.create({"service.name": service}),
        sampler=ParentBased(TraceIdRatioBased(ratio)),
    )
    for processor in _shared_processors:
        provider.add_span_processor(processor)
    if exporter is not None:
        # Half a second between batches: a file or stderr is cheap to write, and a reader
        # (the runbook's command, the e2e test) sees a request's spans soon after it ended.
        delay = 5_000 if common is not None and common.traces_exporter == "otlp" else 500
        provider.add_span_processor(BatchSpanProcessor(exporter, schedule_delay_millis=delay))
    return Telemetry(service=service, provider=provider)


def _exporter(service: str, common: "CommonSettings") -> SpanExporter | None:
    match common.traces_exporter:
        case "otlp":
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            assert common.otlp_endpoint is not None  # the settings refuse otlp without it
            return OTLPSpanExporter(endpoint=common.otlp_endpoint.rstrip("/") + "/v1/traces")
        case "file":
            return JsonLinesSpanExporter(_shared_stream(common.traces_file.format(service=service)))
        case "console":
            return JsonLinesSpanExporter((sys.stderr, _stderr_lock))
        case _:
            return None


_stderr_lock = threading.Lock()
_streams: dict[str, tuple[IO[str], threading.Lock]] = {}
_streams_lock = threading.Lock()


def _shared_stream(path: str) -> tuple[IO[str], threading.Lock]:
    """One open file per path in the process: the services of the embedded mode share it, and
    the lock keeps each export's lines whole and in one piece."""
    with _streams_lock:
        if path not in _streams:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            _streams[path] = (open(path, "a", encoding="utf-8"), threading.Lock())
        return _streams[path]


class JsonLinesSpanExporter(SpanExporter):
    """Finished spans as JSON lines (:func:`kit.trace_file.span_line`), for the embedded and
    multi-process modes where no collector runs."""

    def __init__(self, stream: tuple[IO[str], threading.Lock]) -> None:
        self._out, self._lock = stream

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        text = "".join(span_line(span) + "\n" for span in spans)
        with self._lock:
            self._out.write(text)
            self._out.flush()
        return SpanExportResult.SUCCESS

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return True


def inject_context(carrier: MutableMapping[str, str]) -> MutableMapping[str, str]:
    """Write the current W3C trace context (traceparent/tracestate) into ``carrier``."""
    propagate.inject(carrier)
    return carrier


def extract_context(carrier: Mapping[str, object]) -> otel_context.Context:
    return propagate.extract({k: str(v) for k, v in carrier.items() if isinstance(v, str)})
