"""ORD-6 reports (集計関係), 管理者のみ (seed 001: 指標は管理者のみ): each ``GET /reports/<kind>``
(the figures as JSON, with the reporting model's freshness) and ``GET /reports/<kind>.csv``
(the same rows and totals for Excel: UTF-8 with BOM, CRLF, ``kit.excel_csv``)."""

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from kit import clock
from kit.auth import admin_only
from kit.excel_csv import excel_csv
from kit.http import CSV, file_answer
from pydantic import BaseModel

from orders.domain.report_range import MAX_MONTHS, month_range
from orders.entrypoints.deps import StaffOnly, UowDep
from orders.use_cases import reports
from orders.use_cases.reports import CHURN_DAYS, Report

router = APIRouter(dependencies=[StaffOnly, admin_only("帳票は管理者のみ閲覧できます。")])
MonthQuery = Annotated[
    str | None, Query(max_length=7, description=f"2026-01 の形（{MAX_MONTHS}か月以内）")
]
DaysQuery = Annotated[
    int, Query(ge=30, le=1095, description="この日数以上受注のないお客様を離脱とみなす")
]


class ColumnRead(BaseModel):
    key: str
    label: str
    kind: str  # text | month | yen | count | percent


class FreshnessRead(BaseModel):
    last_event_type: str
    last_occurred_at: datetime  # the moment of the last event applied
    applied_at: datetime
    events_applied: int
    rebuilt_at: datetime | None = None  # the model last rebuilt from the tables (never: None)


class ReportRead(BaseModel):
    kind: str
    title: str
    from_month: str
    to_month: str
    columns: list[ColumnRead]
    rows: list[dict[str, Any]]
    totals: dict[str, Any]
    note: str
    freshness: FreshnessRead | None  # None: no event applied yet


def _month(value: date) -> str:
    return f"{value.year}-{value.month:02d}"


async def _report(kind: str, uow: UowDep, from_month: str | None, to_month: str | None,
                  **params: Any) -> tuple[Report, Any]:  # fmt: skip
    span = month_range(from_month, to_month, today=clock.today())
    # the figures and the freshness line stated beside them from one snapshot: read apart, an
    # event committed between the two would be stated as applied while missing from the figures
    await uow.read_snapshot()
    built = await reports.build(kind, span, uow=uow, **params)
    return built, await uow.report_queries.freshness()


def _read(report: Report, freshness: Any) -> ReportRead:
    fresh = (
        None if freshness is None else FreshnessRead.model_validate(freshness, from_attributes=True)
    )
    rows = [{k: _json(v) for k, v in r.items()} for r in report.rows]
    return ReportRead(kind=report.kind, title=report.title, from_month=report.from_month,
                      to_month=report.to_month, columns=[ColumnRead(**vars(c)) for c in report.columns],
                      rows=[{c.key: r.get(c.key) for c in report.columns} | _ids(r) for r in rows],
                      totals=report.totals, note=report.note, freshness=fresh)  # fmt: skip


def _ids(row: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in row.items()
        if k in ("product_id", "medium_key", "staff_key", "customer_id")
    }


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return _month(value)
    if isinstance(value, UUID):
        return str(value)
    return value


def _cell(value: Any, kind: str) -> object:
    if isinstance(value, date):
        return f"{value.year}/{value.month:02d}"
    return value if value is not None or kind == "text" else ""


def _csv(report: Report) -> AsyncIterator[bytes]:
    async def rows() -> AsyncIterator[list[object]]:
        for r in report.rows:
            yield [_cell(r.get(c.key), c.kind) for c in report.columns]
        first = report.columns[0].key
        yield [("合計" if c.key == first else _cell(report.totals.get(c.key), c.kind))
               for c in report.columns]  # fmt: skip

    return excel_csv([c.label for c in report.columns], rows())


def _routes(kind: str) -> tuple[Callable[..., Awaitable[Any]], Callable[..., Awaitable[Any]]]:
    if kind == "churn":

        async def answer(uow: UowDep, from_month: MonthQuery = None, to_month: MonthQuery = None,
                         days: DaysQuery = CHURN_DAYS) -> ReportRead:  # fmt: skip
            return _read(
                *await _report(kind, uow, from_month, to_month, today=clock.today(), days=days)
            )

        async def download(uow: UowDep, from_month: MonthQuery = None, to_month: MonthQuery = None,
                           days: DaysQuery = CHURN_DAYS) -> StreamingResponse:  # fmt: skip
            report, _ = await _report(
                kind, uow, from_month, to_month, today=clock.today(), days=days
            )
            return _stream(report)
    else:

        async def answer(
            uow: UowDep,
            from_month: MonthQuery = None,  # type: ignore[misc]
            to_month: MonthQuery = None,
        ) -> ReportRead:
            return _read(*await _report(kind, uow, from_month, to_month))

        async def download(
            uow: UowDep,
            from_month: MonthQuery = None,  # type: ignore[misc]
            to_month: MonthQuery = None,
        ) -> StreamingResponse:
            report, _ = await _report(kind, uow, from_month, to_month)
            return _stream(report)

    return answer, download


def _stream(report: Report) -> StreamingResponse:
    name = f"{report.kind}-{report.from_month}-{report.to_month}.csv"
    return StreamingResponse(_csv(report), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


for _kind in reports.REPORTS:
    _answer, _download = _routes(_kind)
    _name = _kind.replace("-", "_")
    router.add_api_route(f"/reports/{_kind}", _answer, methods=["GET"], name=f"report_{_name}",
                         response_model=ReportRead)  # fmt: skip
    router.add_api_route(f"/reports/{_kind}.csv", _download, methods=["GET"],
                         name=f"report_{_name}_csv", **file_answer(CSV, "帳票 (UTF-8 BOM)"))  # fmt: skip
