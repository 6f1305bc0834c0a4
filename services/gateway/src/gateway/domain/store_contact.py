"""A store's address and phone (店舗の住所・電話番号), as the booking site and the guest's mail
show them. Checked in the customers' style: full-width digits and hyphens are accepted, the
phone keeps the hyphens typed, every wrong field is named at once."""

import re
import unicodedata
from dataclasses import dataclass, fields

from kit.errors import Invalid
from kit.japanese import PREFECTURES

PHONE_INVALID = "電話番号の形式が正しくありません。例: 03-1234-5678"
POSTAL_INVALID = "郵便番号の形式が正しくありません。例: 108-0023"
PREFECTURE_INVALID = "都道府県を一覧から選んでください。"
_DASHES = str.maketrans({c: "-" for c in "‐－ー―−"})
LIMIT = 200


@dataclass(frozen=True)
class StoreContact:
    postal_code: str = ""
    prefecture: str = ""
    city: str = ""
    street: str = ""
    building: str = ""
    phone: str = ""

    @property
    def lines(self) -> list[str]:
        """「〒108-0023 東京都港区芝浦3-1-1 田町ビル5F」「TEL 03-1234-5678」, each only if given."""
        place = " ".join(p for p in (self.prefecture + self.city + self.street, self.building) if p)
        if place and self.postal_code:
            place = f"〒{self.postal_code} {place}"
        return [line for line in (place, f"TEL {self.phone}" if self.phone else "") if line]


def _clean(value: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", value or "").translate(_DASHES).split())


def checked(**given: str | None) -> StoreContact:
    """The contact in its stored form, or Invalid naming every wrong field (``errors``)."""
    values = {f.name: _clean(given.get(f.name)) for f in fields(StoreContact)}
    problems: list[dict[str, str]] = []
    postal = values["postal_code"].replace("-", "").replace("〒", "")
    if postal:
        if re.fullmatch(r"\d{7}", postal):
            values["postal_code"] = f"{postal[:3]}-{postal[3:]}"
        else:
            problems.append({"code": "invalid_postal_code", "message": POSTAL_INVALID,
                             "field": "postal_code"})  # fmt: skip
    if values["prefecture"] and values["prefecture"] not in PREFECTURES:
        problems.append({"code": "invalid_prefecture", "message": PREFECTURE_INVALID,
                         "field": "prefecture"})  # fmt: skip
    phone = values["phone"]
    digits = phone.replace("-", "")
    if phone and not (re.fullmatch(r"[0-9-]+", phone) and re.fullmatch(r"0\d{9,10}", digits)
                      and "--" not in phone and not phone.startswith("-")
                      and not phone.endswith("-")):  # fmt: skip
        problems.append({"code": "invalid_phone", "message": PHONE_INVALID, "field": "phone"})
    for name in ("city", "street", "building"):
        if len(values[name]) > LIMIT:
            problems.append({"code": "too_long", "field": name,
                             "message": f"{LIMIT}文字以内で入力してください。"})  # fmt: skip
    if problems:
        first = problems[0]
        raise Invalid(first["message"], code=first["code"], field=first["field"],
                      errors=problems)  # fmt: skip
    return StoreContact(**values)
