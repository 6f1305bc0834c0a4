"""Pydantic's errors in Japanese, with stable codes and the request's field names."""

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

import pytest
from kit.inputs import Day, nul_field_in_form, nul_field_in_json, nul_field_in_query
from kit.validation import field_error
from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationError


class Guest(BaseModel):
    email: EmailStr
    phones: Annotated[list[str], Field(max_length=2)] = []


class Booking(BaseModel):
    model_config = ConfigDict(extra="forbid")

    menu_id: UUID
    count: Annotated[int, Field(ge=1)] = 1
    name: Annotated[str, Field(max_length=3)] = ""
    kind: Literal["cut", "color"] = "cut"
    day: Day | None = None
    guest: Guest | None = None


def _errors(data: dict) -> list[dict[str, str]]:
    with pytest.raises(ValidationError) as info:
        Booking.model_validate(data)
    return [field_error(e) for e in info.value.errors()]


def _one(data: dict) -> dict[str, str]:
    [error] = _errors({"menu_id": "6f1c2f5e-8f3b-4a33-9d3e-0a6a4d1f2b7c", **data})
    return error


@pytest.mark.parametrize(
    ("data", "code", "field", "words"),
    [
        ({"count": "x"}, "invalid_integer", "count", "整数"),
        ({"count": 0}, "too_small", "count", "1以上"),
        ({"name": "abcd"}, "too_long", "name", "3文字以内"),
        ({"kind": "perm"}, "invalid_choice", "kind", "cut"),
        ({"day": "2026/12/01"}, "invalid_date", "day", "YYYY-MM-DD"),
        ({"day": "0001-01-01"}, "date_out_of_range", "day", "1900"),
        ({"day": "9999-12-31"}, "date_out_of_range", "day", "2100"),
        ({"guest": {"email": "a@@b"}}, "invalid_email", "guest.email", "メールアドレス"),
        ({"guest": {"email": "a@example.com", "phones": ["1", "2", "3"]}}, "too_many",
         "guest.phones", "2件以内"),
        ({"coupon": 1}, "unknown_field", "coupon", "指定できません"),
    ],
)  # fmt: skip
def test_each_error_has_a_code_a_japanese_message_and_the_request_name(
    data: dict, code: str, field: str, words: str
) -> None:
    error = _one(data)
    assert (error["code"], error["field"]) == (code, field)
    assert words in error["message"] and not error["message"].isascii()


def test_a_missing_field_and_a_bad_uuid() -> None:
    assert _errors({}) == [{"code": "required", "message": "必須項目です。", "field": "menu_id"}]
    assert _errors({"menu_id": "x"})[0]["code"] == "invalid_uuid"


def test_the_day_range_covers_what_the_domain_means() -> None:
    for day in ("1900-01-01", "2100-12-31", "2026-12-01"):
        assert Booking(menu_id=UUID(int=1), day=day).day == date.fromisoformat(day)


def test_a_nul_is_found_with_the_name_of_its_field() -> None:
    assert nul_field_in_query(b"q=a%00b") == "q"
    assert nul_field_in_query(b"a%00=1") == "a"
    assert nul_field_in_query(b"q=a%2500b") is None  # "%00" typed as text is no NUL
    assert nul_field_in_form(b"username=a%00&password=x") == "username"
    assert nul_field_in_json(b'{"customer": {"name": "a\\u0000"}}') == "customer.name"
    assert nul_field_in_json(b'{"phones": ["1", "2\\u0000"]}') == "phones.1"
    assert nul_field_in_json(b'"\\u0000"') == "body"
    assert nul_field_in_json(b'{"name": "a"}') is None
    assert nul_field_in_json(b"{not json \\u0000") is None  # the route's validation answers
