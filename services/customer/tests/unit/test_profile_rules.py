from datetime import date
from types import SimpleNamespace
from uuid import uuid4

import pytest
from customer.domain.addresses import complete_address
from customer.domain.errors import MergeRefused, ProfileError, SearchError
from customer.domain.merging import check_merge, full_name_key
from customer.domain.profile import (
    Address,
    ProfileInput,
    build_profile,
    is_placeholder,
    parse_phone,
    placeholder_email,
)
from customer.domain.search import count_range, day_range, name_fragment


def test_phone_kind_and_keys_from_phonenumbers() -> None:
    mobile = parse_phone("０９０－１２３４－５６７８")
    assert (mobile.digits, mobile.display, mobile.kind, mobile.e164) == (
        "09012345678", "090-1234-5678", "mobile", "+819012345678",
    )  # fmt: skip
    assert parse_phone("03-1234-5678").kind == "landline"
    with pytest.raises(ProfileError, match="例: 090-1234-5678"):
        parse_phone("12-34")


def test_profile_normalises_names_into_search_columns() -> None:
    profile = build_profile(
        ProfileInput(family_name="山田", given_name="太郎", family_kana="やまだ",
                     given_kana="ﾀﾛｳ", phones=["090-1234-5678", "09012345678"]),
        required=("family_name", "phone"),
    )  # fmt: skip
    assert profile.name == "山田 太郎"
    assert profile.columns["name_kana"] == "ヤマダ タロウ"
    assert profile.columns["name_search"] == "山田太郎"
    assert profile.columns["kana_search"] == "ヤマダタロウ"
    assert len(profile.phones) == 1  # the same number twice is one phone


def test_required_fields_and_bad_values() -> None:
    with pytest.raises(ProfileError, match="生年月日を入力してください"):
        build_profile(ProfileInput(family_name="山田"), required=("family_name", "birth_date"))
    with pytest.raises(ProfileError, match="生年月日が正しくありません"):
        build_profile(ProfileInput(family_name="山田", birth_date=date(2999, 1, 1)), required=())
    with pytest.raises(ProfileError, match="お名前"):
        build_profile(ProfileInput(), required=())


def test_postal_code_fills_prefecture_city_and_town() -> None:
    found = SimpleNamespace(prefecture="東京都", city="港区", neighborhood="芝浦")
    filled = complete_address(
        Address(kind="home", postal_code="１０５－００２３"), lookup=lambda _: found
    )
    assert (filled.postal_code, filled.prefecture, filled.city, filled.street) == (
        "1050023", "東京都", "港区", "芝浦",
    )  # fmt: skip

    def missing(_: str) -> None:
        raise KeyError

    with pytest.raises(ProfileError, match="郵便番号"):
        complete_address(Address(kind="home", postal_code="0000000"), lookup=missing)


def test_placeholder_email_from_the_phone() -> None:
    email = placeholder_email(parse_phone("090-1111-2222"))
    assert email.email == "09011112222@phone-registration.invalid" and is_placeholder(email.key)


def test_merge_only_when_full_names_match_ignoring_spaces() -> None:
    assert full_name_key("山田 太郎") == full_name_key("山田太郎") == full_name_key("山田　太郎")
    check_merge(
        source_id=uuid4(), target_id=uuid4(), source_name="山田 太郎", target_name="山田　太郎"
    )
    with pytest.raises(MergeRefused):
        check_merge(
            source_id=uuid4(), target_id=uuid4(), source_name="山田太郎", target_name="山田花子"
        )
    same = uuid4()
    with pytest.raises(MergeRefused):
        check_merge(source_id=same, target_id=same, source_name="山田太郎", target_name="山田太郎")


def test_search_bounds() -> None:
    with pytest.raises(SearchError, match="2文字以上"):
        name_fragment("田")
    assert name_fragment("た な") == "タナ"
    with pytest.raises(SearchError):
        count_range(3, 1, label="キャンセル回数")
    with pytest.raises(SearchError):
        day_range(date(2024, 9, 20), date(2024, 9, 10), label="予約日")
    one_day = day_range(date(2024, 9, 10), date(2024, 9, 10), label="予約日")
    assert (one_day.high - one_day.low).days == 1
