"""The Japanese web client: server-rendered pages on the same API the partners use."""

from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from kit.errors import refusal_message
from kit.japanese import PREFECTURES

from gateway.entrypoints.api import CUSTOMER_SEARCH_PARAMS
from gateway.entrypoints.deps import (
    SESSION_COOKIE,
    OptionalStaff,
    ServicesDep,
    TxDep,
    session_token,
)
from gateway.use_cases import accounts
from gateway.use_cases.accounts import Staff
from gateway.use_cases.salon_catalog import SalonCatalog, salon_catalog, tenant_stores
from gateway.use_cases.staff_directory import staff_of_tenant
from gateway.web.formatting import FILTERS

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters.update(FILTERS)

router = APIRouter(include_in_schema=False)


def not_found(request: Request, staff: Staff, message: str, **context: str) -> Response:
    """The 404 page: what another tenant's id (or a deleted resource) gets, never a form."""
    context = {"staff": staff, "message": message, **context}
    return templates.TemplateResponse(request, "not_found.html", context, status_code=404)


def _to_login(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/login?{urlencode({'next': request.url.path})}", status_code=303)


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: str = "/customers") -> Response:
    return templates.TemplateResponse(request, "login.html", {"next": next, "error": None})


@router.post("/login")
async def login(
    request: Request,
    tx: TxDep,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/customers",
) -> Response:
    settings = request.app.state.runtime.settings
    ttl = settings.session_ttl_hours
    signed = await tx.run(
        lambda uow: accounts.sign_in(email=email, password=password, ttl_hours=ttl, uow=uow)
    )
    if signed is None:
        context = {
            "next": next,
            "error": "メールアドレスまたはパスワードが正しくありません。",
            "email": email,
        }
        return templates.TemplateResponse(request, "login.html", context, status_code=401)
    target = next if next.startswith("/") and not next.startswith("//") else "/customers"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        signed.token,
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
        max_age=settings.session_ttl_hours * 3600,
    )
    return response


@router.post("/logout")
async def logout(request: Request, tx: TxDep) -> Response:
    token = session_token(request)
    if token:
        await tx.run(lambda uow: accounts.sign_out(token, uow=uow))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/")
async def home(staff: OptionalStaff, request: Request) -> Response:
    return RedirectResponse("/customers" if staff else "/login", status_code=303)


@router.get("/customers", response_class=HTMLResponse)
async def customers_page(
    request: Request,
    staff: OptionalStaff,
    services: ServicesDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    if staff is None:
        return _to_login(request)
    per_page = 20
    # Every criterion of seed 003's simple and advanced search, as typed in the form.
    query = {k: v for k, v in request.query_params.items() if k in SEARCH_FIELDS and v}
    result = await services.call(
        "customer",
        "GET",
        "/customers",
        principal=staff.principal(),
        params={**query, "page": page, "per_page": per_page},
    )
    data = result.json()
    error = None
    if result.status_code != 200:
        error = refusal_message(data) or "検索条件を確認してください。"
        data = {"items": [], "total": 0, "page": 1, "per_page": per_page}
    total = data["total"]
    first = (page - 1) * per_page + 1 if total else 0
    last = min(page * per_page, total)
    # Seed 000's 「担当設定なし N件」: customers still without a rep, whatever the filters.
    unassigned = await services.call(
        "customer",
        "GET",
        "/customers",
        principal=staff.principal(),
        params={"assigned": "false", "per_page": 1},
    )
    context = {
        "staff": staff,
        "data": data,
        "catalog": await _catalog(request, staff, services),
        "unassigned": unassigned.json() if unassigned.status_code == 200 else None,
        "query": query,
        "advanced": bool(set(query) & ADVANCED_FIELDS),
        "staff_names": await staff_names(request, staff),
        "error": error,
        "export_error": request.query_params.get("export_error", "")[:200],
        "export_query": urlencode(query),
        "prefectures": PREFECTURES,
        "first": first,
        "last": last,
        "page": page,
        "prev_url": _page_url(query, page - 1) if page > 1 else None,
        "next_url": _page_url(query, page + 1) if last < total else None,
    }
    return templates.TemplateResponse(request, "customers.html", context)


@router.get("/customers/{customer_id}", response_class=HTMLResponse)
async def customer_page(
    customer_id: UUID,
    request: Request,
    staff: OptionalStaff,
    services: ServicesDep,
    notice: str = "",
    error: str = "",
) -> Response:
    if staff is None:
        return _to_login(request)
    result = await services.call(
        "customer", "GET", f"/customers/{customer_id}", principal=staff.principal()
    )
    if result.status_code == 404:
        return not_found(request, staff, "お客様が見つかりません。")
    follow = await services.call(
        "customer", "GET", f"/customers/{customer_id}/follow-up", principal=staff.principal()
    )
    context = {
        "staff": staff,
        "customer": result.json(),
        "follow": follow.json() if follow.status_code == 200 else None,
        "staff_names": await staff_names(request, staff),
        "notice": notice[:200],
        "error": error[:200],
    }
    return templates.TemplateResponse(request, "customer.html", context)


async def _catalog(request: Request, staff: Staff, services: ServicesDep) -> SalonCatalog:
    """The choices of seed 003's メニュー, 最終利用メニュー and スタッフ."""
    async with request.app.state.runtime.uow(tenant_id=staff.tenant_id) as uow:
        stores = await tenant_stores(uow=uow)
    return await salon_catalog(stores=stores, services=services, principal=staff.principal())


async def staff_names(request: Request, staff: Staff) -> dict[str, str]:
    """担当: the gateway owns the accounts, so names are filled in here."""
    async with request.app.state.runtime.uow(tenant_id=staff.tenant_id) as uow:
        return {str(s.user_id): s.display_name for s in await staff_of_tenant(uow=uow)}


SIMPLE_FIELDS = frozenset({"q", "email", "phone"})
ADVANCED_FIELDS = CUSTOMER_SEARCH_PARAMS - {
    "customer_number",
    "menu_id",
    "staff_member_id",
    "last_menu_id",
    "withdrawn",
    "phone_registration",
    "caution",
    "blacklisted",
    "sort",
}
SEARCH_FIELDS = SIMPLE_FIELDS | CUSTOMER_SEARCH_PARAMS


def _page_url(query: dict[str, str], page: int) -> str:
    return "/customers?" + urlencode({**{k: v for k, v in query.items() if v}, "page": page})


def _message(data: object) -> str | None:
    return refusal_message(data)
