"""Errors a use case raises; the HTTP layer maps them to 4xx with a message a user understands."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


class DomainError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"


class Invalid(DomainError):
    status_code = 422
    code = "invalid"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain_error(_: Request, exc: DomainError) -> JSONResponse:
        detail: dict[str, object] = {"code": exc.code, "message": exc.message}
        if exc.field:
            detail["field"] = exc.field
        return JSONResponse({"detail": detail}, status_code=exc.status_code)


# pydantic error types → (code, Japanese message); anything else is a format error.
_VALIDATION_MESSAGES = {
    "missing": ("required", "必須の項目です。"),
    "int_parsing": ("invalid_format", "整数で入力してください。"),
    "int_from_float": ("invalid_format", "整数で入力してください。"),
    "bool_parsing": ("invalid_format", "true か false で指定してください。"),
    "uuid_parsing": ("invalid_format", "IDの形式が正しくありません。"),
    "date_from_datetime_parsing": ("invalid_format", "日付は YYYY-MM-DD で入力してください。"),
    "date_parsing": ("invalid_format", "日付は YYYY-MM-DD で入力してください。"),
    "json_invalid": ("invalid_format", "JSONの形式が正しくありません。"),
}


def field_path(loc: tuple | list) -> str:
    """``("body", "lines", 0, "quantity")`` → ``lines[0].quantity``, as the request spells it."""
    parts = list(loc[1:] if loc and loc[0] in ("body", "query", "path") else loc)
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts).lstrip(".")


def validation_detail(errors: list) -> dict[str, object]:
    """The first of pydantic's errors as the services' error body (code, message, field)."""
    first = errors[0] if errors else {}
    code, message = _VALIDATION_MESSAGES.get(
        first.get("type", ""), ("invalid_format", "入力内容の形式が正しくありません。")
    )
    return {"code": code, "message": message, "field": field_path(first.get("loc", ())) or "body"}


def install_japanese_validation(app: FastAPI) -> None:
    """Opt-in: request validation errors answer 422 with ``validation_detail`` instead of
    FastAPI's English list (for services whose callers show the message as it is)."""
    from fastapi.exceptions import RequestValidationError

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": validation_detail(list(exc.errors()))}, status_code=422)
