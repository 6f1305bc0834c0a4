"""廃止 and 再開 of a master's entry, the same two steps on every master page (媒体, 流入経路,
menus, staff, properties, stores): 廃止 asks on a page of its own first (no script needed:
the form posts again with ``confirm=1``), then the owner is called; either step answers back
to the list with a notice shown once, or with the owner's refusal in its own words."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response

from gateway.clients.base import Reply
from gateway.use_cases.accounts import Staff
from gateway.web.common.answers import back, refusal
from gateway.web.common.templating import render


@dataclass(frozen=True)
class Retirable:
    """An entry as the steps name it: 「媒体「チラシ」を廃止しました。」"""

    kind: str  # 媒体, 流入経路, メニュー, 店舗 …
    name: str
    action: str  # where the confirmation posts (the retire route itself)
    back_to: str  # the list the steps answer back to
    cancel_href: str | None = None  # the confirmation's 戻る (the list by default)
    note: str = ""  # what retiring does beyond leaving the pickers
    nav: str | None = None


async def retire_step(
    request: Request, staff: Staff, entry: Retirable, call: Callable[[], Awaitable[Reply]]
) -> Response:
    if (await request.form()).get("confirm") != "1":
        return render(request, "retire_confirm.html", {
            "staff": staff, "nav": entry.nav, "kind": entry.kind, "name": entry.name,
            "note": entry.note, "action": entry.action,
            "cancel_href": entry.cancel_href or entry.back_to})  # fmt: skip
    return _answered(entry, await call(), "廃止")


async def restore_step(entry: Retirable, call: Callable[[], Awaitable[Reply]]) -> Response:
    return _answered(entry, await call(), "再開")


def _answered(entry: Retirable, reply: Reply, done: str) -> Response:
    if reply.ok:
        return back(entry.back_to, notice=f"{entry.kind}「{entry.name}」を{done}しました。")
    return back(entry.back_to, error=refusal(reply, f"{done}できませんでした。"))
