"""The profile form of registration and 更新→保存 (CUS-1, CUS-4): what staff typed, as the
customer service's body and back, and the service's field errors placed beside their inputs.

Inputs are named as the service names its fields (``phones.1``, ``addresses.0.street``,
``desired_conditions.price_max_yen``), so an error's ``field`` is the input it belongs to.
The service decides what is valid; the page only reshapes (万円 → 円, 、-separated lists)."""

from typing import Any

from starlette.datastructures import FormData

from gateway.clients.base import Reply

PHONE_ROWS = 4
EMAIL_ROWS = 3
ADDRESS_ROWS = 3
TEXT_FIELDS = ("family_name", "given_name", "family_kana", "given_kana", "birth_date",
               "gender", "customer_number", "line_name", "side", "property_type")  # fmt: skip
ADDRESS_PARTS = ("kind", "postal_code", "prefecture", "city", "street", "building", "recipient")
ADDRESS_KINDS = (("home", "自宅"), ("office", "勤務先"), ("gift", "ギフト送付先"))
PROPERTY_KINDS = (("mansion", "マンション"), ("house", "一戸建て"), ("land", "土地"),
                  ("rental", "賃貸"))  # fmt: skip
DC = "desired_conditions"
OP = "owned_property"
# 所有物件: a seller's property, in the words of a listing (contracts.listings.ListingFacts).
OWNED_PARTS = ("kind", "prefecture", "city", "station", "layout", "size_m2", "price_yen", "note")
# Errors deeper than an input (an area's city, the second layout) go beside the input.
_ANCHORS = (f"{DC}.areas", f"{DC}.layouts", f"{DC}.kinds")
MAN = 10_000


def split(value: str | None) -> list[str]:
    """「車椅子、お子様連れ」: 、, ， or , between the items."""
    text = (value or "").replace("、", ",").replace("，", ",")
    return [p.strip() for p in text.split(",") if p.strip()]


def _text(form: dict[str, Any], name: str) -> str | None:
    value = form.get(name)
    return str(value).strip() or None if value is not None else None


def _man_to_yen(value: str | None) -> int | str | None:
    """万円 as staff think of prices; what is not a number goes on for the service to refuse."""
    if not value:
        return None
    try:
        return round(float(value.replace(",", "")) * MAN)
    except ValueError:
        return value


def _number(value: str | None) -> float | str | None:
    if not value:
        return None
    try:
        return float(value.replace(",", ""))
    except ValueError:
        return value


def read_form(data: FormData) -> dict[str, Any]:
    """The posted form as the template shows it again (checkbox groups as lists)."""
    form: dict[str, Any] = {k: str(v) for k, v in data.items()}
    form[f"{DC}.kinds"] = [str(v) for v in data.getlist(f"{DC}.kinds")]
    form[f"{DC}.layouts"] = str(data.get(f"{DC}.layouts") or "")
    form["inflow_sources"] = inflow_sources(data.getlist("inflow_sources"))
    return form


def inflow_sources(values: list[Any]) -> list[str]:
    """The ticked 流入経路 (the master's names); a 、-separated text is split (older forms)."""
    return list(dict.fromkeys(x for v in values for x in split(str(v))))


def profile_body(form: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {k: _text(form, k) for k in TEXT_FIELDS}
    # Blank rows are left out, but a row keeps its position so its error finds it.
    phones = [(_text(form, f"phones.{n}") or "") for n in range(PHONE_ROWS)]
    emails = [(_text(form, f"emails.{n}") or "") for n in range(EMAIL_ROWS)]
    body["phones"] = _trim(phones)
    body["emails"] = _trim(emails)
    addresses = []
    for n in range(ADDRESS_ROWS):
        parts = {p: _text(form, f"addresses.{n}.{p}") for p in ADDRESS_PARTS}
        if any(v for k, v in parts.items() if k != "kind"):
            addresses.append({**parts, "kind": parts["kind"] or "home"})
    body["addresses"] = addresses
    body["attributes"] = split(form.get("attributes"))
    chosen = form.get("inflow_sources") or []
    body["inflow_sources"] = inflow_sources(chosen if isinstance(chosen, list) else [chosen])
    body[DC] = _conditions(form)
    owned = {p: _text(form, f"{OP}.{p}") for p in OWNED_PARTS}
    owned["size_m2"] = _number(owned["size_m2"])  # type: ignore[arg-type]
    owned["price_yen"] = _man_to_yen(owned["price_yen"])  # type: ignore[arg-type]
    body[OP] = {k: v for k, v in owned.items() if v is not None} or None
    body["dm_opt_out"] = form.get("dm_opt_out") == "true"  # 郵送DM不要 (a checkbox)
    # The whole profile is sent (PUT): the mail settings go too, or a save would reset them.
    body["newsletter_opt_in"] = form.get("newsletter_opt_in") == "true"  # メールマガジン
    body["proposal_delivery"] = _text(form, "proposal_delivery") or "manual"  # 物件提案メール
    body["store_id"] = _text(form, "store_id")  # 所属店舗: the page checks it is the tenant's
    return body


def _trim(rows: list[str]) -> list[str]:
    """Trailing blanks go; a blank between two numbers stays so positions still match."""
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _conditions(form: dict[str, Any]) -> dict[str, Any] | None:
    prefecture = _text(form, f"{DC}.prefecture")
    areas: list[dict[str, str]] = [
        {"prefecture": prefecture, "city": c} if prefecture else {"city": c}
        for c in split(form.get(f"{DC}.cities"))
    ]
    if prefecture and not areas:
        areas.append({"prefecture": prefecture})
    areas += [{"station": s} for s in split(form.get(f"{DC}.stations"))]
    conditions: dict[str, Any] = {
        "areas": areas,
        "kinds": list(form.get(f"{DC}.kinds") or []),
        "layouts": [x.upper() for x in split(form.get(f"{DC}.layouts"))],
        "price_min_yen": _man_to_yen(_text(form, f"{DC}.price_min_yen")),
        "price_max_yen": _man_to_yen(_text(form, f"{DC}.price_max_yen")),
        "size_min_m2": _number(_text(form, f"{DC}.size_min_m2")),
        "note": _text(form, f"{DC}.note"),
    }
    given = {k: v for k, v in conditions.items() if v not in (None, [])}
    return given or None


def customer_form(customer: Any) -> dict[str, Any]:
    """The form of 更新, filled with the customer as the service shows it."""
    c = customer.model_dump() if hasattr(customer, "model_dump") else dict(customer)
    form: dict[str, Any] = {k: "" if c.get(k) is None else str(c.get(k)) for k in TEXT_FIELDS}
    form["store_id"] = str(c.get("store_id") or "")
    form["dm_opt_out"] = "true" if c.get("dm_opt_out") else ""
    form["newsletter_opt_in"] = "true" if c.get("newsletter_opt_in") else ""
    form["proposal_delivery"] = str(c.get("proposal_delivery") or "manual")
    details = c.get("phone_details") or []
    phones = [p.get("display") for p in details] or list(c.get("phones") or [])
    for n, phone in enumerate(phones[:PHONE_ROWS]):
        form[f"phones.{n}"] = phone
    for n, email in enumerate(e for e in (c.get("emails") or []) if not _placeholder(e)):
        if n < EMAIL_ROWS:
            form[f"emails.{n}"] = email
    for n, address in enumerate((c.get("addresses") or [])[:ADDRESS_ROWS]):
        for part in ADDRESS_PARTS:
            form[f"addresses.{n}.{part}"] = address.get(part) or ""
    form["attributes"] = "、".join(c.get("attributes") or [])
    form["inflow_sources"] = list(c.get("inflow_sources") or [])
    wishes = c.get(DC) or {}
    areas = wishes.get("areas") or []
    form[f"{DC}.prefecture"] = next((a["prefecture"] for a in areas if a.get("prefecture")), "")
    form[f"{DC}.cities"] = "、".join(a["city"] for a in areas if a.get("city"))
    form[f"{DC}.stations"] = "、".join(a["station"] for a in areas if a.get("station"))
    form[f"{DC}.kinds"] = list(wishes.get("kinds") or [])
    form[f"{DC}.layouts"] = "、".join(wishes.get("layouts") or [])
    for bound in ("price_min_yen", "price_max_yen"):
        form[f"{DC}.{bound}"] = _yen_to_man(wishes.get(bound))
    form[f"{DC}.size_min_m2"] = _plain(wishes.get("size_min_m2"))
    form[f"{DC}.note"] = wishes.get("note") or ""
    owned = c.get(OP) or {}
    for part in OWNED_PARTS:
        form[f"{OP}.{part}"] = _plain(owned.get(part))
    form[f"{OP}.price_yen"] = _yen_to_man(owned.get("price_yen"))
    return form


def _placeholder(email: str) -> bool:
    return email.endswith("@phone-registration.invalid")  # CUS-4's quick phone registration


def _yen_to_man(value: Any) -> str:
    return "" if value in (None, "") else _plain(int(value) / MAN)


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def field_errors(reply: Reply) -> dict[str, str]:
    """The service's errors by the input they belong to (the first message for each)."""
    detail = reply.data.get("detail") if isinstance(reply.data, dict) else None
    if not isinstance(detail, dict):
        return {}
    errors = detail.get("errors") or (
        [{"field": detail.get("field"), "message": detail.get("message")}]
        if detail.get("field")
        else []
    )
    placed: dict[str, str] = {}
    for error in errors:
        field = str(error.get("field") or "")
        message = str(error.get("message") or "")
        if not field or not message:
            continue
        anchor = next((a for a in _ANCHORS if field.startswith(a)), field)
        if anchor.startswith(f"{DC}.") and anchor.count(".") > 1:
            anchor = DC
        placed.setdefault(anchor, message)
    return placed
