"""A store's address and phone as the page and the API take them (issue 13)."""

import pytest
from gateway.domain.store_contact import PHONE_INVALID, StoreContact, checked
from kit.errors import Invalid


def test_full_width_and_dashes_are_folded_and_the_lines_read_as_a_card() -> None:
    contact = checked(postal_code="〒１０８ー００２３", prefecture="東京都", city="港区",
                      street="芝浦３‐１‐１", building=" 田町ビル　5F ", phone="０３－１２３４－５６７８")  # fmt: skip
    assert contact == StoreContact("108-0023", "東京都", "港区", "芝浦3-1-1", "田町ビル 5F",
                                   "03-1234-5678")  # fmt: skip
    assert contact.lines == ["〒108-0023 東京都港区芝浦3-1-1 田町ビル 5F", "TEL 03-1234-5678"]
    assert checked().lines == [] and checked(phone="0312345678").lines == ["TEL 0312345678"]


@pytest.mark.parametrize("phone", ["03-1234", "03--1234-5678", "-0312345678", "1234567890",
                                   "03-1234-5678x", "でんわ", "090123456789"])  # fmt: skip
def test_a_phone_not_of_10_or_11_digits_from_0_is_refused(phone: str) -> None:
    with pytest.raises(Invalid) as refused:
        checked(phone=phone)
    assert refused.value.field == "phone" and refused.value.message == PHONE_INVALID


def test_every_wrong_field_is_named_at_once() -> None:
    with pytest.raises(Invalid) as refused:
        checked(postal_code="12", prefecture="東京", phone="1", street="あ" * 201)
    assert [e["field"] for e in refused.value.errors or []] == [
        "postal_code", "prefecture", "phone", "street"]  # fmt: skip
