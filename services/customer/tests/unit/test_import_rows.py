"""One import row → profile, without I/O (seed 004: bad optional values are reported)."""

from customer.domain.importing import COLUMNS, parse_row
from customer.domain.profile import parse_phone


def _row(**values: str) -> list[str]:
    return [values.get(key, "") for key, _ in COLUMNS]


def test_phones_are_kept_as_the_registration_form_keeps_them() -> None:
    # seed 003's example number: its national format drops a zero, the key must not.
    row = parse_row(
        _row(family_name="山田", email="a@example.com", phone1="00011111111",
             phone2="０９０－１２３４－５６７８"),
        line=2,
    )  # fmt: skip
    assert row.profile is not None and row.warnings == []
    assert row.profile.phones == [parse_phone("00011111111"), parse_phone("090-1234-5678")]
    assert [p.digits for p in row.profile.phones] == ["00011111111", "09012345678"]


def test_the_same_number_twice_is_one_phone_and_a_bad_one_is_reported() -> None:
    row = parse_row(
        _row(family_name="山田", email="a@example.com", phone1="090-1234-5678",
             phone2="09012345678", family_kana="やまだ", given_kana="山田"),
        line=3,
    )  # fmt: skip
    assert row.profile is not None and len(row.profile.phones) == 1
    assert row.profile.columns["family_kana"] == "ヤマダ"
    assert row.warnings == ["メイの値が正しくないため取り込みませんでした。"]
    bad = parse_row(_row(family_name="山田", email="a@example.com", phone1="12-34"), line=4)
    assert bad.profile is not None and bad.profile.phones == []
    assert bad.warnings == ["電話番号の値が正しくないため取り込みませんでした。"]


def test_the_templates_example_row_is_not_a_customer() -> None:
    for mark in ("記入例", "【記入例】", " 記入例 "):
        row = parse_row(
            _row(customer_number=mark, family_name="山田", email="taro@example.com"), line=2
        )
        assert row.profile is None and row.error is None
        assert row.skipped is not None and "記入例" in row.skipped
