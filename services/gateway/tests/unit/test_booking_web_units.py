"""The booking pages' own small parts: typed numbers, durations, the staff columns."""

from gateway.web.booking.calendar import member_cells
from gateway.web.booking.common import number
from gateway.web.common.formatting import minutes_label


def test_numbers_typed_by_staff_in_any_width() -> None:
    assert number("４，４００円") == 4400
    assert number(" 90分 ") == 90
    assert number("9,800") == 9800
    assert number("一時間") is None and number("") is None and number(None) is None
    assert number("-5") is None  # the form's hint asks again; the service has the range


def test_menu_durations_read_the_japanese_way() -> None:
    assert [minutes_label(m) for m in (30, 60, 90, 120)] == ["30分", "60分", "1時間30分", "2時間"]


def _slot(start: str, end: str, remaining: int) -> dict:
    return {
        "starts_at": f"2026-12-16T{start}:00+09:00",
        "ends_at": f"2026-12-16T{end}:00+09:00",
        "members": [{"staff_member_id": "m1", "remaining": remaining}],
    }


def test_a_salon_visit_fills_its_members_column_from_its_first_slot() -> None:
    data = {
        "staff_members": [{"id": "m1", "name": "佐藤"}],
        "days": [{"slots": [_slot("12:00", "12:30", 1), _slot("12:30", "13:00", 0),
                            _slot("13:00", "13:30", 0), _slot("13:30", "14:00", 0)]}],
        "visits": [
            {"id": "v1", "kind": "salon", "staff_member_id": "m1",
             "starts_at": "2026-12-16T03:30:00+00:00", "ends_at": "2026-12-16T04:30:00+00:00"},
            {"id": "v2", "kind": "store_consultation", "staff_member_id": None,
             "starts_at": "2026-12-16T12:00:00+09:00", "ends_at": "2026-12-16T13:00:00+09:00"},
        ],
    }  # fmt: skip
    cells = [row[0] for row in member_cells(data)]
    assert [c["visit"]["id"] if c["visit"] else None for c in cells] == [None, "v1", "v1", None]
    assert [c["first"] for c in cells] == [False, True, False, False]
    assert (cells[0]["remaining"], cells[3]["remaining"]) == (1, 0)  # 13:30: off or taken
