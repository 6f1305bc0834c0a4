"""The orders masters (ORD-1) and campaigns in the web client, one page module for all of
them: 担当者, 広告媒体, 商品カテゴリ, セット商品, 返品・キャンセル理由, アンケート設問 and
キャンペーン, each a small declaration (its fields, their labels and widths) read by the
same list, add, edit and retire pages; 送料 is one table of the 47 prefectures saved at
once. The 商品マスタ keeps its own page (web/orders/products.py), linked from the index.

Staff read; the admin changes (the service's rule: a general user is refused in Japanese,
and the pages show him no buttons). Inputs are named as the service names its fields
(``items.0.product_id``), so each of its errors goes beside its input; what the page cannot
read (a price that is no number) is said beside the field before anything is sent. A retired
entry leaves the lists (shown on request) and stays on the orders that have it."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from kit import clock
from kit.japanese import PREFECTURES

from gateway.clients.base import Reply
from gateway.clients.orders import Entry
from gateway.use_cases.accounts import Staff
from gateway.web.common.answers import back, not_found
from gateway.web.common.deps import Clients, ClientsDep, StaffPage
from gateway.web.orders.common import page, reasons_of

router = APIRouter(include_in_schema=False)
ITEM_ROWS = 5  # a set's member products, as rows of the form
CAMPAIGN_KINDS = (("free_shipping", "期間送料無料"), ("new_customer_discount", "新規顧客値引"),
                  ("gift_with_product", "同梱プレゼント"))  # fmt: skip


@dataclass(frozen=True)
class Field:
    """One input: ``kind`` is text | yen | select | product | date | lines (one per line)."""

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    wide: bool = False
    hint: str = ""
    listed: bool = True  # a column of the list
    maxlength: int = 100


@dataclass(frozen=True)
class Master:
    kind: str  # as the service names it: /api/v1/mail-order/<kind>
    title: str  # the page's name
    noun: str  # what one entry is called in messages
    fields: tuple[Field, ...]
    summary: str  # what the entry is called on its page
    items: bool = False  # a set's member products and quantities
    about: str = ""

    def label_of(self, entry: Entry) -> str:
        return str(entry.get(self.summary) or "")


MASTERS: dict[str, Master] = {
    m.kind: m
    for m in (
        Master("staff", "担当者マスタ", "担当者", summary="name", fields=(
            Field("name", "担当者名", required=True, maxlength=50),
            Field("role", "担当区分", "select", required=True,
                  choices=(("operator", "オペレーター"), ("sales", "営業"))),
        ), about="受注を受けたオペレーターや営業の担当者です。"),
        Master("media", "広告媒体マスタ", "広告媒体", summary="name", fields=(
            Field("name", "広告名", required=True),
            Field("code", "媒体コード", maxlength=40, hint="任意。集計に使う略号です。"),
        ), about="お客様が何を見て注文されたか（チラシ・新聞・Webなど）です。"),
        Master("product-categories", "商品カテゴリマスタ", "商品カテゴリ", summary="name", fields=(
            Field("name", "カテゴリ名", required=True),
        )),
        Master("set-products", "セット商品マスタ", "セット商品", summary="name", items=True, fields=(
            Field("name", "セット商品名", required=True, wide=True),
            Field("kind", "セット区分", "select", required=True,
                  choices=(("bundle", "セット販売（まとめて1つの商品）"),
                           ("companion", "同梱必須（対象商品と必ず一緒に出荷）"))),
            Field("trigger_product_id", "対象の商品", "product",
                  hint="同梱必須のとき: この商品の受注に同梱します。"),
        ), about="セット販売の組み合わせと、必ず一緒に出荷する商品です。"),
        Master("reasons", "返品・キャンセル理由マスタ", "理由", summary="text", fields=(
            Field("kind", "区分", "select", required=True,
                  choices=(("cancel", "キャンセル・解約"), ("return", "返品"))),
            Field("text", "理由", required=True, wide=True, maxlength=200),
        )),
        Master("survey-questions", "アンケート設問マスタ", "設問", summary="text", fields=(
            Field("text", "設問", required=True, wide=True, maxlength=200),
            Field("answer_kind", "回答の形式", "select", required=True,
                  choices=(("choice", "選択肢から選ぶ"), ("text", "自由記入"))),
            Field("choices", "選択肢", "lines", wide=True, listed=False,
                  hint="選択肢から選ぶとき: 1行に1つ、2つ以上入力してください。"),
        )),
        Master("campaigns", "キャンペーン", "キャンペーン", summary="name", fields=(
            Field("name", "キャンペーン名", required=True, wide=True),
            Field("kind", "種類", "select", required=True, choices=CAMPAIGN_KINDS),
            Field("starts_on", "開始日", "date", required=True),
            Field("ends_on", "終了日", "date", required=True),
            Field("discount_yen", "値引額（円）", "yen", hint="新規顧客値引のとき: 例 500"),
            Field("trigger_product_id", "対象の商品", "product",
                  hint="同梱プレゼントのとき: この商品を買うと"),
            Field("gift_product_id", "プレゼント商品", "product",
                  hint="同梱プレゼントのとき: この商品を無料で同梱します"),
        ), about="受注の入力（電話・Web）に同じ規則で適用され、受注に適用理由が残ります。"),
    )
}  # fmt: skip


def _digits(value: str) -> str:
    """Full-width digits and commas as staff type them: ５００ → 500."""
    table = str.maketrans("０１２３４５６７８９－，", "0123456789-,")
    return value.translate(table).replace(",", "").strip()


def body_of(master: Master, form: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The entry as the service takes it, and what the page itself cannot read, by field."""
    body: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for f in master.fields:
        value = str(form.get(f.name) or "").strip()
        if f.kind == "yen":
            number = _digits(value) or "0"
            if number.lstrip("-").isdigit():
                body[f.name] = int(number)  # a negative one is the service's to refuse
            else:
                problems[f.name] = f"{f.label.split('（')[0]}は半角数字（円）で入力してください。"
        elif f.kind == "product":
            body[f.name] = value or None
        elif f.kind == "date":
            if not value:
                problems[f.name] = f"{f.label}を入力してください。"
            elif not _is_date(value):
                problems[f.name] = f"{f.label}は 2026-01-31 の形で入力してください。"
            body[f.name] = value
        elif f.kind == "lines":
            body[f.name] = [line.strip() for line in value.splitlines() if line.strip()]
        elif f.name == "code":
            body[f.name] = value or None
        else:
            body[f.name] = value
    if master.items:
        body["items"], problems_of_items = _items(form)
        problems |= problems_of_items
    return body, problems


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _items(form: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The rows with a product, in order; a row keeps its number for its errors (the rows
    sent are renumbered back in ``field_errors``)."""
    items, problems = [], {}
    for n in range(ITEM_ROWS):
        product = str(form.get(f"items.{n}.product_id") or "").strip()
        quantity = _digits(str(form.get(f"items.{n}.quantity") or "")) or "1"
        if not product:
            continue
        if not quantity.lstrip("-").isdigit():
            problems[f"items.{n}.quantity"] = "数量は半角数字で入力してください。"
            continue
        items.append({"product_id": product, "quantity": int(quantity), "row": n})
    return items, problems


def field_errors(reply: Reply, rows: list[int] | None = None) -> dict[str, str]:
    """The service's errors by the input they belong to (the first message for each); an
    error of the n-th item sent goes to the form row it came from."""
    detail = reply.data.get("detail") if isinstance(reply.data, dict) else None
    if not isinstance(detail, dict):
        return {}
    errors = detail.get("errors") or [detail]
    placed: dict[str, str] = {}
    for error in errors:
        name, message = str(error.get("field") or ""), str(error.get("message") or "")
        if not message:
            continue
        parts = name.split(".")
        if rows is not None and len(parts) > 2 and parts[0] == "items" and parts[1].isdigit():
            sent = int(parts[1])
            parts[1] = str(rows[sent]) if sent < len(rows) else parts[1]
            name = ".".join(parts[:3])
        placed.setdefault(name or "_", message)
    return placed


def _for_service(body: dict[str, Any]) -> tuple[dict[str, Any], list[int] | None]:
    if "items" not in body:
        return body, None
    rows = [item["row"] for item in body["items"]]
    items = [{k: v for k, v in item.items() if k != "row"} for item in body["items"]]
    return {**body, "items": items}, rows


def form_of(master: Master, entry: Entry) -> dict[str, str]:
    """The edit form, filled with the entry as the service shows it."""
    form: dict[str, str] = {}
    for f in master.fields:
        value = entry.get(f.name)
        if f.kind == "lines":
            form[f.name] = "\n".join(value or [])
        else:
            form[f.name] = "" if value is None else str(value)
    for n, item in enumerate((entry.get("items") or [])[:ITEM_ROWS]):
        form[f"items.{n}.product_id"] = str(item.get("product_id") or "")
        form[f"items.{n}.quantity"] = str(item.get("quantity") or "")
    return form


def campaign_state(entry: Entry, today: date) -> str:
    """廃止 / 開始前 / 実施中 / 終了, as the list shows it."""
    if entry.get("retired_at"):
        return "廃止"
    starts, ends = entry.get("starts_on"), entry.get("ends_on")
    if starts and today < date.fromisoformat(str(starts)):
        return "開始前"
    if ends and today > date.fromisoformat(str(ends)):
        return "終了"
    return "実施中"


def shown(master: Master, f: Field, entry: Entry, products: dict[str, str]) -> str:
    """One cell of the list: a choice's words, a product's name, 円 with commas."""
    value = entry.get(f.name)
    if value in (None, ""):
        return ""
    if f.kind == "select":
        return dict(f.choices).get(str(value), str(value))
    if f.kind == "product":
        return products.get(str(value), "（不明な商品）")
    if f.kind == "yen":
        return f"{int(value):,}円" if value else ""
    if f.kind == "date":
        return str(value).replace("-", "/")
    return str(value)


async def _form(request: Request) -> dict[str, str]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


async def _products(clients: Clients) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The products to choose (those on sale) and every product's name (a retired one's
    too, for the entries that still name it)."""
    every = await clients.orders.products(include_retired=True) or []
    names = {str(p.id): f"{p.name}（{p.code}）" for p in every}
    current = [(str(p.id), names[str(p.id)]) for p in every if p.retired_at is None]
    return current, names


async def _list_page(
    request: Request,
    staff: Staff,
    clients: Clients,
    master: Master,
    *,
    retired: bool = False,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    entries = await clients.orders.entries(master.kind, include_retired=retired)
    choices, names = await _products(clients)
    context = {"staff": staff, "m": master, "entries": entries, "retired": retired,
               "form": form or {}, "errors": errors or {}, "product_choices": choices,
               "product_names": names, "rows": ITEM_ROWS, "shown": shown,
               "state": campaign_state, "today": clock.today(), "masters": MASTERS}  # fmt: skip
    return page(request, "masters.html", context, status_code)


async def _entry_page(
    request: Request,
    staff: Staff,
    clients: Clients,
    master: Master,
    entry: Entry,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    choices, names = await _products(clients)
    context = {"staff": staff, "m": master, "e": entry, "form": form or form_of(master, entry),
               "errors": errors or {}, "product_choices": choices, "product_names": names,
               "rows": ITEM_ROWS, "shown": shown, "state": campaign_state,
               "today": clock.today(), "masters": MASTERS}  # fmt: skip
    return page(request, "master.html", context, status_code)


def _missing(request: Request, staff: Staff, master: Master) -> Response:
    return not_found(request, staff, f"{master.noun}が見つかりません。", nav="orders")


def _refused(reply: Reply, rows: list[int] | None, fallback: str) -> dict[str, str]:
    errors = field_errors(reply, rows)
    if not errors:
        errors = {"_": " ".join(reasons_of(reply, fallback))}
    return errors


def _routes(master: Master) -> None:
    base = f"/orders/masters/{master.kind}"
    name = master.kind.replace("-", "_")

    async def list_(
        request: Request, staff: StaffPage, clients: ClientsDep, retired: bool = False
    ) -> Response:
        return await _list_page(request, staff, clients, master, retired=retired)

    async def add(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
        form = await _form(request)
        body, problems = body_of(master, form)
        if problems:
            return await _list_page(request, staff, clients, master, form=form, errors=problems,
                                    status_code=422)  # fmt: skip
        sent, rows = _for_service(body)
        reply = await clients.orders.add_entry(master.kind, sent)
        if reply.ok:
            label = str(body.get(master.summary) or "")
            return back(base, notice=f"「{label}」を登録しました。")
        errors = _refused(reply, rows, "登録できませんでした。")
        return await _list_page(request, staff, clients, master, form=form, errors=errors,
                                status_code=reply.status_code)  # fmt: skip

    async def get(
        entry_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
    ) -> Response:
        entry = await clients.orders.entry(master.kind, entry_id)
        if entry is None:  # another tenant's id too
            return _missing(request, staff, master)
        return await _entry_page(request, staff, clients, master, entry)

    async def update(
        entry_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
    ) -> Response:
        entry = await clients.orders.entry(master.kind, entry_id)
        if entry is None:
            return _missing(request, staff, master)
        form = await _form(request)
        body, problems = body_of(master, form)
        if problems:
            return await _entry_page(request, staff, clients, master, entry, form=form,
                                     errors=problems, status_code=422)  # fmt: skip
        sent, rows = _for_service(body)
        reply = await clients.orders.update_entry(master.kind, entry_id, sent)
        if reply.status_code == 404:
            return _missing(request, staff, master)
        if reply.ok:
            return back(f"{base}/{entry_id}", notice="変更を保存しました。")
        errors = _refused(reply, rows, "保存できませんでした。")
        return await _entry_page(request, staff, clients, master, entry, form=form,
                                 errors=errors, status_code=reply.status_code)  # fmt: skip

    async def retire(
        entry_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
    ) -> Response:
        form = await _form(request)
        where = f"{base}/{entry_id}"
        if form.get("confirm") != "on":
            entry = await clients.orders.entry(master.kind, entry_id)
            if entry is None:
                return _missing(request, staff, master)
            errors = {"confirm": "廃止してよいか確認のうえ、チェックを入れてください。"}
            return await _entry_page(request, staff, clients, master, entry, errors=errors,
                                     status_code=422)  # fmt: skip
        reply = await clients.orders.retire_entry(master.kind, entry_id)
        if reply.status_code == 404:
            return _missing(request, staff, master)
        if not reply.ok:
            return back(where, error=" ".join(reasons_of(reply, "廃止できませんでした。")))
        return back(where, notice="廃止しました。過去の受注には残ります。")

    html: dict[str, Any] = {"response_class": HTMLResponse}
    router.add_api_route(base, list_, methods=["GET"], name=f"{name}_page", **html)
    router.add_api_route(base, add, methods=["POST"], name=f"add_{name}_entry")
    router.add_api_route(f"{base}/{{entry_id}}", get, methods=["GET"], name=f"{name}_entry", **html)
    router.add_api_route(f"{base}/{{entry_id}}", update, methods=["POST"],
                         name=f"update_{name}_entry")  # fmt: skip
    router.add_api_route(f"{base}/{{entry_id}}/retire", retire, methods=["POST"],
                         name=f"retire_{name}_entry")  # fmt: skip


@router.get("/orders/masters", response_class=HTMLResponse)
async def masters_index(request: Request, staff: StaffPage) -> Response:
    """マスタ・設定: every master of the 受注 area and the settings, one link each."""
    return page(request, "masters_index.html", {"staff": staff, "masters": MASTERS})


# 送料: the 47 prefectures in one table. A blank fee takes the 標準送料 typed above the
# table; blank without it, the prefecture has no fee (an order there is refused).
FEES = "shipping-fees"


def _fees_form(fees: list[Entry]) -> dict[str, str]:
    return {str(f.get("prefecture")): str(f.get("fee_yen")) for f in fees}


@router.get("/orders/masters/shipping-fees", response_class=HTMLResponse)
async def shipping_fees(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    fees = await clients.orders.entries(FEES)
    form = _fees_form(fees or [])
    return _fees_page(request, staff, fees, form, {})


def _fees_page(
    request: Request,
    staff: Staff,
    fees: list[Entry] | None,
    form: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    context = {"staff": staff, "fees": fees, "form": form, "errors": errors,
               "prefectures": PREFECTURES, "masters": MASTERS}  # fmt: skip
    return page(request, "shipping_fees.html", context, status_code)


def read_fees(form: dict[str, str]) -> tuple[dict[str, int | None], dict[str, str]]:
    """Each prefecture's fee (None: none), and the fields the page cannot read."""
    problems: dict[str, str] = {}
    default: int | None = None
    raw = _digits(form.get("default_fee", ""))
    if raw:
        if raw.isdigit():
            default = int(raw)
        else:
            problems["default_fee"] = "標準送料は0以上の半角数字（円）で入力してください。"
    fees: dict[str, int | None] = {}
    for prefecture in PREFECTURES:
        raw = _digits(form.get(prefecture, ""))
        if not raw:
            fees[prefecture] = default
        elif raw.isdigit():
            fees[prefecture] = int(raw)
        else:
            problems[prefecture] = "送料は0以上の半角数字（円）で入力してください。"
    return fees, problems


@router.post("/orders/masters/shipping-fees")
async def save_shipping_fees(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    """The whole table at once: each change is one call, made only when every fee reads."""
    form = await _form(request)
    current = await clients.orders.entries(FEES)
    if current is None:
        return _fees_page(request, staff, None, form, {"_": "送料を保存できませんでした。"}, 503)
    fees, problems = read_fees(form)
    if problems:
        return _fees_page(request, staff, current, form, problems, 422)
    by_prefecture = {str(f.get("prefecture")): f for f in current}
    calls: list[Callable[[], Any]] = []
    for prefecture, fee in fees.items():
        found = by_prefecture.get(prefecture)
        if found is None and fee is not None:
            body = {"prefecture": prefecture, "fee_yen": fee}
            calls.append(lambda body=body: clients.orders.add_entry(FEES, body))
        elif found is not None and fee is None:
            calls.append(lambda found=found: clients.orders.retire_entry(FEES, found.id))
        elif found is not None and fee != found.get("fee_yen"):
            body = {"prefecture": prefecture, "fee_yen": fee}
            calls.append(lambda found=found, body=body: clients.orders.update_entry(FEES, found.id, body))  # fmt: skip
    errors: dict[str, str] = {}
    changed = 0
    for call in calls:
        reply: Reply = await call()
        if reply.ok:
            changed += 1
            continue
        where = (reply.data or {}).get("detail", {}) if isinstance(reply.data, dict) else {}
        errors["_"] = " ".join(reasons_of(reply, "送料を保存できませんでした。"))
        if isinstance(where, dict) and where.get("field") == "fee_yen":
            errors["_"] = str(where.get("message"))
        break  # a refusal of the service stops the rest (it is its rule, not a typo)
    if errors:
        fresh = await clients.orders.entries(FEES)
        return _fees_page(request, staff, fresh, form, errors, 422)
    notice = f"送料を保存しました（{changed}件の変更）。" if changed else "変更はありませんでした。"
    return back("/orders/masters/shipping-fees", notice=notice)


for _master in MASTERS.values():
    _routes(_master)
