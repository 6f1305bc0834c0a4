"""The trace files of ``CRM_TRACES=file`` (and the lines of ``console``): one JSON object per
finished span, and the command that reads them back as traces.

    python -m kit.trace_file traces.jsonl                   the 10 slowest traces
    python -m kit.trace_file 'traces-*.jsonl' --trace ID    one trace as a tree
    python -m kit.trace_file traces.jsonl --name 'POST /api/v1/portal/{tenant}/inquiries'
"""

import argparse
import glob
import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from opentelemetry.sdk.trace import ReadableSpan


def span_line(span: ReadableSpan) -> str:
    """One span as one line of JSON (ids in hex, as Jaeger shows them)."""
    ctx = span.context
    start, end = span.start_time or 0, span.end_time or 0
    record = {
        "trace_id": f"{ctx.trace_id:032x}",
        "span_id": f"{ctx.span_id:016x}",
        "parent_id": f"{span.parent.span_id:016x}" if span.parent else None,
        "service": span.resource.attributes.get("service.name"),
        "name": span.name,
        "kind": span.kind.name,
        "start": datetime.fromtimestamp(start / 1e9, UTC).isoformat(),
        "duration_ms": round((end - start) / 1e6, 3),
        "status": span.status.status_code.name,
        "attributes": {k: _plain(v) for k, v in (span.attributes or {}).items()},
    }
    return json.dumps(record, ensure_ascii=False)


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def read_spans(paths: Iterable[str]) -> list[dict[str, Any]]:
    """Every span of the files (glob patterns allowed); a line cut by a writer still running
    is skipped, the next read has it whole."""
    spans = []
    for pattern in paths:
        for path in sorted(glob.glob(pattern)) or [pattern]:
            with open(path, encoding="utf-8") as f:
                for line in f:
                    try:
                        spans.append(json.loads(line))
                    except json.JSONDecodeError:
                        continue
    return spans


def traces(spans: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    by_trace: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for span in spans:
        by_trace[span["trace_id"]].append(span)
    return dict(by_trace)


def render(trace: list[dict[str, Any]]) -> str:
    """The trace as an indented tree, in start order: service, span name, duration."""
    ids = {s["span_id"] for s in trace}
    children: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for span in sorted(trace, key=lambda s: s["start"]):
        children[span["parent_id"] if span["parent_id"] in ids else None].append(span)
    lines: list[str] = []

    def walk(parent: str | None, depth: int) -> None:
        for span in children[parent]:
            lines.append(
                f"{'  ' * depth}{span['service']:<9} {span['name']}  {span['duration_ms']:.1f} ms"
            )
            walk(span["span_id"], depth + 1)

    walk(None, 0)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m kit.trace_file")
    parser.add_argument("files", nargs="+", help="trace files or glob patterns")
    parser.add_argument("--trace", help="show this trace id as a tree")
    parser.add_argument("--name", help="only traces with a span of this name (e.g. a route)")
    parser.add_argument("--top", type=int, default=10, help="how many slowest traces to list")
    args = parser.parse_args(argv)
    found = traces(read_spans(args.files))
    if args.trace:
        print(render(found.get(args.trace, [])) or f"no span of trace {args.trace}")
        return
    if args.name:
        found = {t: s for t, s in found.items() if any(x["name"] == args.name for x in s)}
    slowest = sorted(found.items(), key=lambda kv: -max(s["duration_ms"] for s in kv[1]))
    for trace_id, spans in slowest[: args.top]:
        root = max(spans, key=lambda s: s["duration_ms"])
        print(f"{trace_id}  {root['duration_ms']:9.1f} ms  {root['service']} {root['name']}")


if __name__ == "__main__":
    main()
