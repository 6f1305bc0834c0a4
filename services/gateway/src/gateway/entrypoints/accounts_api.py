"""GW-1 in the public API: アカウント一覧 (admin), マイアカウント, the store switcher, ending
every session, and the links sent by mail (invitation, password reset), which are reached
without a session. Accounts are the gateway's own data, so the admin rule is checked here."""

from datetime import UTC, datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Request, Response, status
from kit.errors import Forbidden, error_response
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from gateway.adapters.orm import Store
from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.domain import store_contact
from gateway.entrypoints.deps import CurrentStaff, TxDep, session_token
from gateway.entrypoints.relays import ADMIN_ROLES, STAFF_ROLES
from gateway.use_cases import account_admin, accounts, invitations, my_account
from gateway.use_cases.account_admin import ADMIN_ONLY
from gateway.use_cases.accounts import Staff

router = APIRouter(prefix="/api/v1", tags=["アカウント"])
Name = Annotated[str, Field(min_length=1, max_length=100)]
Secret = Annotated[str, Field(min_length=1, max_length=1000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AccountWrite(Strict):
    display_name: Name
    role: Literal["admin", "general"]
    store_ids: list[UUID] = Field(default_factory=list, max_length=500)
    active: bool = True


class AccountCreate(AccountWrite):
    email: EmailStr


class AccountRead(BaseModel):
    id: UUID
    email: str
    display_name: str
    role: Literal["admin", "general"]
    active: bool
    store_ids: list[UUID]


class ProfileWrite(Strict):
    display_name: Name
    email: EmailStr


class PasswordChange(Strict):
    current_password: Secret
    new_password: Secret


class NewPassword(Strict):
    password: Secret


class ResetRequest(Strict):
    email: EmailStr


class StoreChoice(Strict):
    store_id: UUID


class LinkRead(BaseModel):
    email: str
    display_name: str


async def admin_staff(staff: CurrentStaff) -> Staff:
    if not staff.is_admin:
        raise Forbidden(ADMIN_ONLY, code="admin_only")
    return staff


AdminStaff = Annotated[Staff, Depends(admin_staff)]
ADMIN = {"x-roles": list(ADMIN_ROLES)}
STAFF = {"x-roles": list(STAFF_ROLES)}
PUBLIC = {"security": []}


def _read(row: account_admin.AccountRow) -> AccountRead:
    u = row.user
    return AccountRead(id=u.id, email=u.email, display_name=u.display_name,
                       role=u.role, active=u.active, store_ids=row.store_ids)  # type: ignore[arg-type]  # fmt: skip


def _public_url(request: Request) -> str:
    return request.app.state.runtime.settings.public_url


@router.get("/accounts", openapi_extra=ADMIN)
async def list_accounts(admin: AdminStaff, request: Request) -> list[AccountRead]:
    async with request.app.state.runtime.uow(tenant_id=admin.tenant_id) as uow:
        return [_read(row) for row in await account_admin.accounts(uow=uow)]


@router.post("/accounts", status_code=201, openapi_extra=ADMIN)
async def add_account(body: AccountCreate, admin: AdminStaff, request: Request) -> AccountRead:
    """The new user gets an invitation mail to set their password."""
    change = account_admin.AccountChange(body.display_name, body.role, body.store_ids, True)
    tx = request.app.state.runtime.transactions(tenant_id=admin.tenant_id)
    user = await tx.run(lambda uow: account_admin.add_account(
        admin, email=body.email, change=change, public_url=_public_url(request),
        now=datetime.now(UTC), uow=uow))  # fmt: skip
    return _read(account_admin.AccountRow(user, list(dict.fromkeys(body.store_ids))))


@router.put("/accounts/{user_id}", openapi_extra=ADMIN)
async def edit_account(
    user_id: UUID, body: AccountWrite, admin: CurrentStaff, request: Request
) -> AccountRead:
    """Name, role, stores; ``active: false`` disables the user and ends their sessions.
    管理者 only, checked once the user is found (another tenant's is 404)."""
    change = account_admin.AccountChange(body.display_name, body.role, body.store_ids, body.active)
    tx = request.app.state.runtime.transactions(tenant_id=admin.tenant_id)
    user = await tx.run(
        lambda uow: account_admin.edit_account(admin, user_id=user_id, change=change, uow=uow)
    )
    return _read(account_admin.AccountRow(user, list(dict.fromkeys(body.store_ids))))


Contact = Annotated[str, Field(max_length=200)]


class StoreWrite(Strict):
    code: Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[0-9A-Za-z_-]+$")]
    name: Name
    # 住所・電話番号: all or none; left out, they stay as they are.
    postal_code: Contact | None = None
    prefecture: Contact | None = None
    city: Contact | None = None
    street: Contact | None = None
    building: Contact | None = None
    phone: Contact | None = None


class StoreRead(BaseModel):
    id: UUID
    code: str
    name: str
    postal_code: str = ""
    prefecture: str = ""
    city: str = ""
    street: str = ""
    building: str = ""
    phone: str = ""
    active: bool = True


def _store(store: Store) -> StoreRead:
    return StoreRead(id=store.id, code=store.code, name=store.name,
                     postal_code=store.postal_code, prefecture=store.prefecture,
                     city=store.city, street=store.street, building=store.building,
                     phone=store.phone, active=store.active)  # fmt: skip


@router.put("/stores/{store_id}", openapi_extra=ADMIN)
async def change_store(
    store_id: UUID, body: StoreWrite, staff: CurrentStaff, request: Request
) -> StoreRead:
    """店舗名・店舗コード・住所・電話番号 (issue 13). 管理者 only, checked once the store is
    found (another tenant's is 404). The phone as 03-1234-5678, the postal code 7 digits; every
    wrong field is listed in ``errors``. Its hours and the rest of its booking settings are
    booking's (``PUT /api/v1/booking/stores/{store_id}``)."""
    tx = request.app.state.runtime.transactions(tenant_id=staff.tenant_id)
    given = body.model_dump(exclude={"code", "name"})
    contact = None if all(v is None for v in given.values()) else store_contact.checked(**given)

    async def change(uow: GatewayUnitOfWork) -> StoreRead:
        store = await account_admin.change_store(
            staff, store_id=store_id, code=body.code, name=body.name, contact=contact, uow=uow
        )
        return _store(store)  # read in the session

    return await tx.run(change)


@router.post("/stores/{store_id}/retire", openapi_extra=ADMIN)
async def retire_store(store_id: UUID, staff: CurrentStaff, request: Request) -> StoreRead:
    """店舗の廃止: not offered any more (switcher, pickers, booking site: 404); old records keep
    its name. The tenant's last active store: 409 ``last_store``. 管理者 only."""
    tx = request.app.state.runtime.transactions(tenant_id=staff.tenant_id)

    async def retire(uow: GatewayUnitOfWork) -> StoreRead:
        return _store(await account_admin.retire_store(
            staff, store_id=store_id, now=datetime.now(UTC), uow=uow))  # fmt: skip

    return await tx.run(retire)


@router.post("/stores/{store_id}/restore", openapi_extra=ADMIN)
async def restore_store(store_id: UUID, staff: CurrentStaff, request: Request) -> StoreRead:
    """廃止の取り消し. 管理者 only."""
    tx = request.app.state.runtime.transactions(tenant_id=staff.tenant_id)

    async def restore(uow: GatewayUnitOfWork) -> StoreRead:
        return _store(await account_admin.restore_store(staff, store_id=store_id, uow=uow))

    return await tx.run(restore)


@router.post("/accounts/{user_id}/invitation", status_code=204, openapi_extra=ADMIN)
async def resend_invitation(user_id: UUID, admin: CurrentStaff, request: Request) -> Response:
    tx = request.app.state.runtime.transactions(tenant_id=admin.tenant_id)
    await tx.run(lambda uow: account_admin.resend_invitation(
        admin, user_id=user_id, public_url=_public_url(request), now=datetime.now(UTC),
        uow=uow))  # fmt: skip
    return Response(status_code=204)


@router.put("/me", status_code=204, openapi_extra=STAFF)
async def update_me(body: ProfileWrite, staff: CurrentStaff, tx: TxDep) -> Response:
    await tx.run(lambda uow: my_account.update_profile(
        staff, display_name=body.display_name, email=body.email, uow=uow))  # fmt: skip
    return Response(status_code=204)


@router.post("/me/password", status_code=204, openapi_extra=STAFF)
async def change_password(
    body: PasswordChange, staff: CurrentStaff, tx: TxDep, request: Request
) -> Response:
    """The caller's other sessions end; this one stays."""
    token = session_token(request) or ""
    await tx.run(lambda uow: my_account.change_password(
        staff, current=body.current_password, new=body.new_password, session_token=token,
        uow=uow))  # fmt: skip
    return Response(status_code=204)


@router.post("/me/store", status_code=204, openapi_extra=STAFF)
async def switch_store(
    body: StoreChoice, staff: CurrentStaff, tx: TxDep, request: Request
) -> Response:
    """The store the user works in now, kept in the session (one of their own stores)."""
    token = session_token(request) or ""
    switched = await tx.run(
        lambda uow: accounts.switch_store(token, staff, store_id=body.store_id, uow=uow)
    )
    if not switched:
        return _not_found("店舗が見つかりません。")
    return Response(status_code=204)


@router.post("/auth/logout-all", status_code=204, openapi_extra=STAFF)
async def sign_out_everywhere(staff: CurrentStaff, tx: TxDep) -> Response:
    """ログアウト（すべての端末）: every session of the caller ends, this one too."""
    await tx.run(lambda uow: accounts.sign_out_everywhere(staff, uow=uow))
    return Response(status_code=204)


@router.post("/password-resets", status_code=202, openapi_extra=PUBLIC)
async def request_reset(body: ResetRequest, tx: TxDep, request: Request) -> dict[str, str]:
    """The same answer whether the mail is an account's or not."""
    await tx.run(lambda uow: invitations.request_reset(
        email=body.email, public_url=_public_url(request), now=datetime.now(UTC), uow=uow))  # fmt: skip
    return {"message": RESET_SENT}


RESET_SENT = (
    "ご入力のメールアドレスが登録されている場合は、パスワード再設定のご案内をお送りしました。"
)


@router.get("/invitations/{token}", openapi_extra=PUBLIC)
async def invitation(token: Annotated[str, Path(max_length=200)], request: Request) -> LinkRead:
    return await _link(request, token, "invitation")


@router.post("/invitations/{token}", status_code=204, openapi_extra=PUBLIC)
async def accept_invitation(token: str, body: NewPassword, tx: TxDep) -> Response:
    await tx.run(lambda uow: invitations.use_link(
        token, purpose="invitation", password=body.password, now=datetime.now(UTC), uow=uow))  # fmt: skip
    return Response(status_code=204)


@router.post("/password-resets/{token}", status_code=204, openapi_extra=PUBLIC)
async def reset_password(token: str, body: NewPassword, tx: TxDep) -> Response:
    await tx.run(lambda uow: invitations.use_link(
        token, purpose="reset", password=body.password, now=datetime.now(UTC), uow=uow))  # fmt: skip
    return Response(status_code=204)


async def _link(request: Request, token: str, purpose: str) -> LinkRead:
    async with request.app.state.runtime.uow(tenant_id=None) as uow:
        user = await invitations.link_user(token, purpose=purpose, now=datetime.now(UTC), uow=uow)
        return LinkRead(email=user.email, display_name=user.display_name)


def _not_found(message: str) -> Response:
    return error_response(status.HTTP_404_NOT_FOUND, "not_found", message)
