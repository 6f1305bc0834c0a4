"""Japanese text into search form, once, at write time (and the same for query input)."""

import re
import unicodedata

import phonenumbers

_SPACES = re.compile(r"\s+")
_NON_DIGITS = re.compile(r"\D")


def email_key(value: str | None) -> str | None:
    """Emails compare case-insensitively and width-insensitively."""
    if not value:
        return None
    return unicodedata.normalize("NFKC", value).strip().lower() or None


def phone_digits(value: str | None) -> str | None:
    """Digits only (full-width digits and any hyphen or space removed); None if no digits."""
    if not value:
        return None
    text = unicodedata.normalize("NFKC", value)
    if text.startswith("+"):
        try:
            parsed = phonenumbers.parse(text, "JP")
            text = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        except phonenumbers.NumberParseException:
            pass
    digits = _NON_DIGITS.sub("", text)
    return digits or None


def phone_display(value: str | None) -> str | None:
    """The number as Japanese staff write it (090-1234-5678), else its digits."""
    digits = phone_digits(value)
    if digits is None:
        return None
    try:
        parsed = phonenumbers.parse(digits, "JP")
    except phonenumbers.NumberParseException:
        return digits
    if not phonenumbers.is_valid_number(parsed):
        return digits  # no national pattern fits: phonenumbers would drop the leading 0
    display = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    # Hyphens only: a display that changed the digits (a 000… number read as a prefix)
    # would show staff another number than the one they typed.
    return display if display.replace("-", "") == digits else digits
