from datetime import UTC, datetime

from gateway.domain.security import (
    hash_password,
    portal_signature,
    signature_matches,
    verify_password,
)
from gateway.web.common.formatting import jdate, jdatetime, man_yen, yen


def test_portal_signature_is_hmac_sha256_of_the_raw_body() -> None:
    body = b'{"inquiry_id":"1"}'
    sig = portal_signature(body, "s3cret")
    assert sig.startswith("sha256=") and len(sig) == 7 + 64
    assert signature_matches(body, sig, ["old", "s3cret"])
    assert not signature_matches(body + b" ", sig, ["s3cret"])
    assert not signature_matches(body, None, ["s3cret"])


def test_passwords_are_argon2_hashed() -> None:
    hashed = hash_password("demo-admin-pass")
    assert hashed.startswith("$argon2")
    assert verify_password("demo-admin-pass", hashed)
    assert not verify_password("wrong", hashed)
    assert not verify_password("anything", None)


def test_dates_are_shown_in_japan_time_with_weekday() -> None:
    utc = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 10:00 in Tokyo, a Wednesday
    assert jdate(utc) == "2026/11/25(水)"
    assert jdatetime("2026-11-24T15:30:00+00:00") == "2026/11/25(水) 00:30"


def test_money_with_commas_and_man_yen_for_property_prices() -> None:
    assert yen(70_000_000) == "70,000,000円"
    assert man_yen(70_000_000) == "7,000万円"
    assert man_yen(12_345_000) == "1,234.5万円"
    assert man_yen(None) == ""
