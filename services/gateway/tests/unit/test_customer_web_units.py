"""Notation and choices of the customer screens (issue 5), without I/O."""

from datetime import date

from gateway.use_cases.salon_catalog import CatalogEntry, SalonCatalog
from gateway.web.common.formatting import relative_day


def test_relative_days_in_japan_time() -> None:
    today = date(2026, 11, 25)
    # 2026-11-24 15:30 UTC is already the 25th in Japan.
    assert relative_day("2026-11-24T15:30:00+00:00", today=today) == "今日"
    assert relative_day("2026-11-24T10:00:00+09:00", today=today) == "昨日"
    assert relative_day("2026-11-26T10:00:00+09:00", today=today) == "明日"
    assert relative_day("2026-11-22T10:00:00+09:00", today=today) == "3日前"
    assert relative_day("2026-12-10T10:00:00+09:00", today=today) == "15日後"
    assert relative_day(None) == ""


def test_menu_choices_name_their_store_once_there_are_several() -> None:
    cut = CatalogEntry(id="1", name="カット", store_name="田町支店")
    one = SalonCatalog(menus=[cut], staff_members=[CatalogEntry("2", "佐藤", "田町支店")])
    assert one.label(cut) == "カット"
    two = SalonCatalog(menus=[cut, CatalogEntry("3", "カット", "品川支店")])
    assert two.label(cut) == "カット（田町支店）"
    assert two.names() == {"1": "カット", "3": "カット"}
