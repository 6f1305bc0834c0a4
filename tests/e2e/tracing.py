"""One in-memory span exporter that the embedded systems of the e2e tests report to."""

from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

EXPORTER = InMemorySpanExporter()
