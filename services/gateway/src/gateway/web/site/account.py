"""The booking site's customer account (seed 003): 会員登録 (a temporary password by mail),
ログイン (throttled; one answer for an unknown mail and a wrong password), パスワード変更,
仮パスワードの再発行, and マイページ: my reservations, 日時変更 and キャンセル within the store's
window. Another customer's or tenant's reservation is the site's 404 page."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from kit import clock

from gateway.domain.site_forms import email_errors, guest_errors, normal, password_errors
from gateway.entrypoints.deps import ServicesDep
from gateway.use_cases import site
from gateway.web.common.formatting import jdatetime
from gateway.web.site import common
from gateway.web.site.common import SiteNotFound, StoreDep, base_url, customer_of, page, parse_uuid
from gateway.web.site.session import SiteCustomer, remember_done, sign_in, sign_out, take_done

router = APIRouter()
PREFIX = "/r/{tenant}/{store}"
WRONG = "メールアドレスまたはパスワードが正しくありません。"
HOLDING = {"tentative", "prepayment_unpaid", "reserved", "prepaid"}


def _to_login(store, next_page: str) -> Response:  # type: ignore[no-untyped-def]
    return RedirectResponse(f"{store.path}/login?next={next_page}", status_code=303)


# 会員登録 ------------------------------------------------------------------------------


@router.get(PREFIX + "/register")
async def register_form(request: Request, store: StoreDep) -> Response:
    return page(request, store, "site_register.html", form={}, errors={})


@router.post(PREFIX + "/register")
async def register(
    request: Request, store: StoreDep, services: ServicesDep,
    name: Annotated[str, Form(max_length=100)] = "", name_kana: Annotated[str, Form(max_length=100)] = "",
    email: Annotated[str, Form(max_length=254)] = "", phone: Annotated[str, Form(max_length=30)] = "",
) -> Response:  # fmt: skip
    form = {"name": name, "name_kana": name_kana, "email": email, "phone": phone}
    errors = guest_errors(form)
    if errors:
        return page(request, store, "site_register.html", 422, form=form, errors=errors)
    if not common.allowed(request, store, action="mail", email=email,
                          per_mail=common.MAILS_PER_MAIL, per_client=common.MAILS_PER_CLIENT):  # fmt: skip
        return page(request, store, "site_register.html", 429, form=form, errors={},
                    error=common.THROTTLED)  # fmt: skip
    reply = await store.accounts(services).register({
        **{k: normal(v) for k, v in form.items()}, "store_id": str(store.store_id),
        "links": site.links(store, base_url(request))})  # fmt: skip
    if not reply.ok:  # the service's own words, beside its field
        field = (reply.data or {}).get("detail", {}).get("field")
        message = reply.message or "入力内容をご確認ください。"
        errors = {field: message} if field in form else {}
        return page(request, store, "site_register.html", reply.status_code, form=form,
                    errors=errors, error=None if errors else message)  # fmt: skip
    return page(request, store, "site_sent.html", kind="register")


# ログイン / ログアウト -------------------------------------------------------------------


def _next(store, value: str | None) -> str:  # type: ignore[no-untyped-def]
    own = f"{store.path}/"
    return (
        value if value and value.startswith(own) and "//" not in value[1:] else f"{store.path}/my"
    )


@router.get(PREFIX + "/login")
async def login_form(request: Request, store: StoreDep, next: str | None = None) -> Response:
    return page(request, store, "site_login.html", next=_next(store, next), email="", error=None)


@router.post(PREFIX + "/login")
async def login(
    request: Request, store: StoreDep, services: ServicesDep,
    email: Annotated[str, Form(max_length=254)] = "", password: Annotated[str, Form(max_length=128)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:  # fmt: skip
    target = _next(store, next)
    context = {"next": target, "email": email}
    if not email or not password:
        return page(request, store, "site_login.html", 422, **context,
                    error="メールアドレスとパスワードを入力してください。")  # fmt: skip
    if not common.allowed(request, store, action="sign-in", email=email,
                          per_mail=common.SIGN_IN_PER_MAIL, per_client=common.SIGN_IN_PER_CLIENT):  # fmt: skip
        return page(request, store, "site_login.html", 429, **context, error=common.THROTTLED)
    signed = await store.accounts(services).sign_in(email=normal(email), password=password)
    if signed is None:
        return page(request, store, "site_login.html", 401, **context, error=WRONG)
    me = SiteCustomer(
        store.tenant_id, signed.customer_id, signed.name, signed.email, signed.must_change
    )
    response = RedirectResponse(
        f"{store.path}/password" if me.must_change else target, status_code=303
    )
    sign_in(request, response, tenant=store.tenant, customer=me)
    return response


@router.post(PREFIX + "/logout")
async def logout(store: StoreDep) -> Response:
    response = RedirectResponse(store.path, status_code=303)
    sign_out(response, tenant=store.tenant)
    return response


# パスワード ---------------------------------------------------------------------------


@router.get(PREFIX + "/password")
async def password_form(request: Request, store: StoreDep) -> Response:
    me = customer_of(request, store)
    if me is None:
        return _to_login(store, f"{store.path}/password")
    return page(request, store, "site_password.html", me=me, errors={})


@router.post(PREFIX + "/password")
async def change_password(
    request: Request, store: StoreDep, services: ServicesDep,
    current_password: Annotated[str, Form(max_length=128)] = "",
    new_password: Annotated[str, Form(max_length=128)] = "",
    new_password_again: Annotated[str, Form(max_length=128)] = "",
) -> Response:  # fmt: skip
    me = customer_of(request, store)
    if me is None:
        return _to_login(store, f"{store.path}/password")
    errors = password_errors(current=current_password, new=new_password, again=new_password_again)
    if not errors:
        reply = await store.accounts(services, me.customer_id).change_password(
            {"current_password": current_password, "new_password": new_password})  # fmt: skip
        if reply.ok:
            changed = SiteCustomer(me.tenant_id, me.customer_id, me.name, me.email, False)
            response = RedirectResponse(f"{store.path}/my", status_code=303)
            sign_in(request, response, tenant=store.tenant, customer=changed)
            remember_done(request, response, tenant=store.tenant,
                          summary={"notice": "パスワードを変更しました。"})  # fmt: skip
            return response
        field = (reply.data or {}).get("detail", {}).get("field") or "new_password"
        errors = {field: reply.message or "入力内容をご確認ください。"}
    return page(request, store, "site_password.html", 422, me=me, errors=errors)


@router.get(PREFIX + "/reset")
async def reset_form(request: Request, store: StoreDep) -> Response:
    return page(request, store, "site_reset.html", email="", errors={})


@router.post(PREFIX + "/reset")
async def reset(request: Request, store: StoreDep, services: ServicesDep,
                email: Annotated[str, Form(max_length=254)] = "") -> Response:  # fmt: skip
    errors = email_errors(email)
    if errors:
        return page(request, store, "site_reset.html", 422, email=email, errors=errors)
    if not common.allowed(request, store, action="mail", email=email,
                          per_mail=common.MAILS_PER_MAIL, per_client=common.MAILS_PER_CLIENT):  # fmt: skip
        return page(request, store, "site_reset.html", 429, email=email, errors={},
                    error=common.THROTTLED)  # fmt: skip
    await store.accounts(services).reset({"email": normal(email),
                                          "links": site.links(store, base_url(request))})  # fmt: skip
    return page(request, store, "site_sent.html", kind="reset")


# マイページ ---------------------------------------------------------------------------


@router.get(PREFIX + "/my")
async def my_page(request: Request, store: StoreDep, services: ServicesDep) -> Response:
    me = customer_of(request, store)
    if me is None:
        return _to_login(store, f"{store.path}/my")
    if me.must_change:
        return RedirectResponse(f"{store.path}/password", status_code=303)
    visits = await store.reservations(services, me.customer_id).visits() or []
    now = clock.now()
    upcoming = sorted((v for v in visits if v.status in HOLDING and v.ends_at > now),
                      key=lambda v: v.starts_at)  # fmt: skip
    past = [v for v in visits if v not in upcoming]
    holder = Response()
    flash = take_done(request, holder, tenant=store.tenant)
    response = page(request, store, "site_my.html", me=me, upcoming=upcoming, past=past,
                    notice=(flash or {}).get("notice"))  # fmt: skip
    for header in holder.headers.getlist("set-cookie"):
        response.headers.append("set-cookie", header)
    return response


def _not_changeable(request: Request, store, me, visit) -> Response | None:  # type: ignore[no-untyped-def]
    """The form of a reservation past its window (or cancelled) says so instead of offering
    what booking would refuse; booking still decides on the post."""
    if visit.changeable:
        return None
    if visit.status in HOLDING:
        error = (f"ご予約の変更・キャンセルは{jdatetime(visit.changeable_until)}までです。"
                 "お手数ですが、店舗へお電話でご連絡ください。")  # fmt: skip
    else:
        error = "このご予約は予約サイトから変更・キャンセルできません。"
    return page(request, store, "site_refused.html", 409, me=me, visit=visit, error=error)


async def _my_visit(request: Request, store, visit_id: str, services):  # type: ignore[no-untyped-def]
    me = customer_of(request, store)
    if me is None:
        return None, None
    wanted = parse_uuid(visit_id)
    visits = await store.reservations(services, me.customer_id).visits() or []
    visit = next((v for v in visits if v.id == wanted), None)
    if visit is None:
        raise SiteNotFound()
    return me, visit


@router.get(PREFIX + "/my/{visit_id}/change")
async def change_form(request: Request, store: StoreDep, visit_id: str, services: ServicesDep,
                      day: str | None = None, error: str | None = None) -> Response:  # fmt: skip
    me, visit = await _my_visit(request, store, visit_id, services)
    if me is None:
        return _to_login(store, f"{store.path}/my")
    if refused := _not_changeable(request, store, me, visit):
        return refused
    found = await site.catalogue(store, services=services)
    menu = found.menu(visit.menu_id) if found else None
    if found is None or menu is None:
        raise SiteNotFound()
    staff = found.member(visit.staff_member_id)
    try:
        first = date.fromisoformat(day) if day else None
    except ValueError:
        first = None
    week = await site.week(store, menu=menu, staff=staff, members=found.staff_members,
                           day=first, services=services)  # fmt: skip
    return page(request, store, "site_change.html", me=me, visit=visit, week=week, error=None)


async def _answer(request: Request, store, me, visit, reply, services, notice: str) -> Response:  # type: ignore[no-untyped-def]
    if reply.ok:
        response = RedirectResponse(f"{store.path}/my", status_code=303)
        remember_done(request, response, tenant=store.tenant, summary={"notice": notice})
        return response
    if reply.status_code == 404:
        raise SiteNotFound()
    return page(request, store, "site_refused.html", reply.status_code, me=me, visit=visit,
                error=reply.message or "処理できませんでした。")  # fmt: skip


@router.post(PREFIX + "/my/{visit_id}/change")
async def change(request: Request, store: StoreDep, visit_id: str, services: ServicesDep,
                 starts_at: Annotated[str, Form(max_length=40)]) -> Response:  # fmt: skip
    me, visit = await _my_visit(request, store, visit_id, services)
    if me is None:
        return _to_login(store, f"{store.path}/my")
    reply = await store.reservations(services, me.customer_id).move(visit.id, {
        "starts_at": starts_at, "mail": site.site_mail(store, base_url(request), me.email)})  # fmt: skip
    return await _answer(request, store, me, visit, reply, services, "ご予約の日時を変更しました。")


@router.get(PREFIX + "/my/{visit_id}/cancel")
async def cancel_form(
    request: Request, store: StoreDep, visit_id: str, services: ServicesDep
) -> Response:
    me, visit = await _my_visit(request, store, visit_id, services)
    if me is None:
        return _to_login(store, f"{store.path}/my")
    return _not_changeable(request, store, me, visit) or page(
        request, store, "site_cancel.html", me=me, visit=visit
    )


@router.post(PREFIX + "/my/{visit_id}/cancel")
async def cancel(
    request: Request, store: StoreDep, visit_id: str, services: ServicesDep
) -> Response:
    me, visit = await _my_visit(request, store, visit_id, services)
    if me is None:
        return _to_login(store, f"{store.path}/my")
    reply = await store.reservations(services, me.customer_id).cancel(
        visit.id, {"mail": site.site_mail(store, base_url(request), me.email)}
    )
    return await _answer(request, store, me, visit, reply, services, "ご予約をキャンセルしました。")
