"""GW-1: the links sent by mail. An invitation lets a new user (the operator's first admin,
or one an admin adds) set their password; a reset lets a user who forgot it set a new one.
Both are single-use and expire; using one ends the user's other sessions."""

import secrets
from datetime import datetime

from kit.errors import DomainError, Invalid, NotFound

from gateway.adapters.orm import AccountToken, User
from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.domain.account_tokens import TTL, invitation_link, reset_link, token_usable
from gateway.domain.passwords import password_problem
from gateway.domain.security import hash_password, new_session_token, token_digest

# The same words for an unknown, a spent and an expired link: which one is not said.
LINK_UNUSABLE = (
    "このリンクは見つかりません。使用済みか、有効期限が切れています。"
    "管理者に招待の再送を依頼するか、パスワードの再設定をやり直してください。"
)


class LinkGone(DomainError):
    """A link that existed but is spent or expired: 410, the same words as an unknown one."""

    status_code = 410
    code = "link_unusable"


def unusable_password() -> str:
    """A new user's hash until the invitation is used: of a random secret no one knows."""
    return hash_password(secrets.token_urlsafe(32))


async def send_invitation(
    user: User, *, company: str, invited_by: str, public_url: str, now: datetime,
    uow: GatewayUnitOfWork,
) -> None:  # fmt: skip
    token = await _new_token(user, purpose="invitation", now=now, uow=uow)
    link = invitation_link(public_url, token)
    await uow.mail.add(
        tenant_id=user.tenant_id,
        recipient=user.email,
        subject=f"【{company}】顧客管理へのご招待",
        body=(
            f"{user.display_name} 様\n\n"
            f"{invited_by}から、{company}の顧客管理に招待されました。\n"
            "下のリンクを開いてパスワードを設定してください（有効期限: 3日間、1回限り）。\n\n"
            f"{link}\n\n"
            "お心当たりのない場合は、このメールを破棄してください。\n"
        ),
    )


async def request_reset(
    *, email: str, public_url: str, now: datetime, uow: GatewayUnitOfWork
) -> None:
    """The same for a known and an unknown mail: the caller answers the same either way, and
    only the account's owner learns (by mail) that it exists."""
    user = await uow.accounts.user_by_email(email=email.strip().lower())
    if user is None or not user.active:
        return
    tenant = await uow.accounts.tenant_unscoped(tenant_id=user.tenant_id)
    token = await _new_token(user, purpose="reset", now=now, uow=uow)
    await uow.mail.add(
        tenant_id=user.tenant_id,
        recipient=user.email,
        subject=f"【{tenant.name if tenant else '顧客管理'}】パスワードの再設定",
        body=(
            f"{user.display_name} 様\n\n"
            "パスワードの再設定を受け付けました。下のリンクから新しいパスワードを設定してください"
            "（有効期限: 1時間、1回限り）。\n\n"
            f"{reset_link(public_url, token)}\n\n"
            "お心当たりのない場合は、このメールを破棄してください。パスワードは変わりません。\n"
        ),
    )


async def link_user(token: str, *, purpose: str, now: datetime, uow: GatewayUnitOfWork) -> User:
    """The user a link is for, while it can still be used (the page that asks the password)."""
    row = await uow.accounts.account_token(digest=token_digest(token))
    return await _usable(row, purpose=purpose, now=now, uow=uow)


async def use_link(
    token: str, *, purpose: str, password: str, now: datetime, uow: GatewayUnitOfWork
) -> User:
    """Sets the password and spends the link (locked: two tabs cannot both use it)."""
    row = await uow.accounts.account_token(digest=token_digest(token), for_update=True)
    user = await _usable(row, purpose=purpose, now=now, uow=uow)
    assert row is not None
    problem = password_problem(password, email=user.email)
    if problem:
        raise Invalid(problem, code="weak_password", field="password")
    row.used_at = now
    user.password_hash = hash_password(password)
    await uow.accounts.end_sessions(user_id=user.id)
    return user


async def _usable(
    row: AccountToken | None, *, purpose: str, now: datetime, uow: GatewayUnitOfWork
) -> User:
    if row is None or row.purpose != purpose:
        raise NotFound(LINK_UNUSABLE, code="link_unusable")
    user = await uow.accounts.user_for_token(user_id=row.user_id)
    if user is None or not user.active:
        raise NotFound(LINK_UNUSABLE, code="link_unusable")
    if not token_usable(expires_at=row.expires_at, used_at=row.used_at, now=now):
        raise LinkGone(LINK_UNUSABLE)
    return user


async def _new_token(user: User, *, purpose: str, now: datetime, uow: GatewayUnitOfWork) -> str:
    await uow.accounts.retire_tokens(user_id=user.id, purpose=purpose, now=now)
    token = new_session_token()
    uow.accounts.add(
        AccountToken(
            token_digest=token_digest(token),
            tenant_id=user.tenant_id,
            user_id=user.id,
            purpose=purpose,
            expires_at=now + TTL[purpose],
        )
    )
    return token
