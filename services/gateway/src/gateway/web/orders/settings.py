"""受注設定 (ORD-2, ORD-5, ORD-7) in the web client: how consumption tax is rounded, the
shipper printed on the labels (ご依頼主, the carriers' customer codes) and the web shop's
signing secret, issued here and shown once (the service keeps only it; the page is not
kept by the browser). Staff read; the admin changes (the service's rule)."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from gateway.use_cases.accounts import Staff
from gateway.web.common.answers import back
from gateway.web.common.deps import Clients, ClientsDep, StaffPage
from gateway.web.orders.common import page, reasons_of
from gateway.web.orders.masters import MASTERS, field_errors

router = APIRouter(include_in_schema=False)
ROUNDING = (("floor", "切捨て"), ("half_up", "四捨五入"), ("ceil", "切上げ"))
SHIPPER = (("name", "ご依頼主名", True, 100), ("phone", "電話番号", True, 20),
           ("postal_code", "郵便番号", True, 10), ("address", "住所", True, 200),
           ("yamato_billing_code", "ヤマト ご請求先顧客コード", False, 12),
           ("yamato_billing_class", "ヤマト ご請求先分類コード", False, 3),
           ("yamato_freight_number", "ヤマト 運賃管理番号", False, 2),
           ("sagawa_customer_code", "佐川 お客様コード", False, 12))  # fmt: skip
WHERE = "/orders/settings"


async def _page(
    request: Request,
    staff: Staff,
    clients: Clients,
    *,
    tax_form: dict[str, str] | None = None,
    shipper_form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    secret: str | None = None,
    status_code: int = 200,
) -> Response:
    settings = await clients.orders.settings()
    shipper = await clients.orders.shipper()
    if tax_form is None:
        tax_form = {"tax_rounding": settings.tax_rounding if settings else "floor"}
    if shipper_form is None:
        shipper_form = {name: str(shipper.get(name) or "") for name, *_ in SHIPPER} if shipper else {"yamato_freight_number": "01"}  # fmt: skip
    context = {"staff": staff, "settings": settings, "shipper": shipper, "tax_form": tax_form,
               "shipper_form": shipper_form, "errors": errors or {}, "secret": secret,
               "rounding": ROUNDING, "shipper_fields": SHIPPER, "masters": MASTERS}  # fmt: skip
    answer = page(request, "orders_settings.html", context, status_code)
    if secret:  # shown once: neither the browser nor a proxy keeps it
        answer.headers["Cache-Control"] = "no-store"
    return answer


async def _form(request: Request) -> dict[str, str]:
    return {k: v.strip() for k, v in (await request.form()).items() if isinstance(v, str)}


@router.get("/orders/settings", response_class=HTMLResponse)
async def settings_page(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    return await _page(request, staff, clients)


@router.post("/orders/settings")
async def save_tax(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    form = await _form(request)
    reply = await clients.orders.put_settings({"tax_rounding": form.get("tax_rounding", "")})
    if reply.ok:
        return back(WHERE, notice="消費税の端数処理を保存しました。")
    errors = field_errors(reply) or {
        "tax_rounding": " ".join(reasons_of(reply, "保存できませんでした。"))
    }
    return await _page(request, staff, clients, tax_form=form, errors=errors,
                       status_code=reply.status_code)  # fmt: skip


@router.post("/orders/settings/shipper")
async def save_shipper(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    form = await _form(request)
    body: dict[str, Any] = {name: form.get(name, "") for name, *_ in SHIPPER}
    body["yamato_freight_number"] = body["yamato_freight_number"] or "01"
    reply = await clients.orders.put_shipper(body)
    if reply.ok:
        return back(WHERE, notice="ご依頼主（出荷元）を保存しました。", anchor="#shipper-h")
    errors = field_errors(reply)
    if not errors or set(errors) == {"_"}:
        errors = {"_shipper": " ".join(reasons_of(reply, "保存できませんでした。"))}
    return await _page(request, staff, clients, shipper_form=form, errors=errors,
                       status_code=reply.status_code)  # fmt: skip


@router.post("/orders/settings/shop-secret")
async def issue_shop_secret(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    """A new secret, shown on this answer only; the old one stops working at once."""
    form = await _form(request)
    if form.get("confirm") != "on":
        errors = {
            "confirm": "今の連携キーが使えなくなることを確認のうえ、チェックを入れてください。"
        }
        return await _page(request, staff, clients, errors=errors, status_code=422)
    reply = await clients.orders.new_shop_secret()
    if not reply.ok:
        return back(WHERE, error=" ".join(reasons_of(reply, "連携キーを発行できませんでした。")))
    secret = reply.data.get("shop_secret") if isinstance(reply.data, dict) else None
    return await _page(request, staff, clients, secret=str(secret or ""))
