"""The account pages. Accounts are the gateway's own data: the pages call the use cases
(``use_cases/account_admin``, ``my_account``, ``invitations``) as the API does."""

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from kit.errors import DomainError
from pydantic import EmailStr, TypeAdapter, ValidationError

from gateway.entrypoints.accounts_api import RESET_SENT
from gateway.entrypoints.deps import SESSION_COOKIE, TxDep, session_token
from gateway.use_cases import account_admin, accounts, invitations, my_account
from gateway.use_cases.account_admin import ADMIN_ONLY
from gateway.use_cases.accounts import Staff, StoreRef
from gateway.web.common.answers import not_found
from gateway.web.common.deps import StaffPage, tenant_uow
from gateway.web.common.templating import render

router = APIRouter(include_in_schema=False)
EMAIL = TypeAdapter(EmailStr)
BAD_EMAIL = "メールアドレスの形式が正しくありません。例: hanako@example.com"
NAME_REQUIRED = "氏名を入力してください。"


def _valid_email(value: str) -> bool:
    try:
        EMAIL.validate_python(value.strip())
    except ValidationError:
        return False
    return True


def _forbidden(request: Request, staff: Staff) -> Response:
    return render(request, "not_found.html", {"staff": staff, "message": ADMIN_ONLY}, 403)


async def _views(uow) -> tuple[list[SimpleNamespace], list[StoreRef]]:  # type: ignore[no-untyped-def]
    """The accounts and stores as plain values (the unit's end expires its rows)."""
    rows = [
        SimpleNamespace(user=SimpleNamespace(id=r.user.id, email=r.user.email,
                        display_name=r.user.display_name, role=r.user.role,
                        active=r.user.active), store_ids=r.store_ids)
        for r in await account_admin.accounts(uow=uow)
    ]  # fmt: skip
    stores = [StoreRef(s.id, s.code, s.label, s.active) for s in await uow.accounts.stores()]
    return rows, stores


async def _list_context(request: Request, staff: Staff) -> dict:
    async with tenant_uow(request, staff) as uow:
        rows, stores = await _views(uow)
    return {"staff": staff, "nav": "accounts", "rows": rows, "stores": stores,
            "store_names": {s.id: s.name for s in stores}, "roles": account_admin.ROLES}  # fmt: skip


@router.get("/accounts")
async def accounts_page(request: Request, staff: StaffPage) -> Response:
    if not staff.is_admin:
        return _forbidden(request, staff)
    context = await _list_context(request, staff)
    return render(request, "accounts.html", {**context, "errors": {}, "entered": {}})


def _change(display_name: str, role: str, store_ids: list[str], active: bool) -> tuple[
    account_admin.AccountChange | None, dict[str, str]
]:  # fmt: skip
    errors: dict[str, str] = {}
    if not display_name.strip():
        errors["display_name"] = NAME_REQUIRED
    elif len(display_name) > 100:
        errors["display_name"] = "氏名は100文字以内で入力してください。"
    if role not in account_admin.ROLES:
        errors["role"] = "権限は 管理者 か 一般 を選んでください。"
    ids: list[UUID] = []
    for raw in store_ids:
        try:
            ids.append(UUID(raw))
        except ValueError:
            errors["store_ids"] = "所属店舗の指定が正しくありません。"
    if errors:
        return None, errors
    return account_admin.AccountChange(display_name.strip(), role, ids, active), errors


@router.post("/accounts")
async def add_account(
    request: Request,
    staff: StaffPage,
    email: Annotated[str, Form(max_length=254)] = "",
    display_name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=20)] = "general",
    store_ids: Annotated[list[str], Form()] = [],  # noqa: B006
) -> Response:
    if not staff.is_admin:
        return _forbidden(request, staff)
    change, errors = _change(display_name, role, store_ids, True)
    if not _valid_email(email):
        errors["email"] = BAD_EMAIL if email.strip() else "メールアドレスを入力してください。"
    if change is not None and not errors:
        tx = request.app.state.runtime.transactions(tenant_id=staff.tenant_id)
        url = request.app.state.runtime.settings.public_url
        try:
            await tx.run(lambda uow: account_admin.add_account(
                staff, email=email, change=change, public_url=url, now=datetime.now(UTC),
                uow=uow))  # fmt: skip
        except DomainError as exc:
            errors[exc.field or "email"] = exc.message
        else:
            context = await _list_context(request, staff)
            notice = f"{email.strip().lower()} に招待メールを送りました。"
            return render(request, "accounts.html", {**context, "errors": {}, "entered": {},
                                                     "notice": notice})  # fmt: skip
    context = await _list_context(request, staff)
    entered = {"email": email, "display_name": display_name, "role": role, "store_ids": store_ids}
    return render(request, "accounts.html", {**context, "errors": errors, "entered": entered}, 422)


async def _account(request: Request, staff: Staff, user_id: str):  # type: ignore[no-untyped-def]
    try:
        wanted = UUID(user_id)
    except ValueError:
        return None
    async with tenant_uow(request, staff) as uow:
        rows, stores = await _views(uow)
    return next((r for r in rows if r.user.id == wanted), None), stores


@router.get("/accounts/{user_id}")
async def account_page(request: Request, staff: StaffPage, user_id: str) -> Response:
    found = await _account(request, staff, user_id)
    if found is None or found[0] is None:  # another tenant's user: 404 for anyone
        return not_found(request, staff, "アカウントが見つかりません。")
    if not staff.is_admin:
        return _forbidden(request, staff)
    row, stores = found
    entered = {"display_name": row.user.display_name, "role": row.user.role,
               "store_ids": [str(s) for s in row.store_ids], "active": row.user.active}  # fmt: skip
    return render(request, "account_edit.html", {"staff": staff, "nav": "accounts", "row": row,
                  "stores": stores, "entered": entered, "errors": {}, "roles": account_admin.ROLES})  # fmt: skip


@router.post("/accounts/{user_id}")
async def edit_account(
    request: Request,
    staff: StaffPage,
    user_id: str,
    display_name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=20)] = "general",
    store_ids: Annotated[list[str], Form()] = [],  # noqa: B006
    active: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    found = await _account(request, staff, user_id)
    if found is None or found[0] is None:
        return not_found(request, staff, "アカウントが見つかりません。")
    if not staff.is_admin:
        return _forbidden(request, staff)
    row, stores = found
    change, errors = _change(display_name, role, store_ids, active == "on")
    if change is not None:
        tx = request.app.state.runtime.transactions(tenant_id=staff.tenant_id)
        try:
            await tx.run(lambda uow: account_admin.edit_account(
                staff, user_id=row.user.id, change=change, uow=uow))  # fmt: skip
        except DomainError as exc:
            errors[exc.field or "display_name"] = exc.message
        else:
            return RedirectResponse("/accounts", status_code=303)
    entered = {"display_name": display_name, "role": role, "store_ids": store_ids,
               "active": active == "on"}  # fmt: skip
    return render(request, "account_edit.html", {"staff": staff, "nav": "accounts", "row": row,
                  "stores": stores, "entered": entered, "errors": errors,
                  "roles": account_admin.ROLES}, 422)  # fmt: skip


@router.post("/accounts/{user_id}/invitation")
async def resend_invitation(request: Request, staff: StaffPage, user_id: str) -> Response:
    """招待メールを再送: a new link (the earlier ones stop working)."""
    found = await _account(request, staff, user_id)
    if found is None or found[0] is None:
        return not_found(request, staff, "アカウントが見つかりません。")
    if not staff.is_admin:
        return _forbidden(request, staff)
    row = found[0]
    tx = request.app.state.runtime.transactions(tenant_id=staff.tenant_id)
    url = request.app.state.runtime.settings.public_url
    try:
        await tx.run(lambda uow: account_admin.resend_invitation(
            staff, user_id=row.user.id, public_url=url, now=datetime.now(UTC), uow=uow))  # fmt: skip
    except DomainError as exc:
        return not_found(request, staff, exc.message)
    context = await _list_context(request, staff)
    notice = f"{row.user.email} に招待メールを再送しました。"
    return render(request, "accounts.html", {**context, "errors": {}, "entered": {},
                                             "notice": notice})  # fmt: skip


@router.get("/me")
async def my_account_page(request: Request, staff: StaffPage) -> Response:
    return render(request, "my_account.html", {"staff": staff, "errors": {}, "entered": {}})


@router.post("/me")
async def update_me(
    request: Request,
    staff: StaffPage,
    tx: TxDep,
    display_name: Annotated[str, Form(max_length=200)] = "",
    email: Annotated[str, Form(max_length=254)] = "",
) -> Response:
    errors: dict[str, str] = {}
    if not display_name.strip():
        errors["display_name"] = NAME_REQUIRED
    if not _valid_email(email):
        errors["email"] = BAD_EMAIL if email.strip() else "メールアドレスを入力してください。"
    if not errors:
        try:
            await tx.run(lambda uow: my_account.update_profile(
                staff, display_name=display_name.strip(), email=email, uow=uow))  # fmt: skip
        except DomainError as exc:
            errors[exc.field or "email"] = exc.message
        else:
            return RedirectResponse("/me", status_code=303)
    entered = {"display_name": display_name, "email": email}
    return render(
        request, "my_account.html", {"staff": staff, "errors": errors, "entered": entered}, 422
    )


@router.post("/me/password")
async def change_password(
    request: Request,
    staff: StaffPage,
    tx: TxDep,
    current_password: Annotated[str, Form(max_length=1000)] = "",
    new_password: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    try:
        await tx.run(lambda uow: my_account.change_password(
            staff, current=current_password, new=new_password,
            session_token=session_token(request) or "", uow=uow))  # fmt: skip
    except DomainError as exc:
        errors = {exc.field or "new_password": exc.message}
        return render(
            request, "my_account.html", {"staff": staff, "errors": errors, "entered": {}}, 422
        )
    return render(request, "my_account.html", {"staff": staff, "errors": {}, "entered": {},
                                               "notice": "パスワードを変更しました。"})  # fmt: skip


@router.post("/logout-all")
async def logout_everywhere(request: Request, staff: StaffPage, tx: TxDep) -> Response:
    await tx.run(lambda uow: accounts.sign_out_everywhere(staff, uow=uow))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/store")
async def switch_store(
    request: Request,
    staff: StaffPage,
    tx: TxDep,
    store_id: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """The header's switcher: back to the page it was used on."""
    token = session_token(request) or ""
    try:
        wanted = UUID(store_id)
    except ValueError:
        return not_found(request, staff, "店舗が見つかりません。")
    if not await tx.run(lambda uow: accounts.switch_store(token, staff, store_id=wanted, uow=uow)):
        return not_found(request, staff, "店舗が見つかりません。")
    referer = request.headers.get("referer", "")
    path = "/" + referer.split("://", 1)[-1].split("/", 1)[-1] if "://" in referer else "/"
    return RedirectResponse(path if not path.startswith("//") else "/", status_code=303)


# The mailed links: no session.
@router.get("/invitations/{token}")
async def invitation_page(request: Request, token: str) -> Response:
    return await _link_page(request, token, "invitation")


@router.post("/invitations/{token}")
async def accept_invitation(
    request: Request, token: str, tx: TxDep, password: Annotated[str, Form(max_length=1000)] = ""
) -> Response:
    return await _use_link(request, token, "invitation", password, tx)


@router.get("/password-reset")
async def reset_request_page(request: Request) -> Response:
    return render(request, "reset_request.html", {"errors": {}, "entered": {}})


@router.post("/password-reset")
async def request_reset(
    request: Request, tx: TxDep, email: Annotated[str, Form(max_length=254)] = ""
) -> Response:
    if not _valid_email(email):
        errors = {"email": BAD_EMAIL if email.strip() else "メールアドレスを入力してください。"}
        return render(
            request, "reset_request.html", {"errors": errors, "entered": {"email": email}}, 422
        )
    url = request.app.state.runtime.settings.public_url
    await tx.run(lambda uow: invitations.request_reset(
        email=email, public_url=url, now=datetime.now(UTC), uow=uow))  # fmt: skip
    return render(request, "reset_request.html", {"errors": {}, "entered": {}, "sent": RESET_SENT})


@router.get("/password-reset/{token}")
async def reset_page(request: Request, token: str) -> Response:
    return await _link_page(request, token, "reset")


@router.post("/password-reset/{token}")
async def reset_password(
    request: Request, token: str, tx: TxDep, password: Annotated[str, Form(max_length=1000)] = ""
) -> Response:
    return await _use_link(request, token, "reset", password, tx)


async def _link_page(request: Request, token: str, purpose: str) -> Response:
    try:
        email, name = await _link_owner(request, token, purpose)
    except DomainError as exc:
        return render(request, "set_password.html", {"unusable": exc.message}, exc.status_code)
    context = {"email": email, "name": name, "purpose": purpose, "errors": {}}
    return render(request, "set_password.html", context)


async def _link_owner(request: Request, token: str, purpose: str) -> tuple[str, str]:
    """Whose link it is, read inside the unit of work (its end expires the row)."""
    async with request.app.state.runtime.uow(tenant_id=None) as uow:
        user = await invitations.link_user(token, purpose=purpose, now=datetime.now(UTC), uow=uow)
        return user.email, user.display_name


async def _use_link(
    request: Request, token: str, purpose: str, password: str, tx: TxDep
) -> Response:
    async def work(uow):  # type: ignore[no-untyped-def]
        user = await invitations.use_link(
            token, purpose=purpose, password=password, now=datetime.now(UTC), uow=uow
        )
        return user.email

    try:
        email = await tx.run(work)
    except DomainError as exc:
        if exc.field != "password":
            return render(request, "set_password.html", {"unusable": exc.message}, exc.status_code)
        email, name = await _link_owner(request, token, purpose)
        context = {"email": email, "name": name, "purpose": purpose,
                   "errors": {"password": exc.message}}  # fmt: skip
        return render(request, "set_password.html", context, 422)
    notice = "パスワードを設定しました。新しいパスワードでログインしてください。"
    return render(request, "login.html", {"next": "/", "error": None, "email": email,
                                          "notice": notice})  # fmt: skip
