"""Customer master screens (issue 5): registration, quick phone registration, flags,
withdrawal and deletion, merge with preview and confirmation, and the import wizard.
Forms post here; every change goes to the customer service with the staff's token."""

from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from kit.errors import refusal_message

from gateway.entrypoints.customers_api import forward_import
from gateway.entrypoints.deps import OptionalStaff, ServicesDep
from gateway.use_cases.accounts import Staff
from gateway.web.formatting import FILTERS
from gateway.web.pages import not_found

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters.update(FILTERS)

router = APIRouter(include_in_schema=False)
TEXT_FIELDS = ("family_name", "given_name", "family_kana", "given_kana", "birth_date",
               "gender", "customer_number", "line_name", "side", "property_type")  # fmt: skip


def _login(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/login?{urlencode({'next': request.url.path})}", status_code=303)


def _back(path: str, **message: str) -> RedirectResponse:
    return RedirectResponse(f"{path}?{urlencode(message)}", status_code=303)


def _refused(request: Request, staff: Staff, response: Any, back: str, fallback: str) -> Response:
    """Back to the page with the service's reason; what it cannot find (another tenant's
    customer or import) is the 404 page, not a redirect."""
    if response.status_code == 404:
        return not_found(request, staff, _message(response, "見つかりません。"))
    return _back(back, error=_message(response, fallback))


def _message(response: Any, fallback: str) -> str:
    try:
        data = response.json()
    except ValueError:
        return fallback
    if isinstance(data, dict) and isinstance(data.get("detail"), dict):
        return refusal_message(data) or "入力内容を確認してください。"
    return fallback


async def _call(services: ServicesDep, staff: Staff, method: str, path: str, **kwargs: Any) -> Any:
    return await services.call("customer", method, path, principal=staff.principal(), **kwargs)


def _profile_body(form: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = {k: (form.get(k) or "").strip() or None for k in TEXT_FIELDS}
    body["phones"] = [p for p in (form.get("phone1"), form.get("phone2")) if p and p.strip()]
    body["emails"] = [e for e in (form.get("email"),) if e and e.strip()]
    split = lambda v: [p.strip() for p in (v or "").replace("、", ",").split(",") if p.strip()]  # noqa: E731
    body["attributes"] = split(form.get("attributes"))
    body["inflow_sources"] = split(form.get("inflow_sources"))
    if form.get("postal_code") or form.get("street"):
        body["addresses"] = [{"kind": "home", "postal_code": form.get("postal_code") or None,
                              "street": form.get("street") or None}]  # fmt: skip
    return body


@router.get("/customers/new", response_class=HTMLResponse)
async def new_customer(request: Request, staff: OptionalStaff) -> Response:
    if staff is None:
        return _login(request)
    return templates.TemplateResponse(
        request, "customer_form.html", {"staff": staff, "form": {}, "error": None}
    )


@router.post("/customers/new", response_class=HTMLResponse)
async def create_customer(
    request: Request, staff: OptionalStaff, services: ServicesDep
) -> Response:
    if staff is None:
        return _login(request)
    form = {k: str(v) for k, v in (await request.form()).items()}
    r = await _call(services, staff, "POST", "/customers", json=_profile_body(form))
    if r.status_code == 201:
        return _back(f"/customers/{r.json()['id']}", notice="お客様を登録しました。")
    context = {"staff": staff, "form": form, "error": _message(r, "登録できませんでした。")}
    return templates.TemplateResponse(
        request, "customer_form.html", context, status_code=r.status_code
    )


@router.get("/customers/phone-registration", response_class=HTMLResponse)
async def phone_form(request: Request, staff: OptionalStaff) -> Response:
    if staff is None:
        return _login(request)
    # From the monitor: a caller nobody knows yet is registered with the number typed there.
    form = {"phone": request.query_params.get("phone", "")[:30]}
    return templates.TemplateResponse(
        request, "customer_phone_form.html", {"staff": staff, "form": form, "error": None}
    )


@router.post("/customers/phone-registration", response_class=HTMLResponse)
async def phone_register(request: Request, staff: OptionalStaff, services: ServicesDep) -> Response:
    if staff is None:
        return _login(request)
    form = {k: str(v) for k, v in (await request.form()).items()}
    body = {"family_name": form.get("family_name", ""), "given_name": form.get("given_name") or None,
            "phone": form.get("phone", "")}  # fmt: skip
    r = await _call(services, staff, "POST", "/customers/phone-registrations", json=body)
    if r.status_code == 201:
        return _back(f"/customers/{r.json()['id']}", notice="電話番号で登録しました。")
    context = {"staff": staff, "form": form, "error": _message(r, "登録できませんでした。")}
    return templates.TemplateResponse(
        request, "customer_phone_form.html", context, status_code=r.status_code
    )


@router.post("/customers/{customer_id}/flags")
async def save_flags(
    customer_id: UUID, request: Request, staff: OptionalStaff, services: ServicesDep
) -> Response:
    if staff is None:
        return _login(request)
    form = await request.form()
    body = {
        "caution": form.get("caution") == "on",
        "caution_memo": form.get("caution_memo") or None,
        "blacklisted": form.get("blacklisted") == "on",
        "blacklist_memo": form.get("blacklist_memo") or None,
        "alert": form.get("alert") or "",
        "karte_notes": form.get("karte_notes") or "",
    }
    r = await _call(services, staff, "PUT", f"/customers/{customer_id}/flags", json=body)
    if r.status_code == 204:
        return _back(f"/customers/{customer_id}", notice="注意情報を保存しました。")
    return _refused(request, staff, r, f"/customers/{customer_id}", "保存できませんでした。")


@router.post("/customers/{customer_id}/withdraw")
async def withdraw(
    customer_id: UUID, request: Request, staff: OptionalStaff, services: ServicesDep
) -> Response:
    if staff is None:
        return _login(request)
    reason = str((await request.form()).get("reason") or "")
    r = await _call(services, staff, "POST", f"/customers/{customer_id}/withdrawal",
                    json={"reason": reason})  # fmt: skip
    if r.status_code == 204:
        return _back(f"/customers/{customer_id}", notice="退会の手続きをしました。")
    return _refused(request, staff, r, f"/customers/{customer_id}", "退会できませんでした。")


@router.post("/customers/{customer_id}/delete")
async def delete(
    customer_id: UUID, request: Request, staff: OptionalStaff, services: ServicesDep
) -> Response:
    if staff is None:
        return _login(request)
    r = await _call(services, staff, "DELETE", f"/customers/{customer_id}")
    if r.status_code == 204:
        return _back("/customers", notice="お客様を削除しました。")
    return _refused(request, staff, r, f"/customers/{customer_id}", "削除できませんでした。")


@router.get("/customers/merge", response_class=HTMLResponse)
async def merge_page(
    request: Request, staff: OptionalStaff, services: ServicesDep, notice: str = ""
) -> Response:
    if staff is None:
        return _login(request)
    log = (await _call(services, staff, "GET", "/merges")).json()
    context = {"staff": staff, "log": log, "notice": notice[:200], "error": None, "form": {}}
    return templates.TemplateResponse(request, "customer_merge.html", context)


async def _by_number(services: ServicesDep, staff: Staff, number: str) -> str | None:
    r = await _call(
        services, staff, "GET", "/customers", params={"customer_number": number.strip()}
    )
    items = r.json().get("items", []) if r.status_code == 200 else []
    return items[0]["id"] if items else None


@router.post("/customers/merge", response_class=HTMLResponse)
async def merge_preview(request: Request, staff: OptionalStaff, services: ServicesDep) -> Response:
    """「保存」: show what moves and ask again — the merge cannot be undone."""
    if staff is None:
        return _login(request)
    form = {k: str(v) for k, v in (await request.form()).items()}
    source = await _by_number(services, staff, form.get("source_number", ""))
    target = await _by_number(services, staff, form.get("target_number", ""))
    context: dict[str, Any] = {"staff": staff, "form": form, "notice": "", "log": []}
    if source is None or target is None:
        context["error"] = "お客様番号に該当するお客様が見つかりません。"
        return templates.TemplateResponse(request, "customer_merge.html", context, status_code=404)
    r = await _call(services, staff, "POST", "/merges/preview",
                    json={"source_id": source, "target_id": target})  # fmt: skip
    if r.status_code != 200:
        context["error"] = _message(r, "統合できません。")
        return templates.TemplateResponse(
            request, "customer_merge.html", context, status_code=r.status_code
        )
    context["preview"] = r.json()
    return templates.TemplateResponse(request, "customer_merge_confirm.html", context)


@router.post("/customers/merge/confirm")
async def merge_confirm(request: Request, staff: OptionalStaff, services: ServicesDep) -> Response:
    if staff is None:
        return _login(request)
    form = await request.form()
    body = {"source_id": form.get("source_id"), "target_id": form.get("target_id"), "confirm": True}
    r = await _call(services, staff, "POST", "/merges", json=body)
    if r.status_code == 200:
        return _back("/customers/merge", notice="統合しました。")
    return _back("/customers/merge", notice=_message(r, "統合できませんでした。"))


@router.get("/customers/import", response_class=HTMLResponse)
async def import_page(request: Request, staff: OptionalStaff) -> Response:
    if staff is None:
        return _login(request)
    return templates.TemplateResponse(
        request, "customer_import.html", {"staff": staff, "job": None, "error": None}
    )


@router.get("/customers/import/template.xlsx")
async def import_template(
    request: Request, staff: OptionalStaff, services: ServicesDep
) -> Response:
    if staff is None:
        return _login(request)
    r = await _call(services, staff, "GET", "/imports/template.xlsx")
    return Response(r.content, media_type=r.headers.get("content-type"),
                    headers={"content-disposition": r.headers.get("content-disposition", "")})  # fmt: skip


@router.post("/customers/import", response_class=HTMLResponse)
async def import_upload(request: Request, staff: OptionalStaff, services: ServicesDep) -> Response:
    if staff is None:
        return _login(request)
    upload = (await request.form()).get("file")
    if upload is None or isinstance(upload, str):
        context = {"staff": staff, "job": None, "error": "ファイルを選択してください。"}
        return templates.TemplateResponse(request, "customer_import.html", context, status_code=422)
    r = await forward_import(request, staff, services, upload)  # type: ignore[arg-type]
    if r.status_code != 202:
        context = {"staff": staff, "job": None, "error": _message(r, "取り込めませんでした。")}
        return templates.TemplateResponse(
            request, "customer_import.html", context, status_code=r.status_code
        )
    return RedirectResponse(f"/customers/import/{r.json()['id']}", status_code=303)


@router.get("/customers/import/{job_id}", response_class=HTMLResponse)
async def import_progress(
    job_id: UUID, request: Request, staff: OptionalStaff, services: ServicesDep
) -> Response:
    if staff is None:
        return _login(request)
    r = await _call(services, staff, "GET", f"/imports/{job_id}")
    if r.status_code != 200:
        context = {"staff": staff, "message": "取り込み履歴が見つかりません。"}
        return templates.TemplateResponse(request, "not_found.html", context, status_code=404)
    job = r.json()
    context = {"staff": staff, "job": job, "error": None,
               "percent": int(job["done"] * 100 / job["total"]) if job["total"] else 100}  # fmt: skip
    return templates.TemplateResponse(request, "customer_import.html", context)


@router.get("/customers/import/{job_id}/errors.csv")
async def import_errors(
    job_id: UUID, request: Request, staff: OptionalStaff, services: ServicesDep
) -> Response:
    if staff is None:
        return _login(request)
    r = await _call(services, staff, "GET", f"/imports/{job_id}/errors.csv")
    return Response(r.content, status_code=r.status_code, media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="errors-{job_id}.csv"'})  # fmt: skip


@router.post("/customers/import/{job_id}/overwrite")
async def import_overwrite(
    job_id: UUID, request: Request, staff: OptionalStaff, services: ServicesDep
) -> Response:
    if staff is None:
        return _login(request)
    r = await _call(services, staff, "POST", f"/imports/{job_id}/overwrite")
    if r.status_code == 404:
        return not_found(request, staff, _message(r, "取り込みが見つかりません。"))
    return RedirectResponse(f"/customers/import/{job_id}", status_code=303)
