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
UNITS = {"days": "日ごと", "weeks": "週ごと", "months": "か月ごと"}


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


def _number(form: dict[str, str], name: str, errors: dict[str, str], label: str) -> int | None:
    value = (
        form.get(name, "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    )
    if not value:
        return None
    if not value.lstrip("-").isdigit():
        errors[f"cycle.{name}"] = f"{label}は数字で入力してください。"
        return None
    return int(value)


def read_cycle(form: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    """The cycle form's fields (``_cycle_fields.html``) as the service takes the cycle; what
    cannot be read goes to ``errors`` by the service's field name (``cycle.every``). A day or weekday typed for a cycle in days or weeks
    is sent as typed, for the service to refuse beside the field rather than drop it."""
    unit = form.get("unit", "months")
    every = _number(form, "every", errors, "周期")
    cycle: dict[str, Any] = {"unit": unit, "every": 1 if every is None else every}
    day = _number(form, "day_of_month", errors, "日付")
    nth = _number(form, "nth_week", errors, "第N週")
    weekday = form.get("weekday", "")
    anchor = form.get("anchor", "day")
    if unit != "months":
        if day is not None:
            cycle["day_of_month"] = day
        return cycle
    if anchor == "last":
        cycle["last_day"] = True
    elif anchor == "nth":
        cycle["nth_week"] = nth
        cycle["weekday"] = int(weekday) if weekday.isdigit() else None
        if nth is None and "cycle.nth_week" not in errors:
            errors["cycle.nth_week"] = "第何週かを入力してください。"
    else:
        cycle["day_of_month"] = day
        if day is None and "cycle.day_of_month" not in errors:
            errors["cycle.day_of_month"] = "毎月のお届け日を入力してください。"
    return cycle


def cycle_form(cycle: dict[str, Any]) -> dict[str, str]:
    """A stored cycle as the cycle form's fields, the inverse of ``read_cycle``."""
    form = {"unit": str(cycle.get("unit") or "months"), "every": str(cycle.get("every") or 1)}
    if cycle.get("last_day"):
        form["anchor"] = "last"
    elif cycle.get("nth_week"):
        form |= {"anchor": "nth", "nth_week": str(cycle["nth_week"]),
                 "weekday": str(cycle.get("weekday", ""))}  # fmt: skip
    else:
        form["anchor"] = "day"
        if cycle.get("day_of_month"):
            form["day_of_month"] = str(cycle["day_of_month"])
    return form


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
