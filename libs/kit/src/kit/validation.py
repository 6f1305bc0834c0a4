"""Pydantic's validation errors in the words a Japanese user reads, with stable codes.

Each error becomes ``{"code", "message", "field"}``: ``field`` is the name as the request
spells it (``customer.email``, ``phones.0``), without FastAPI's ``body``/``query`` prefix.
"""

from collections.abc import Callable, Mapping
from typing import Any

SOURCES = frozenset({"body", "query", "path", "header", "cookie", "form"})

Answer = tuple[str, str] | Callable[[Mapping[str, Any]], tuple[str, str]]


def _ctx(error: Mapping[str, Any]) -> Mapping[str, Any]:
    return error.get("ctx") or {}


def _choices(error: Mapping[str, Any]) -> tuple[str, str]:
    expected = str(_ctx(error).get("expected", "")).replace("'", "")
    return "invalid_choice", f"次のいずれかを指定してください: {expected}"


def _value_error(error: Mapping[str, Any]) -> tuple[str, str]:
    if str(error.get("msg", "")).startswith("value is not a valid email address"):
        return "invalid_email", "メールアドレスの形式が正しくありません。例: hanako@example.com"
    reason = str(_ctx(error).get("error", ""))
    if reason and not reason.isascii():
        return "invalid", reason  # a validator's own Japanese words
    return "invalid", "入力内容が正しくありません。"


def _bounded(code: str, bound: str, words: str) -> Callable[[Mapping[str, Any]], tuple[str, str]]:
    return lambda error: (code, f"{_ctx(error).get(bound, '')}{words}")


_DATE = ("invalid_date", "日付はYYYY-MM-DDの形式で指定してください。例: 2026-12-01")
_DATETIME = (
    "invalid_datetime",
    "日時はISO 8601の形式で指定してください。例: 2026-12-01T10:00:00+09:00",
)
_INT = ("invalid_integer", "整数で指定してください。")
_NUMBER = ("invalid_number", "数値で指定してください。")
_UUID = ("invalid_uuid", "IDの形式が正しくありません。")
_TEXT = ("invalid_text", "文字列で指定してください。")
_FORMAT = ("invalid_format", "形式が正しくありません。")
_OBJECT = ("invalid_type", "項目の形式が正しくありません。")

ANSWERS: dict[str, Answer] = {
    "missing": ("required", "必須項目です。"),
    "uuid_parsing": _UUID,
    "uuid_type": _UUID,
    "uuid_version": _UUID,
    "int_parsing": _INT,
    "int_type": _INT,
    "int_from_float": _INT,
    "int_parsing_size": _INT,
    "float_parsing": _NUMBER,
    "float_type": _NUMBER,
    "finite_number": _NUMBER,
    "decimal_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "bool_parsing": ("invalid_boolean", "true か false で指定してください。"),
    "bool_type": ("invalid_boolean", "true か false で指定してください。"),
    "date_parsing": _DATE,
    "date_type": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "datetime_parsing": _DATETIME,
    "datetime_type": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "datetime_object_invalid": _DATETIME,
    "timezone_aware": ("timezone_required", "日時にはタイムゾーンを付けてください。例: +09:00"),
    "time_parsing": ("invalid_time", "時刻はHH:MMの形式で指定してください。例: 10:00"),
    "time_type": ("invalid_time", "時刻はHH:MMの形式で指定してください。例: 10:00"),
    "string_type": _TEXT,
    "string_unicode": _TEXT,
    "string_sub_type": _TEXT,
    "string_too_long": _bounded("too_long", "max_length", "文字以内で入力してください。"),
    "string_too_short": _bounded("too_short", "min_length", "文字以上で入力してください。"),
    "too_long": _bounded("too_many", "max_length", "件以内で指定してください。"),
    "too_short": _bounded("too_few", "min_length", "件以上で指定してください。"),
    "string_pattern_mismatch": _FORMAT,
    "url_parsing": _FORMAT,
    "url_type": _FORMAT,
    "enum": _choices,
    "literal_error": _choices,
    "greater_than": _bounded("too_small", "gt", "より大きい値を指定してください。"),
    "greater_than_equal": _bounded("too_small", "ge", "以上の値を指定してください。"),
    "less_than": _bounded("too_large", "lt", "未満の値を指定してください。"),
    "less_than_equal": _bounded("too_large", "le", "以下の値を指定してください。"),
    "json_invalid": ("invalid_json", "JSONの形式が正しくありません。"),
    "json_type": ("invalid_json", "JSONの形式が正しくありません。"),
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "dict_type": _OBJECT,
    "list_type": ("invalid_list", "一覧（配列）で指定してください。"),
    "extra_forbidden": ("unknown_field", "この項目は指定できません。"),
    "value_error": _value_error,
}


def field_name(loc: Any) -> str:
    """``("body", "customer", "email")`` → ``customer.email``; the body itself → ``body``."""
    parts = [str(p) for p in (loc or ())]
    if parts and parts[0] in SOURCES:
        parts = parts[1:] or parts
    return ".".join(parts)


def field_error(error: Mapping[str, Any]) -> dict[str, str]:
    kind = str(error.get("type", ""))
    answer = ANSWERS.get(kind)
    if answer is None:
        # A custom error (PydanticCustomError) carries its code as its type, and its
        # message was written in Japanese where it was raised.
        message = str(error.get("msg", ""))
        if kind and message and not message.isascii():
            code, text = kind, message
        else:
            code, text = "invalid", "入力内容が正しくありません。"
    elif callable(answer):
        code, text = answer(error)
    else:
        code, text = answer
    result = {"code": code, "message": text}
    # A body that is no JSON at all is wrong as a whole (its loc ends in a character offset).
    field = "body" if kind == "json_invalid" else field_name(error.get("loc"))
    if field:
        result["field"] = field
    return result
