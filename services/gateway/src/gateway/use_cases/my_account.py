"""マイアカウント: a user's own name and mail, and a password change that needs the current
password (a borrowed, unlocked screen cannot take the account over)."""

from kit.errors import Conflict, Invalid, NotFound

from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.domain.passwords import password_problem
from gateway.domain.security import hash_password, token_digest, verify_password
from gateway.use_cases.account_admin import EMAIL_TAKEN
from gateway.use_cases.accounts import Staff


async def update_profile(
    staff: Staff, *, display_name: str, email: str, uow: GatewayUnitOfWork
) -> None:
    user = await uow.accounts.user_for_token(user_id=staff.user_id)
    if user is None:
        raise NotFound("アカウントが見つかりません。")
    email = email.strip().lower()
    if email != user.email:
        other = await uow.accounts.user_by_email(email=email)
        if other is not None:
            raise Conflict(EMAIL_TAKEN, code="email_taken", field="email")
    user.display_name = display_name
    user.email = email


async def change_password(
    staff: Staff, *, current: str, new: str, session_token: str, uow: GatewayUnitOfWork
) -> None:
    """The user's other sessions end (a device signed in with the old password is out);
    the one that changed it stays."""
    user = await uow.accounts.user_for_token(user_id=staff.user_id)
    if user is None:
        raise NotFound("アカウントが見つかりません。")
    if not verify_password(current, user.password_hash):
        raise Invalid("現在のパスワードが正しくありません。", code="wrong_password",
                      field="current_password")  # fmt: skip
    problem = password_problem(new, email=user.email)
    if problem:
        raise Invalid(problem, code="weak_password", field="new_password")
    user.password_hash = hash_password(new)
    await uow.accounts.end_sessions(user_id=user.id, keep=token_digest(session_token))
