"""The booking site's reservation pages: the salon (menus, staff), a week of times for a menu
and a member (or 指名なし), the booking form and the done page."""

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from kit import clock

from gateway.clients.booking import Menu, Named
from gateway.domain.site_forms import guest_errors, normal
from gateway.entrypoints.deps import ServicesDep
from gateway.use_cases import site
from gateway.web.site.common import (
    BUSY,
    SiteNotFound,
    StoreDep,
    base_url,
    customer_of,
    page,
    parse_uuid,
    view_allowed,
)
from gateway.web.site.session import remember_done, take_done

router = APIRouter()
PREFIX = "/r/{tenant}/{store}"
FULL_HINT = "別の日時をお選びください。"
GUEST_FIELDS = ("name", "name_kana", "email", "phone")


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _moment(value: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


async def _choice(store, menu_id: str | None, staff_id: str | None, services):  # type: ignore[no-untyped-def]
    found = await site.catalogue(store, services=services)
    if found is None:
        raise SiteNotFound()
    menu = found.menu(parse_uuid(menu_id))
    staff = found.member(parse_uuid(staff_id)) if staff_id else None
    if menu is None or (staff_id and staff is None):
        raise SiteNotFound()
    return found, menu, staff


@router.get(PREFIX)
@router.get(PREFIX + "/")
async def home(request: Request, store: StoreDep, services: ServicesDep) -> Response:
    found = await site.catalogue(store, services=services)
    if found is None:
        raise SiteNotFound()
    return page(request, store, "site_home.html", catalogue=found)


@router.get(PREFIX + "/slots")
async def slots(request: Request, store: StoreDep, services: ServicesDep,
                menu_id: str | None = None, staff_id: str | None = None,
                day: str | None = None) -> Response:  # fmt: skip
    if not view_allowed(request, store):
        return page(request, store, "site_not_found.html", 429, message=BUSY)
    found, menu, staff = await _choice(store, menu_id, staff_id, services)
    week = await site.week(store, menu=menu, staff=staff, members=found.staff_members,
                           day=_day(day), services=services)  # fmt: skip
    if week is None:
        raise SiteNotFound()
    return page(request, store, "site_slots.html", catalogue=found, week=week)


def _book_page(request: Request, store, menu: Menu, staff: Named | None, starts_at: datetime,  # type: ignore[no-untyped-def]
               *, form: dict | None = None, errors: dict | None = None, error: str | None = None,
               status_code: int = 200) -> Response:  # fmt: skip
    return page(request, store, "site_book.html", status_code, menu=menu, staff=staff,
                starts_at=starts_at, form=form or {}, errors=errors or {}, error=error)  # fmt: skip


@router.get(PREFIX + "/book")
async def book_form(request: Request, store: StoreDep, services: ServicesDep,
                    menu_id: str | None = None, staff_id: str | None = None,
                    starts_at: str | None = None) -> Response:  # fmt: skip
    _, menu, staff = await _choice(store, menu_id, staff_id, services)
    moment = _moment(starts_at)
    if moment is None:
        raise SiteNotFound()
    if moment <= clock.now():
        return _book_page(request, store, menu, staff, moment,
                          error="過去の日時は予約できません。日時を選び直してください。", status_code=422)  # fmt: skip
    return _book_page(request, store, menu, staff, moment)


@router.post(PREFIX + "/book")
async def book(
    request: Request, store: StoreDep, services: ServicesDep,
    menu_id: Annotated[str, Form()], starts_at: Annotated[str, Form()],
    staff_id: Annotated[str, Form()] = "", name: Annotated[str, Form(max_length=100)] = "",
    name_kana: Annotated[str, Form(max_length=100)] = "",
    email: Annotated[str, Form(max_length=254)] = "", phone: Annotated[str, Form(max_length=30)] = "",
) -> Response:  # fmt: skip
    _, menu, staff = await _choice(store, menu_id, staff_id, services)
    moment = _moment(starts_at)
    if moment is None:
        raise SiteNotFound()
    me = customer_of(request, store)
    form = {"name": name, "name_kana": name_kana, "email": email, "phone": phone}
    slot = {"menu_id": str(menu.id), "staff_member_id": str(staff.id) if staff else None,
            "starts_at": moment.isoformat()}  # fmt: skip
    if me is None:
        errors = guest_errors(form)
        if errors:
            return _book_page(request, store, menu, staff, moment, form=form, errors=errors,
                              status_code=422)  # fmt: skip
        guest = {"name": normal(name), "name_kana": normal(name_kana), "email": normal(email),
                 "phone": normal(phone)}  # fmt: skip
        answer = await site.book_as_guest(store, slot=slot, guest=guest,
                                          base_url=base_url(request), services=services)  # fmt: skip
    else:
        answer = await site.book_signed_in(
            store, slot=slot, customer_id=me.customer_id, name=me.name, email=me.email,
            base_url=base_url(request), services=services,
        )  # fmt: skip
    if answer.status != 201:
        detail = answer.body.get("detail", {}) if isinstance(answer.body, dict) else {}
        message = detail.get("message") or "ご予約できませんでした。"
        field = detail.get("field")
        field = field.removeprefix("guest.") if isinstance(field, str) else None
        if field in GUEST_FIELDS:
            return _book_page(request, store, menu, staff, moment, form=form,
                              errors={field: message}, status_code=answer.status)  # fmt: skip
        return _book_page(request, store, menu, staff, moment, form=form,
                          error=message + ("" if answer.status != 409 else FULL_HINT),
                          status_code=answer.status)  # fmt: skip
    response = RedirectResponse(f"{store.path}/done", status_code=303)
    remember_done(request, response, tenant=store.tenant, summary={
        "starts_at": answer.body["starts_at"], "ends_at": answer.body["ends_at"],
        "menu": menu.name, "duration": menu.duration_minutes, "price": menu.price_yen,
        "staff": staff.name if staff else "指名なし", "email": me.email if me else normal(email),
        "new_account": me is None,
    })  # fmt: skip
    return response


@router.get(PREFIX + "/done")
async def done(request: Request, store: StoreDep) -> Response:
    placeholder = Response()
    summary = take_done(request, placeholder, tenant=store.tenant)
    if summary is None or "starts_at" not in summary:
        return RedirectResponse(f"{store.path}/my" if customer_of(request, store) else store.path,
                                status_code=303)  # fmt: skip
    response = page(request, store, "site_done.html", done=summary)
    for header in placeholder.headers.getlist("set-cookie"):
        response.headers.append("set-cookie", header)
    return response
