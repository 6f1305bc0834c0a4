"""The monitor's one input and the export rules, without I/O."""

from types import SimpleNamespace

import pytest
from customer.domain.errors import SearchError
from customer.domain.exports import (
    AddressParts,
    Directory,
    ExportRecord,
    check_size,
    customer_row,
    dm_row,
    region,
)
from customer.domain.search import lookup


@pytest.mark.parametrize(
    "typed",
    ["090-1234-5678", "09012345678", "０９０－１２３４－５６７８", "０９０ー１２３４ー５６７８",
     "090 1234 5678", "(090)1234-5678", "+81 90-1234-5678", "０９０１２３４５６７８"],
)  # fmt: skip
def test_any_way_of_typing_a_phone_number_is_a_phone_lookup(typed: str) -> None:
    first, *_ = lookup(typed)
    assert first.matched_by == "phone"
    assert first.criteria.phone_digits == "09012345678"


@pytest.mark.parametrize(
    ("typed", "text"), [("佐賀 太郎", "佐賀太郎"), ("さが", "サガ"), ("ｻｶﾞ", "サガ")]
)  # fmt: skip
def test_anything_else_is_a_name_lookup(typed: str, text: str) -> None:
    [found] = lookup(typed)
    assert found.matched_by == "name" and found.criteria.text == text


def test_a_customer_number_is_tried_before_the_name() -> None:
    number, name = lookup("Ｃ00000001")
    assert number.matched_by == "customer_number"
    assert number.criteria.customer_number == "C00000001"
    assert name.matched_by == "name"
    phone, number = lookup("000123")  # digits: a phone number first, then a customer number
    assert (phone.matched_by, number.matched_by) == ("phone", "customer_number")


@pytest.mark.parametrize(("typed", "message"), [("", "電話番号またはお名前を入力してください。"),
                                                ("   ", "電話番号またはお名前を入力してください。"),
                                                ("佐", "お名前は2文字以上で入力してください。"),
                                                ("あ" * 101, "100文字以内で入力してください。")])  # fmt: skip
def test_what_cannot_be_looked_up_is_said_in_japanese(typed: str, message: str) -> None:
    with pytest.raises(SearchError) as caught:
        lookup(typed)
    assert caught.value.message == message


def test_region_of_a_dm_list() -> None:
    assert region(prefecture="東京都", city=" 横浜市 ") == region(
        prefecture="東京都", city="横浜市"
    )
    assert region(prefecture="", city="").prefecture is None
    with pytest.raises(SearchError, match="例: 東京都"):
        region(prefecture="東京", city=None)
    with pytest.raises(SearchError, match="都道府県も選んでください"):
        region(prefecture=None, city="港区")
    with pytest.raises(SearchError, match="100件までです"):
        check_size(101, max_rows=100, label="CSVの書き出し")


def _customer(**changes: object) -> SimpleNamespace:
    base = dict(
        customer_number="C00000001", name="佐賀 太郎", name_kana="サガ タロウ", birth_date=None,
        gender=None, follow_up_status="stopped", assignee_id=None, store_id=None,
        first_inquiry_at=None, created_at=None, reservation_count=0, visit_count=0,
        cancel_count=0, last_visit_at=None, last_menu_name=None, caution=False,
        blacklisted=True, line_name=None, inflow_sources=[], attributes=[], side="seller",
        property_type="land", withdrawn_at=None, withdrawal_reason=None,
    )  # fmt: skip
    return SimpleNamespace(**{**base, **changes})


def test_rows_of_the_customer_csv_and_the_dm_list() -> None:
    home = AddressParts("home", "0600001", "北海道", "札幌市中央区", "北一条西2-1", "ビル3F")
    record = ExportRecord(
        customer=_customer(),
        phones=["011-222-3333"],
        emails=["09011112222@phone-registration.invalid", "real@example.com"],
        address=home,
    )
    row = dict(zip(("番号", "氏名", "カナ", "電話", "他電話", "メール", "他メール", "〒", "住所"),
                   customer_row(record, names=Directory()), strict=False))  # fmt: skip
    assert row["メール"] == "real@example.com" and row["他メール"] == ""
    assert row["〒"] == "060-0001" and row["住所"] == "北海道札幌市中央区北一条西2-1 ビル3F"
    full = customer_row(record, names=Directory())
    assert "追客停止" in full and "売主" in full and "土地" in full and True in full
    assert dm_row(record)[1:6] == [
        "〒060-0001", "北海道", "北海道札幌市中央区北一条西2-1", "ビル3F", "佐賀 太郎 様",
    ]  # fmt: skip
