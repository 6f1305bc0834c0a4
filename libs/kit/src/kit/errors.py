"""Errors a use case raises; the HTTP layer maps them to 4xx with a message a user understands.

Every 4xx answers ``{"detail": {"code", "message", "field"?}}``: a stable code for programs,
a Japanese message for people, and the field named as the request spells it. A validation
error also lists each wrong field under ``errors``.
"""

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from kit.validation import field_error


class DomainError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        errors: Sequence[dict[str, str]] | None = None,
    ) -> None:
        """``errors``: every problem found, when there is more than one to fix (the rows of
        a refused file), each ``{code, message, field}``; the first leads."""
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors
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


# Starlette's own refusals (unknown path, wrong method…) and HTTPExceptions raised with a
# status only: the code and the words a person reads.
STATUS_ANSWERS = {
    400: ("bad_request", "リクエストが正しくありません。"),
    401: ("unauthorized", "ログインが必要です。"),
    403: ("forbidden", "この操作は許可されていません。"),
    404: ("not_found", "ページが見つかりません。"),
    405: ("method_not_allowed", "この操作には対応していません。"),
    406: ("not_acceptable", "この形式では応答できません。"),
    409: ("conflict", "ほかの操作と競合しました。再度お試しください。"),
    413: ("too_large", "送信された内容が大きすぎます。"),
    415: ("unsupported_media_type", "この形式の内容は受け付けていません。"),
    422: ("invalid", "入力内容が正しくありません。"),
    429: ("too_many_requests", "リクエストが多すぎます。しばらくしてから再度お試しください。"),
}


class FieldError(BaseModel):
    code: str = Field(description="安定したコード（プログラム向け）")
    message: str = Field(description="利用者向けの日本語の説明")
    field: str | None = Field(None, description="リクエストでの項目名（例: lines.0.quantity）")


class ErrorDetail(FieldError):
    errors: list[FieldError] | None = Field(None, description="入力エラーの一覧（検証エラー時）")


class ErrorAnswer(BaseModel):
    """Every 4xx of every service: what OpenAPI documents in place of FastAPI's default."""

    detail: ErrorDetail


def error_response(
    status_code: int,
    code: str,
    message: str,
    *,
    field: str | None = None,
    headers: dict[str, str] | None = None,
    errors: Sequence[dict[str, str]] | None = None,
) -> JSONResponse:
    detail: dict[str, Any] = {"code": code, "message": message}
    if field:
        detail["field"] = field
    if errors is not None:
        detail["errors"] = list(errors)
    return JSONResponse({"detail": detail}, status_code=status_code, headers=headers)


def refusal_message(data: object) -> str | None:
    """A service's own words for refusing (a rule of its domain), from a 4xx body; None for
    field errors of validation (``errors``), which a page words with its form's hints."""
    detail = data.get("detail") if isinstance(data, dict) else None
    if isinstance(detail, dict) and "errors" not in detail:
        message = detail.get("message")
        return message if isinstance(message, str) else None
    return None


def validation_response(errors: Sequence[Any]) -> JSONResponse:
    """Pydantic's errors as Japanese messages with stable codes; the first one leads."""
    fields = [field_error(e) for e in errors] or [field_error({})]
    return error_response(422, **fields[0], errors=fields)


def _http_error(exc: HTTPException) -> JSONResponse:
    code, message = STATUS_ANSWERS.get(exc.status_code, ("error", "処理できませんでした。"))
    if isinstance(exc.detail, str) and exc.detail and not exc.detail.isascii():
        message = exc.detail  # the route's own Japanese words
    return error_response(exc.status_code, code, message, headers=exc.headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain_error(_: Request, exc: DomainError) -> JSONResponse:
        return error_response(
            exc.status_code, exc.code, exc.message, field=exc.field, errors=exc.errors
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return validation_response(exc.errors())

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        return _http_error(exc)
