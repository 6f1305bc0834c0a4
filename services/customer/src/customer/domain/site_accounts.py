"""The booking site's account rules (seed 003): what a new password must be, and the mails a
registration or a reset sends. Plain Python, no I/O."""

from dataclasses import dataclass
from datetime import timedelta

from kit.errors import DomainError, Invalid

# A temporary password is for signing in once, soon: the mail says until when.
TEMPORARY_TTL = timedelta(hours=24)
MIN_LENGTH = 8
MAX_LENGTH = 128


class SignInFailed(DomainError):
    """The same answer for an unknown mail and a wrong password (nothing revealed)."""

    status_code = 401
    code = "sign_in_failed"

    def __init__(self) -> None:
        super().__init__("メールアドレスまたはパスワードが正しくありません。")


def check_new_password(password: str, *, email: str, field: str = "new_password") -> None:
    """At least 8 characters with letters and digits, not the mail address itself."""
    if len(password) < MIN_LENGTH:
        raise Invalid(
            f"パスワードは{MIN_LENGTH}文字以上で入力してください。",
            field=field,
            code="weak_password",
        )
    if len(password) > MAX_LENGTH:
        raise Invalid(
            f"パスワードは{MAX_LENGTH}文字以内で入力してください。",
            field=field,
            code="weak_password",
        )
    if not (any(c.isdigit() for c in password) and any(c.isalpha() for c in password)):
        raise Invalid(
            "パスワードには英字と数字の両方を含めてください。", field=field, code="weak_password"
        )
    if password.strip().lower() in (email.strip().lower(), email.split("@")[0].strip().lower()):
        raise Invalid(
            "メールアドレスと同じパスワードは使えません。", field=field, code="weak_password"
        )


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str


def temporary_password_mail(
    *, name: str, shop: str, password: str, login_url: str, expires: str
) -> Mail:
    return Mail(
        subject=f"【{shop}】会員登録完了のお知らせ（仮パスワード）",
        body=(
            f"{name} 様\n\n{shop}の予約サイトへのご登録ありがとうございます。\n"
            "以下の仮パスワードでログインし、パスワードを変更してください。\n\n"
            f"仮パスワード: {password}\n有効期限: {expires}\nログイン: {login_url}\n\n"
            "お心当たりのない場合は、このメールを破棄してください。\n"
        ),
    )


def already_registered_mail(*, name: str, shop: str, login_url: str, reset_url: str) -> Mail:
    """A registration with a mail that already has an account: the owner is told, by mail
    only; the screen says what it says for everyone."""
    return Mail(
        subject=f"【{shop}】会員登録のお申し込みについて",
        body=(
            f"{name} 様\n\nこのメールアドレスでの会員登録のお申し込みがありましたが、"
            "既にアカウントをお持ちです。\n"
            f"ログイン: {login_url}\n"
            f"パスワードをお忘れの場合は、こちらから仮パスワードを再発行できます: {reset_url}\n\n"
            "お心当たりのない場合は、このメールを破棄してください。アカウントは変更されていません。\n"
        ),
    )


def reset_mail(*, name: str, shop: str, password: str, login_url: str, expires: str) -> Mail:
    return Mail(
        subject=f"【{shop}】仮パスワードの再発行",
        body=(
            f"{name} 様\n\n仮パスワードを再発行しました。\n"
            "これまでのパスワードも、仮パスワードでログインするまではそのまま使えます。\n\n"
            f"仮パスワード: {password}\n有効期限: {expires}\nログイン: {login_url}\n\n"
            "お心当たりのない場合は、このメールを破棄してください。\n"
        ),
    )
