"""The customer profile (CUS-1, CUS-4) as plain data: validation, normalisation into search
columns, required fields per tenant, quick phone registration. No I/O."""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from typing import Any
from uuid import UUID

import jaconv
import phonenumbers
from contracts.listings import DesiredConditions
from kit import clock
from kit.japanese import search_text
from kit.validation import field_error
from pydantic import ValidationError

from customer.domain.errors import ProfileError
from customer.domain.model import (
    AddressKind,
    Gender,
    PhoneKind,
    PropertyType,
    ProposalDelivery,
    Side,
)
from customer.domain.normalize import email_key, phone_digits

# phonenumbers compiles its metadata patterns through re's bounded cache on every call;
# keeping them (its documented switch) takes ~15 % off each phone's parse.
phonenumbers.enable_pattern_cache()

# Seed 003: セイ・メイ, 姓・名, 電話番号, 生年月日, メールアドレス are required (*).
DEFAULT_REQUIRED = (
    "family_name",
    "given_name",
    "family_kana",
    "given_kana",
    "phone",
    "birth_date",
    "email",
)
REQUIRABLE = {
    "family_name": "姓",
    "given_name": "名",
    "family_kana": "セイ",
    "given_kana": "メイ",
    "phone": "電話番号",
    "birth_date": "生年月日",
    "email": "メールアドレス",
    "gender": "性別",
    "address": "住所",
}
# A requirable field as the registration body spells it, where the setting's name differs.
BODY_FIELDS = {"phone": "phones", "email": "emails", "address": "addresses"}
# Quick phone registration (seed 003 新規電話予約): the mail address is a placeholder made
# from the phone; ".invalid" is reserved (RFC 2606), so nothing is ever sent to it.
PLACEHOLDER_DOMAIN = "phone-registration.invalid"
# An edit that does not name the home store keeps it (the gateway checks a named one).
KEEP_STORE = object()
PHONE_EXAMPLE = "電話番号の形式が正しくありません。例: 090-1234-5678"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_KANA = re.compile(r"^[\u30a0-\u30ffー・]*$")
MAX_TEXT = 200


@dataclass(frozen=True)
class Phone:
    digits: str
    display: str
    kind: str
    e164: str | None


@dataclass(frozen=True)
class Email:
    email: str
    key: str


@dataclass(frozen=True)
class Address:
    kind: str
    postal_code: str | None = None
    prefecture: str | None = None
    city: str | None = None
    street: str | None = None
    building: str | None = None
    recipient: str | None = None


@dataclass(frozen=True)
class ProfileInput:
    """What staff typed; every text may come in full or half width."""

    family_name: str | None = None
    given_name: str | None = None
    family_kana: str | None = None
    given_kana: str | None = None
    phones: list[str | Phone] = field(default_factory=list)  # a Phone is already parsed
    emails: list[str] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    birth_date: date | None = None
    gender: str | None = None
    customer_number: str | None = None
    line_name: str | None = None
    line_icon_url: str | None = None
    attributes: list[str] = field(default_factory=list)
    inflow_sources: list[str] = field(default_factory=list)
    side: str | None = None
    property_type: str | None = None
    desired_conditions: dict[str, Any] | None = None  # contracts.listings.DesiredConditions
    owned_property: dict[str, Any] | None = None
    proposal_delivery: str = "manual"
    newsletter_opt_in: bool = False
    dm_opt_out: bool = False  # 郵送DM不要
    store_id: UUID | object | None = KEEP_STORE  # 所属店舗; None clears it


@dataclass(frozen=True)
class Profile:
    """A valid profile: the customer's columns, its phones, emails and addresses."""

    columns: dict[str, Any]
    phones: list[Phone]
    emails: list[Email]
    addresses: list[Address]

    @property
    def name(self) -> str:
        return self.columns["name"]


def parse_phone(value: str, *, field_name: str = "phones") -> Phone:
    """Digits as the key, hyphenated display, mobile/landline from phonenumbers."""
    return _parse_phone(value, field_name)


@lru_cache(maxsize=8192)
def _parse_phone(value: str, field_name: str) -> Phone:
    # Memoised (Phone is frozen): a file repeats a shop's landline on many rows, and an
    # overwrite parses the same numbers again. One phonenumbers.parse serves every figure.
    digits = phone_digits(value)
    if digits is None:
        raise ProfileError(PHONE_EXAMPLE, field=field_name)
    try:
        parsed = phonenumbers.parse(digits, "JP")
    except phonenumbers.NumberParseException:
        raise ProfileError(PHONE_EXAMPLE, field=field_name) from None
    if not phonenumbers.is_possible_number(parsed):
        raise ProfileError(PHONE_EXAMPLE, field=field_name)
    kind = PhoneKind.OTHER
    e164 = None
    if phonenumbers.is_valid_number(parsed):
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        kind = {
            phonenumbers.PhoneNumberType.MOBILE: PhoneKind.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE: PhoneKind.LANDLINE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: PhoneKind.LANDLINE,
        }.get(phonenumbers.number_type(parsed), PhoneKind.OTHER)
    # What phone_display(digits) gives, from the number already parsed.
    display = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return Phone(digits=digits, display=display or digits, kind=kind, e164=e164)


def parse_email(value: str, *, field_name: str = "emails") -> Email:
    text = unicodedata.normalize("NFKC", value).strip()
    key = email_key(text)
    if key is None or len(text) > 254 or not _EMAIL.match(text):
        raise ProfileError(
            "メールアドレスの形式が正しくありません。例: hanako@example.com", field=field_name
        )
    return Email(email=text, key=key)


def placeholder_email(phone: Phone) -> Email:
    address = f"{phone.digits}@{PLACEHOLDER_DOMAIN}"
    return Email(email=address, key=address)


def is_placeholder(key: str) -> bool:
    return key.endswith("@" + PLACEHOLDER_DOMAIN)


def _clean(value: str | None, field_name: str | None = None) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    if len(text) > MAX_TEXT:
        raise ProfileError(f"{MAX_TEXT}文字以内で入力してください。", field=field_name)
    return text or None


def kana(value: str | None, *, field_name: str) -> str | None:
    """フリガナ: katakana (typed hiragana or half width is converted), else ProfileError."""
    return _kana(value, field_name)


@lru_cache(maxsize=16384)
def _kana(value: str | None, field_name: str) -> str | None:
    # Memoised: readings repeat (a file has many ヤマダ and サトウ) and jaconv is slow.
    text = _clean(value, field_name)
    if text is None:
        return None
    text = jaconv.hira2kata(text.replace(" ", ""))
    if not _KANA.match(text):
        raise ProfileError("フリガナはカタカナで入力してください。例: ヤマダ", field=field_name)
    return text


def _choice(value: str | None, allowed: type, *, field_name: str, label: str) -> str | None:
    if value in (None, ""):
        return None
    if value not in _values(allowed):
        raise ProfileError(f"{label}の値が正しくありません。", field=field_name)
    return value


@cache
def _values(allowed: type) -> frozenset[str]:
    return frozenset(m.value for m in allowed)  # type: ignore[attr-defined]


def full_name(family: str | None, given: str | None) -> str:
    return " ".join(p for p in (family, given) if p)


class Problems:
    """Every problem of a form, so staff fix them all at once (each beside its field)."""

    def __init__(self) -> None:
        self.found: list[ProfileError] = []

    def check(self, step: Callable[[], Any]) -> Any:
        try:
            return step()
        except ProfileError as exc:
            self.found.append(exc)
            return None

    def add(self, message: str, *, field: str) -> None:
        self.found.append(ProfileError(message, field=field))

    def raise_any(self) -> None:
        if not self.found:
            return
        errors = []
        for exc in self.found:
            errors += exc.errors or [{"code": exc.code, "message": exc.message,
                                      "field": exc.field or ""}]  # fmt: skip
        lead = errors[0]
        raise ProfileError(lead["message"], field=lead["field"] or None, errors=errors)


def build_profile(data: ProfileInput, *, required: tuple[str, ...] | list[str]) -> Profile:
    """Validate and normalise; raises ProfileError naming every field that is wrong (the
    first leads; ``errors`` lists them all, a phone or mail by its position: ``phones.1``)."""
    problems = Problems()
    check = problems.check
    family = check(lambda: _clean(data.family_name, "family_name"))
    given = check(lambda: _clean(data.given_name, "given_name"))
    family_kana = check(lambda: kana(data.family_kana, field_name="family_kana"))
    given_kana = check(lambda: kana(data.given_kana, field_name="given_kana"))
    parsed_phones = [
        p if isinstance(p, Phone) else check(lambda p=p, n=n: parse_phone(p, field_name=f"phones.{n}"))
        for n, p in enumerate(data.phones)
        if isinstance(p, Phone) or (p and p.strip())
    ]  # fmt: skip
    phones = _unique([p for p in parsed_phones if p is not None], key="digits")
    parsed_emails = [
        check(lambda e=e, n=n: parse_email(e, field_name=f"emails.{n}"))
        for n, e in enumerate(data.emails)
        if e and e.strip()
    ]
    emails = _unique([e for e in parsed_emails if e is not None], key="key")
    present = {
        "family_name": family,
        "given_name": given,
        "family_kana": family_kana,
        "given_kana": given_kana,
        "phone": parsed_phones,
        "email": parsed_emails,
        "birth_date": data.birth_date,
        "gender": data.gender,
        "address": data.addresses,
    }
    for name in required:
        if not present.get(name):
            message = f"{REQUIRABLE.get(name, name)}を入力してください。"
            problems.add(message, field=BODY_FIELDS.get(name, name))
    if not family and not given and "family_name" not in required:
        problems.add("お名前を入力してください。", field="family_name")
    if data.birth_date and (data.birth_date > clock.today() or data.birth_date.year < 1900):
        problems.add("生年月日が正しくありません。", field="birth_date")
    for address in data.addresses:
        check(lambda a=address: _choice(a.kind, AddressKind, field_name="addresses",
                                        label="住所の種類"))  # fmt: skip
    line_name = check(lambda: _clean(data.line_name, "line_name"))
    gender = check(lambda: _choice(data.gender, Gender, field_name="gender", label="性別"))
    number = check(lambda: _clean(data.customer_number, "customer_number"))
    icon = check(lambda: _clean(data.line_icon_url, "line_icon_url"))
    attributes = check(lambda: [a for a in (_clean(x, "attributes") for x in data.attributes) if a])
    sources = check(
        lambda: [s for s in (_clean(x, "inflow_sources") for x in data.inflow_sources) if s]
    )
    side = check(lambda: _choice(data.side, Side, field_name="side", label="売主・買主"))
    kind = check(lambda: _choice(data.property_type, PropertyType, field_name="property_type",
                                 label="物件種別"))  # fmt: skip
    conditions = check(lambda: _conditions(data.desired_conditions))
    delivery = check(lambda: _choice(data.proposal_delivery, ProposalDelivery,
                                     field_name="proposal_delivery",
                                     label="提案メールの配信設定"))  # fmt: skip
    problems.raise_any()
    name = full_name(family, given)
    name_kana = full_name(family_kana, given_kana) or None
    columns: dict[str, Any] = {
        "name": name,
        "name_kana": name_kana,
        "name_search": search_text(name),
        "kana_search": search_text(name_kana),
        "family_name": family,
        "given_name": given,
        "family_kana": family_kana,
        "given_kana": given_kana,
        "birth_date": data.birth_date,
        "gender": gender,
        "customer_number": number,
        "line_name": line_name,
        "line_icon_url": icon,
        "line_search": search_text(line_name),
        "attributes": attributes,
        "inflow_sources": sources,
        "side": side,
        "property_type": kind,
        "desired_conditions": conditions,
        "owned_property": data.owned_property,
        "proposal_delivery": delivery or "manual",
        "newsletter_opt_in": bool(data.newsletter_opt_in),
        "dm_opt_out": bool(data.dm_opt_out),
    }
    if data.store_id is not KEEP_STORE:
        columns["store_id"] = data.store_id
    return Profile(columns=columns, phones=phones, emails=emails, addresses=list(data.addresses))


def _conditions(raw: dict[str, Any] | None) -> dict[str, Any] | None:
    """Typed 希望条件 as JSON; an empty set of conditions is none."""
    if not raw:
        return None
    try:
        typed = DesiredConditions.model_validate(raw)
    except ValidationError as exc:
        error = field_error(exc.errors()[0])
        where = ".".join(p for p in ("desired_conditions", error.get("field")) if p)
        raise ProfileError(f"希望条件: {error['message']}", field=where) from None
    dumped = typed.model_dump(mode="json", exclude_defaults=True)
    return dumped or None


def _unique(items: list, *, key: str) -> list:
    seen: set[str] = set()
    out = []
    for item in items:
        value = getattr(item, key)
        if value not in seen:
            seen.add(value)
            out.append(item)
    return out


def validate_required_fields(fields: list[str]) -> list[str]:
    unknown = [f for f in fields if f not in REQUIRABLE]
    if unknown:
        raise ProfileError("必須にできない項目が含まれています。", field="required_fields")
    return list(dict.fromkeys(fields))
