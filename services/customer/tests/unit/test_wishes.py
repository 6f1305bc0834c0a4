"""Older free-form 希望条件 read into the typed contract: mapped where they can be, the rest
kept as a note."""

from customer.domain.wishes import area_of, from_legacy


def test_areas_name_a_prefecture_a_station_or_a_city() -> None:
    assert area_of("東京都") == {"prefecture": "東京都"}
    assert area_of("神奈川県") == {"prefecture": "神奈川県"}
    assert area_of("田町駅") == {"station": "田町"}
    assert area_of("港区") == {"city": "港区"}


def test_what_maps_is_mapped_and_the_rest_is_kept_as_a_note() -> None:
    typed = from_legacy({
        "areas": ["港区", "田町駅"], "price_max": 80_000_000, "layouts": ["2LDK", "広め"],
        "kinds": ["マンション"], "ペット": "可",
    })  # fmt: skip
    assert typed is not None
    assert typed["areas"] == [{"city": "港区"}, {"station": "田町"}]
    assert typed["price_max_yen"] == 80_000_000
    assert typed["layouts"] == ["2LDK"] and typed["kinds"] == ["mansion"]
    assert "ペット" in typed["note"] and "広め" in typed["note"]


def test_nothing_trustworthy_keeps_all_of_it_as_the_note() -> None:
    typed = from_legacy({"price_min": 9_000_000, "price_max": 1_000_000})  # reversed
    assert typed is not None and set(typed) == {"note"}
    assert "9000000" in typed["note"]
    assert from_legacy({}) is None and from_legacy(None) is None
