"""Log lines carry the trace id and never the values of personal-data keys."""

import json

from kit.logging import configure_logging, get_logger
from opentelemetry.sdk.trace import TracerProvider


def test_personal_data_is_redacted_and_trace_ids_are_added(capsys) -> None:  # type: ignore[no-untyped-def]
    configure_logging(fmt="json")
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("work") as span:
        get_logger("t").info(
            "linked",
            email="hanako@example.com",
            phone="09012345678",
            name="住まい 花子",
            customer_id="c-1",
        )
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["email"] == line["phone"] == line["name"] == "[redacted]"
    assert line["customer_id"] == "c-1"
    assert line["trace_id"] == format(span.get_span_context().trace_id, "032x")
    assert "hanako" not in json.dumps(line, ensure_ascii=False)
