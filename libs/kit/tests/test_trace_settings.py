"""CRM_TRACES: where a service's spans go without a collector (file, console), read back."""

import json

import pytest
from kit.settings import CommonSettings
from kit.telemetry import build_telemetry
from kit.trace_file import main, read_spans, traces
from pydantic import ValidationError


def test_unset_follows_the_otlp_endpoint_as_before() -> None:
    assert CommonSettings().traces_exporter == "none"
    assert CommonSettings(otlp_endpoint="http://collector:4318").traces_exporter == "otlp"
    assert CommonSettings(traces="file", otlp_endpoint="http://x:4318").traces_exporter == "file"


def test_otlp_without_an_endpoint_is_refused() -> None:
    with pytest.raises(ValidationError, match="CRM_OTLP_ENDPOINT"):
        CommonSettings(traces="otlp")


def test_two_services_of_one_process_share_the_file_one_span_per_line(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "traces.jsonl"
    common = CommonSettings(traces="file", traces_file=str(path))
    gateway, inquiry = (
        build_telemetry("gateway", common=common),
        build_telemetry("inquiry", common=common),
    )
    with gateway.tracer.start_as_current_span("POST /api/v1/portal/{tenant}/inquiries") as root:
        with inquiry.tracer.start_as_current_span("INSERT", attributes={"db.system": "postgresql"}):
            pass
    gateway.shutdown()
    inquiry.shutdown()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and all(json.loads(line) for line in lines)
    trace_id = f"{root.get_span_context().trace_id:032x}"
    spans = traces(read_spans([str(tmp_path / "*.jsonl")]))[trace_id]
    by_name = {s["name"]: s for s in spans}
    assert by_name["INSERT"]["service"] == "inquiry"
    assert (
        by_name["INSERT"]["parent_id"]
        == by_name["POST /api/v1/portal/{tenant}/inquiries"]["span_id"]
    )
    assert by_name["INSERT"]["attributes"] == {"db.system": "postgresql"}
    main([str(path), "--trace", trace_id])
    tree = capsys.readouterr().out.splitlines()
    assert tree[0].startswith("gateway   POST /api/v1/portal/{tenant}/inquiries")
    assert tree[1].startswith("  inquiry   INSERT")


def test_service_placeholder_gives_each_service_its_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    common = CommonSettings(
        traces="file", traces_file=str(tmp_path / "new" / "traces-{service}.jsonl")
    )
    for service in ("customer", "booking"):
        telemetry = build_telemetry(service, common=common)
        with telemetry.tracer.start_as_current_span("customer.inquiry_linked.v2 receive"):
            pass
        telemetry.shutdown()
    for service in ("customer", "booking"):
        [span] = read_spans([str(tmp_path / "new" / f"traces-{service}.jsonl")])
        assert span["service"] == service and span["kind"] == "INTERNAL"


def test_console_writes_the_same_lines_on_stderr(capfd) -> None:  # type: ignore[no-untyped-def]
    telemetry = build_telemetry("leads", common=CommonSettings(traces="console"))
    with telemetry.tracer.start_as_current_span("leads.record_inquiry"):
        pass
    telemetry.shutdown()
    [line] = capfd.readouterr().err.splitlines()
    assert json.loads(line)["name"] == "leads.record_inquiry"


def test_a_trace_is_kept_or_dropped_whole_by_its_start_and_none_is_recorded_for_nobody(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    from kit.telemetry import extract_context, inject_context

    path = tmp_path / "traces.jsonl"
    kept = build_telemetry("gateway", common=CommonSettings(traces="file", traces_file=str(path)))
    dropped = build_telemetry(
        "gateway",
        common=CommonSettings(traces="file", traces_file=str(path), traces_sample_ratio=0.0),
    )
    downstream = build_telemetry(
        "inquiry", common=CommonSettings(traces="file", traces_file=str(path))
    )
    for start in (kept, dropped):
        with start.tracer.start_as_current_span("webhook"):
            carrier = inject_context({})  # what crosses HTTP and the bus
        with downstream.tracer.start_as_current_span("receive", context=extract_context(carrier)):
            pass
    for telemetry in (kept, dropped, downstream):
        telemetry.shutdown()
    names = sorted(json.loads(line)["name"] for line in path.read_text().splitlines())
    assert names == ["receive", "webhook"]  # the dropped trace left nothing, downstream neither

    # no destination for spans: none recorded, though each has ids for the logs
    silent = build_telemetry("booking", common=CommonSettings())
    with silent.tracer.start_as_current_span("POST /visits") as span:
        assert not span.is_recording()
        assert span.get_span_context().is_valid


def test_the_ratio_is_a_share() -> None:
    with pytest.raises(ValidationError):
        CommonSettings(traces_sample_ratio=1.5)
