"""What the 受注・定期 pages share: the page frame, the words for statuses and cycles, and the
service's reasons for a refused form (the message and each field's, in Japanese)."""

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from gateway.clients.base import Reply
from gateway.web.common.templating import render

ORDER_STATUS = {"placed": "受注", "cancelled": "取消"}
SUBSCRIPTION_STATUS = {"active": "継続中", "paused": "休止中", "cancelled": "解約"}
CHANNELS = {"phone": "電話", "web": "Web", "subscription": "定期"}
WEEKDAYS = "月火水木金土日"


def page(
    request: Request,
    name: str,
    context: dict[str, Any],
    status_code: int = 200,
    nav: str = "orders",
) -> Response:
    words = {"order_status": ORDER_STATUS, "subscription_status": SUBSCRIPTION_STATUS,
             "channels": CHANNELS}  # fmt: skip
    return render(request, name, {"nav": nav, **words, **context}, status_code)


def reasons_of(reply: Reply, fallback: str) -> list[str]:
    """The service's Japanese reasons for a refusal: its message, then each field's."""
    detail = reply.data.get("detail") if isinstance(reply.data, dict) else None
    if not isinstance(detail, dict):
        return [fallback]
    found = [detail["message"]] if isinstance(detail.get("message"), str) else []
    for error in detail.get("errors") or []:
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            if error["message"] not in found:
                found.append(error["message"])
    return found or [fallback]


def cycle_label(cycle: dict[str, Any]) -> str:
    """毎月10日 / 2か月ごと末日 / 毎月第2火曜日 / 3週間ごと / 10日ごと"""
    every, unit = cycle.get("every") or 1, cycle.get("unit")
    if unit == "days":
        return f"{every}日ごと"
    if unit == "weeks":
        return "毎週" if every == 1 else f"{every}週間ごと"
    head = "毎月" if every == 1 else f"{every}か月ごと"
    if cycle.get("last_day"):
        return f"{head}末日"
    if cycle.get("nth_week") and cycle.get("weekday") is not None:
        return f"{head}第{cycle['nth_week']}{WEEKDAYS[cycle['weekday']]}曜日"
    if cycle.get("day_of_month"):
        return f"{head}{cycle['day_of_month']}日"
    return head


def field_errors(reply: Reply) -> dict[str, str]:
    """The service's reasons by the field the request spelt (``cycle.every``), for the form
    to show each beside its field."""
    detail = reply.data.get("detail") if isinstance(reply.data, dict) else None
    if not isinstance(detail, dict):
        return {}
    found = {}
    for error in [detail, *(detail.get("errors") or [])]:
        if (
            isinstance(error, dict)
            and isinstance(error.get("field"), str)
            and isinstance(error.get("message"), str)
        ):
            found.setdefault(error["field"], error["message"])
    return found
