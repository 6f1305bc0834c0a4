"""The orders service's reports (ORD-6) as the 帳票 pages read them: columns with the kind of
figure, rows, totals and how fresh the reporting model is."""

from datetime import datetime
from typing import Any

from pydantic import Field

from gateway.clients.base import Read, Reply, ServiceClient


class Column(Read):
    key: str
    label: str
    kind: str = "text"  # text | month | yen | count | percent


class Freshness(Read):
    last_event_type: str
    last_occurred_at: datetime
    applied_at: datetime
    events_applied: int
    rebuilt_at: datetime | None = None


class Report(Read):
    kind: str
    title: str
    from_month: str
    to_month: str
    columns: list[Column]
    rows: list[dict[str, Any]] = Field(default_factory=list)
    totals: dict[str, Any] = Field(default_factory=dict)
    note: str = ""
    freshness: Freshness | None = None


class ReportsClient(ServiceClient):
    service = "orders"

    async def report(self, kind: str, params: dict[str, Any]) -> Report | Reply:
        """A refused range answers the Reply (422, each field's Japanese message)."""
        return await self.answer(f"/reports/{kind}", Report, params)
