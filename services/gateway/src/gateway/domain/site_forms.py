"""The booking site's forms checked before any call, every error at once and beside its
field, in Japanese that says what to do (UI.md). The services check again; their refusal
is shown beside the field it names."""

import re
import unicodedata

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_KANA = re.compile(r"^[\u30a0-\u30ff\u3040-\u309f\s]+$")
PHONE_EXAMPLE = "形式が正しくありません。例: 090-1234-5678"
EMAIL_EXAMPLE = "形式が正しくありません。例: hanako@example.com"


def normal(value: str | None) -> str:
    """Full-width and half-width alike: ＮＦＫＣ, trimmed."""
    return unicodedata.normalize("NFKC", value or "").strip()


def phone_digits(value: str) -> str:
    return re.sub(r"[\s\-‐―−ー()（）]", "", normal(value))


def guest_errors(form: dict[str, str]) -> dict[str, str]:
    """名前, フリガナ, メールアドレス and 電話番号 of a guest or a registration."""
    errors: dict[str, str] = {}
    if not normal(form.get("name")):
        errors["name"] = "お名前を入力してください。"
    kana = normal(form.get("name_kana"))
    if not kana:
        errors["name_kana"] = "フリガナを入力してください。"
    elif not _KANA.match(kana):
        errors["name_kana"] = "フリガナはカタカナで入力してください。例: ヨヤク ハナコ"
    errors.update(email_errors(form.get("email")))
    phone = phone_digits(form.get("phone") or "")
    if not phone:
        errors["phone"] = "電話番号を入力してください。"
    elif not re.fullmatch(r"0\d{9,10}", phone):
        errors["phone"] = PHONE_EXAMPLE
    return errors


def email_errors(value: str | None) -> dict[str, str]:
    email = normal(value)
    if not email:
        return {"email": "メールアドレスを入力してください。"}
    if len(email) > 254 or not _EMAIL.match(email):
        return {"email": EMAIL_EXAMPLE}
    return {}


def password_errors(*, current: str, new: str, again: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not current:
        errors["current_password"] = "現在のパスワード（仮パスワード）を入力してください。"
    if not new:
        errors["new_password"] = "新しいパスワードを入力してください。"
    elif new != again:
        errors["new_password_again"] = "確認のため、同じパスワードをもう一度入力してください。"
    return errors
