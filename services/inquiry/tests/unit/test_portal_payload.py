import pytest
from inquiry.domain.model import PortalInquiry
from pydantic import ValidationError

VALID = {
    "inquiry_id": "SUUMO-1",
    "kind": "visit_reservation",
    "received_at": "2026-11-25T10:00:00+09:00",
    "store_code": "00000100101",
    "customer": {
        "name": "住まい 花子",
        "name_kana": "スマイ ハナコ",
        "email": "h@example.com",
        "phone": "０９０-１２３４-５６７８",
        "address": "東京都",
    },
    "property": {
        "code": "P1",
        "name": "スームマンション",
        "address": "東京都",
        "price_yen": 70000000,
    },
    "requested_visit": {
        "starts_at": "2026-12-12T11:00:00+09:00",
        "ends_at": "2026-12-12T12:00:00+09:00",
    },
    "message": None,
}


def _errors(**changes: object) -> set[tuple]:
    with pytest.raises(ValidationError) as info:
        PortalInquiry.model_validate({**VALID, **changes})
    return {tuple(e["loc"]) for e in info.value.errors()}


def test_valid_payload_is_accepted() -> None:
    assert PortalInquiry.model_validate(VALID).customer.name == "住まい 花子"


def test_each_bad_field_is_named() -> None:
    assert ("kind",) in _errors(kind="spam")
    assert ("received_at",) in _errors(received_at="2026-11-25T10:00:00")  # no time zone
    assert ("customer", "email") in _errors(customer={**VALID["customer"], "email": "nope"})
    assert ("customer", "phone") in _errors(customer={**VALID["customer"], "phone": "call me"})
    assert ("property", "price_yen") in _errors(property={**VALID["property"], "price_yen": -1})
    assert ("unexpected",) in _errors(unexpected=1)


def test_visit_must_end_after_it_starts_and_reservations_need_one() -> None:
    assert ("requested_visit",) in _errors(
        requested_visit={
            "starts_at": "2026-12-12T12:00:00+09:00",
            "ends_at": "2026-12-12T11:00:00+09:00",
        }
    )
    assert () in _errors(requested_visit=None)


def test_a_reservation_before_the_inquiry_or_an_inquiry_from_the_future_is_refused() -> None:
    past = {"starts_at": "2026-11-24T11:00:00+09:00", "ends_at": "2026-11-24T12:00:00+09:00"}
    assert () in _errors(requested_visit=past)
    assert () in _errors(
        received_at="2099-01-01T10:00:00+09:00",
        requested_visit={
            "starts_at": "2099-01-02T10:00:00+09:00",
            "ends_at": "2099-01-02T11:00:00+09:00",
        },
    )
