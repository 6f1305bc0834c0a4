"""ランク設定 (CUS-10): the rank master as one table (管理者 edit, staff read); a save ranks
every customer again; overlapping ranks come back with the service's reasons, row by row."""

import unicodedata
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from gateway.clients.base import Reply
from gateway.web.common.answers import back
from gateway.web.common.deps import ClientsDep, StaffPage
from gateway.web.common.templating import render

router = APIRouter(include_in_schema=False)
BOUNDS = ("min_orders", "max_orders", "min_amount_yen", "max_amount_yen", "min_days_since",
          "max_days_since")  # fmt: skip
EMPTY_ROWS = 3


@router.get("/ranks", response_class=HTMLResponse)
async def rank_master(request: Request, staff: StaffPage, clients: ClientsDep,
                      notice: str = "") -> Response:  # fmt: skip
    master = await clients.histories.rank_master()
    rows = (
        [{k: _text(r.get(k)) for k in ("id", "name", *BOUNDS)} for r in master.ranks]
        if master
        else []
    )
    period = _text(master.period_days) if master else ""
    return _page(request, staff, rows=rows, period=period, notice=notice[:200])


@router.post("/ranks", response_class=HTMLResponse)
async def save_rank_master(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    form = await request.form()
    columns = {k: form.getlist(k) for k in ("id", "name", *BOUNDS)}
    rows = [{k: str(columns[k][i]) if i < len(columns[k]) else "" for k in columns}
            for i in range(len(columns["name"]))]  # fmt: skip
    rows = [r for r in rows if r["name"].strip() or any(r[k].strip() for k in BOUNDS)]
    period = str(form.get("period_days") or "")
    body, bad = _body(rows, period)
    if bad:
        return _page(request, staff, rows=rows, period=period, errors=bad, status_code=422)
    reply = await clients.histories.save_rank_master(body)
    if reply.ok:
        changed = reply.data.get("recomputed", 0) if isinstance(reply.data, dict) else 0
        return back(
            "/ranks", notice=f"ランクを保存しました。{changed:,}人のお客様のランクが変わりました。"
        )
    return _page(request, staff, rows=rows, period=period, errors=_reasons(reply),
                 status_code=reply.status_code)  # fmt: skip


def _body(rows: list[dict[str, str]], period: str) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The master as the service reads it; numbers the page can read itself (full width too)."""
    bad: list[tuple[str, str]] = []
    ranks = []
    for i, row in enumerate(rows):
        rank: dict[str, Any] = {"name": row["name"]}
        if row.get("id"):
            rank["id"] = row["id"]
        for key in BOUNDS:
            value = _number(row[key])
            if value is False:
                bad.append(
                    (f"ranks.{i}", f"{i + 1}行目: 数値は半角・全角の数字で入力してください。")
                )
                value = None
            rank[key] = value
        ranks.append(rank)
    days = _number(period)
    if days is False:
        bad.append(("period_days", "集計期間は日数（数字）で入力してください。"))
        days = None
    return {"period_days": days, "ranks": ranks}, bad


def _number(text: str) -> int | None:
    """A count typed in full or half width, with or without commas; ValueError if not one."""
    value = unicodedata.normalize("NFKC", text).replace(",", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise ValueError(text)
    return int(value)


def _reasons(reply: Reply) -> list[tuple[str, str]]:
    detail = reply.data.get("detail") if isinstance(reply.data, dict) else None
    if not isinstance(detail, dict):
        return [("", "ランクを保存できませんでした。")]
    found = [(str(e.get("field") or ""), str(e.get("message"))) for e in detail.get("errors") or [detail]
             if isinstance(e, dict) and e.get("message")]  # fmt: skip
    return found or [("", "ランクを保存できませんでした。")]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _page(request: Request, staff: Any, *, rows: list[dict[str, str]], period: str,
          errors: list[tuple[str, str]] | None = None, notice: str = "",
          status_code: int = 200) -> Response:  # fmt: skip
    errors = errors or []
    bad_rows = {
        int(f.split(".")[1])
        for f, _ in errors
        if f.startswith("ranks.") and f.split(".")[1].isdigit()
    }
    blank = {k: "" for k in ("id", "name", *BOUNDS)}
    context = {"staff": staff, "nav": "histories", "rows": [*rows, *([blank] * EMPTY_ROWS)],
               "period": period, "errors": errors, "bad_rows": bad_rows, "notice": notice}  # fmt: skip
    return render(request, "histories_ranks.html", context, status_code)
