"""GW-1: the operator's new company, and アカウント一覧 (an admin adds, edits and disables the
users of their tenant; each user's role and stores)."""

import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from uuid import UUID

from contracts import StoreChangedV1
from contracts.envelope import new_event_id
from kit.errors import Conflict, Forbidden, Invalid, NotFound

from gateway.adapters.orm import Store, Tenant, User
from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.domain.store_contact import StoreContact
from gateway.use_cases.accounts import Staff
from gateway.use_cases.invitations import send_invitation, unusable_password

BUSINESS_TYPES = {"real_estate": "不動産", "salon": "サロン", "mail_order": "通販"}
ROLES = {"admin": "管理者", "general": "一般"}
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{1,39}")
ADMIN_ONLY = "アカウントの管理は管理者のみ行えます。"
EMAIL_TAKEN = "このメールアドレスは既に使われています。別のメールアドレスを入力してください。"


@dataclass(frozen=True)
class NewCompany:
    name: str
    slug: str
    business_types: list[str]
    store_code: str
    store_name: str
    admin_email: str
    admin_name: str


@dataclass(frozen=True)
class AccountChange:
    display_name: str
    role: str
    store_ids: list[UUID]
    active: bool = True


@dataclass(frozen=True)
class AccountRow:
    user: User
    store_ids: list[UUID]


async def create_company(
    spec: NewCompany, *, public_url: str, now: datetime, uow: GatewayUnitOfWork
) -> UUID:
    """The operator's command: the tenant, its first store and its first admin, who is sent
    an invitation. Refuses a slug or a mail address already taken (nothing is written)."""
    unknown = [t for t in spec.business_types if t not in BUSINESS_TYPES]
    if not spec.business_types or unknown:
        raise Invalid("業種は real_estate, salon, mail_order から1つ以上選んでください。",
                      code="invalid_choice", field="business_types")  # fmt: skip
    if not SLUG.fullmatch(spec.slug):
        raise Invalid("スラッグは英小文字・数字・ハイフンの2〜40文字にしてください。",
                      code="invalid_slug", field="slug")  # fmt: skip
    if not (spec.name.strip() and spec.store_code.strip() and spec.store_name.strip()):
        raise Invalid(
            "会社名・店舗コード・店舗名を入力してください。", code="required", field="name"
        )
    if await uow.accounts.tenant_by_slug(slug=spec.slug) is not None:
        raise Conflict("このスラッグの会社は既にあります。", code="slug_taken", field="slug")
    if await uow.accounts.user_by_email(email=spec.admin_email.strip().lower()) is not None:
        raise Conflict(EMAIL_TAKEN, code="email_taken", field="admin_email")
    tenant_id = new_event_id()
    uow.accounts.add(Tenant(id=tenant_id, slug=spec.slug, name=spec.name,
                            industry=spec.business_types[0],
                            business_types=list(spec.business_types)))  # fmt: skip
    await uow.session.flush()
    store_id = new_event_id()
    uow.accounts.add(Store(id=store_id, tenant_id=tenant_id, code=spec.store_code,
                           name=spec.store_name))  # fmt: skip
    await uow.outbox.add(
        StoreChangedV1(store_id=store_id, code=spec.store_code, name=spec.store_name,
                       changed_at=datetime.now(UTC)),
        tenant_id=tenant_id,
    )  # fmt: skip
    user = _new_user(tenant_id, email=spec.admin_email, name=spec.admin_name, role="admin")
    uow.accounts.add(user)
    await uow.session.flush()
    await uow.accounts.set_stores(tenant_id=tenant_id, user_id=user.id, store_ids=[store_id])
    await send_invitation(user, company=spec.name, invited_by="システム管理者",
                          public_url=public_url, now=now, uow=uow)  # fmt: skip
    return tenant_id


async def add_store(*, slug: str, code: str, name: str, uow: GatewayUnitOfWork) -> UUID:
    """The operator's second (third…) store of a company; its admins then give it staff."""
    tenant = await uow.accounts.tenant_by_slug(slug=slug)
    if tenant is None:
        raise NotFound("このスラッグの会社はありません。", field="slug")
    if not (code.strip() and name.strip()):
        raise Invalid("店舗コードと店舗名を入力してください。", code="required", field="code")
    if await uow.accounts.store_by_code(tenant_id=tenant.id, code=code) is not None:
        raise Conflict(
            "この店舗コードは既に使われています。", code="store_code_taken", field="code"
        )
    store_id = new_event_id()
    uow.accounts.add(Store(id=store_id, tenant_id=tenant.id, code=code, name=name))
    await uow.outbox.add(
        StoreChangedV1(store_id=store_id, code=code, name=name, changed_at=datetime.now(UTC)),
        tenant_id=tenant.id,
    )
    return store_id


async def accounts(*, uow: GatewayUnitOfWork) -> list[AccountRow]:
    """アカウント一覧 of the unit's tenant."""
    memberships = await uow.accounts.memberships()
    return [AccountRow(u, memberships.get(u.id, [])) for u in await uow.accounts.users()]


async def add_account(
    admin: Staff, *, email: str, change: AccountChange, public_url: str, now: datetime,
    uow: GatewayUnitOfWork,
) -> User:  # fmt: skip
    await _check(admin, change, uow=uow)
    if await uow.accounts.user_by_email(email=email.strip().lower()) is not None:
        raise Conflict(EMAIL_TAKEN, code="email_taken", field="email")
    user = _new_user(admin.tenant_id, email=email, name=change.display_name, role=change.role)
    uow.accounts.add(user)
    await uow.session.flush()
    await uow.accounts.set_stores(tenant_id=admin.tenant_id, user_id=user.id,
                                  store_ids=change.store_ids)  # fmt: skip
    await send_invitation(user, company=admin.company, invited_by=f"{admin.display_name}様",
                          public_url=public_url, now=now, uow=uow)  # fmt: skip
    return user


async def edit_account(
    admin: Staff, *, user_id: UUID, change: AccountChange, uow: GatewayUnitOfWork
) -> User:
    """Name, role, stores, and 利用停止 (a disabled user's sessions end at once). An admin
    cannot demote or disable themself: the tenant would lose its last way in."""
    user = await uow.accounts.user(user_id=user_id)
    if user is None:
        raise NotFound("アカウントが見つかりません。")
    if not admin.is_admin:  # after the lookup: another tenant's user is 404 for anyone
        raise Forbidden(ADMIN_ONLY, code="admin_only")
    kept = frozenset(await uow.accounts.store_ids_of(user_id=user.id))
    await _check(admin, change, uow=uow, kept=kept)
    if user.id == admin.user_id and (change.role != "admin" or not change.active):
        raise Invalid("自分自身の権限の変更や利用停止はできません。別の管理者に依頼してください。",
                      code="own_account", field="role")  # fmt: skip
    user.display_name = change.display_name
    user.role = change.role
    if user.active and not change.active:
        await uow.accounts.end_sessions(user_id=user.id)
    user.active = change.active
    await uow.accounts.set_stores(tenant_id=admin.tenant_id, user_id=user.id,
                                  store_ids=change.store_ids)  # fmt: skip
    return user


async def resend_invitation(
    admin: Staff, *, user_id: UUID, public_url: str, now: datetime, uow: GatewayUnitOfWork
) -> None:
    user = await uow.accounts.user(user_id=user_id)
    if user is None or not user.active:
        raise NotFound("アカウントが見つかりません。")
    if not admin.is_admin:
        raise Forbidden(ADMIN_ONLY, code="admin_only")
    await send_invitation(user, company=admin.company, invited_by=f"{admin.display_name}様",
                          public_url=public_url, now=now, uow=uow)  # fmt: skip


async def _check(admin: Staff, change: AccountChange, *, uow: GatewayUnitOfWork,
                 kept: frozenset[UUID] = frozenset()) -> None:  # fmt: skip
    """``kept``: the user's stores now; a retired one may stay, not be newly given."""
    if change.role not in ROLES:
        raise Invalid(
            "権限は 管理者 か 一般 を選んでください。", code="invalid_choice", field="role"
        )
    own = await uow.accounts.stores_by_id(tenant_id=admin.tenant_id)
    if any(store_id not in own for store_id in change.store_ids):
        raise Invalid("所属店舗に、この会社の店舗ではないものが含まれています。",
                      code="unknown_store", field="store_ids")  # fmt: skip
    if any(not own[i].active and i not in kept for i in change.store_ids):
        raise Invalid("廃止した店舗は所属店舗に加えられません。",
                      code="retired_store", field="store_ids")  # fmt: skip


def _new_user(tenant_id: UUID, *, email: str, name: str, role: str) -> User:
    return User(id=new_event_id(), tenant_id=tenant_id, email=email.strip().lower(),
                display_name=name, password_hash=unusable_password(), role=role,
                active=True)  # fmt: skip


STORE_ADMIN_ONLY = "店舗の変更は管理者のみ行えます。"


def store_changed(store: Store) -> StoreChangedV1:
    """What the services hear of a store: its names, address, phone and whether it is active."""
    return StoreChangedV1(
        store_id=store.id, code=store.code, name=store.name, active=store.active,
        changed_at=datetime.now(UTC), postal_code=store.postal_code,
        prefecture=store.prefecture, city=store.city, street=store.street,
        building=store.building, phone=store.phone,
    )  # fmt: skip


async def _own_store(admin: Staff, store_id: UUID, uow: GatewayUnitOfWork) -> Store:
    store = next((s for s in await uow.accounts.stores() if s.id == store_id), None)
    if store is None:
        raise NotFound("店舗が見つかりません。")
    if not admin.is_admin:
        raise Forbidden(STORE_ADMIN_ONLY, code="admin_only")
    return store


async def change_store(
    admin: Staff, *, store_id: UUID, code: str, name: str, uow: GatewayUnitOfWork,
    contact: StoreContact | None = None,
) -> Store:  # fmt: skip
    """店舗名・店舗コード・住所・電話番号の変更 (issue 13): the services learn it by
    StoreChanged. 管理者 only, checked once the store is found (another tenant's is 404 for
    anyone). The portal sends the code: a changed code must be changed there too.
    ``contact`` None: the address and phone stay as they are."""
    store = await _own_store(admin, store_id, uow)
    code, name = code.strip(), " ".join(name.split())
    if not code:
        raise Invalid("店舗コードを入力してください。", code="required", field="code")
    if not name:
        raise Invalid("店舗名を入力してください。", code="required", field="name")
    taken = await uow.accounts.store_by_code(tenant_id=admin.tenant_id, code=code)
    if taken is not None and taken.id != store_id:
        raise Conflict(
            "この店舗コードは既に使われています。", code="store_code_taken", field="code"
        )
    before = store_changed(store).model_dump(exclude={"changed_at"})
    store.code, store.name = code, name
    if contact is not None:
        for key, value in asdict(contact).items():
            setattr(store, key, value)
    if store_changed(store).model_dump(exclude={"changed_at"}) != before:
        await uow.outbox.add(store_changed(store), tenant_id=admin.tenant_id)
    return store


RETIRED_STORE = "この店舗は廃止されています。別の店舗を選んでください。"
LAST_STORE = "最後の店舗は廃止できません。先に別の店舗を用意してください。"


async def retire_store(
    admin: Staff, *, store_id: UUID, now: datetime, uow: GatewayUnitOfWork
) -> Store:
    """店舗の廃止: no longer offered (the header's switcher, pickers, memberships, the booking
    site); old records keep its name, marked （廃止）. A user whose only store it was sees no
    store-owned data until an admin gives them another store. The last active store of the
    tenant cannot be retired (409)."""
    store = await _own_store(admin, store_id, uow)
    if not store.active:
        return store
    others = [s for s in await uow.accounts.stores() if s.active and s.id != store_id]
    if not others:
        raise Conflict(LAST_STORE, code="last_store")
    store.retired_at = now
    await uow.outbox.add(store_changed(store), tenant_id=admin.tenant_id)
    return store


async def restore_store(admin: Staff, *, store_id: UUID, uow: GatewayUnitOfWork) -> Store:
    """廃止の取り消し: offered again, its memberships as they were."""
    store = await _own_store(admin, store_id, uow)
    if store.active:
        return store
    store.retired_at = None
    await uow.outbox.add(store_changed(store), tenant_id=admin.tenant_id)
    return store
