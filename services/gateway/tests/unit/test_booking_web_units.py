"""The booking pages' own small parts: typed numbers, durations, the staff columns."""

from uuid import uuid4

from gateway.clients.booking import Calendar
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


MEMBER, STORE, CUSTOMER = (str(uuid4()) for _ in range(3))
V1, V2 = str(uuid4()), str(uuid4())


def _slot(start: str, end: str, remaining: int) -> dict:
    return {
        "starts_at": f"2026-12-16T{start}:00+09:00",
        "ends_at": f"2026-12-16T{end}:00+09:00",
        "members": [{"staff_member_id": MEMBER, "remaining": remaining}],
    }


def _visit(id_: str, kind: str, member: str | None, starts: str, ends: str) -> dict:
    return {"id": id_, "store_id": STORE, "customer_id": CUSTOMER, "status": "reserved",
            "kind": kind, "staff_member_id": member, "starts_at": starts, "ends_at": ends}  # fmt: skip


def test_a_salon_visit_fills_its_members_column_from_its_first_slot() -> None:
    # The booking service's calendar as its client reads it (ISO strings become datetimes).
    data = Calendar.model_validate({
        "slot_minutes": 30, "properties": [],
        "staff_members": [{"id": MEMBER, "name": "佐藤"}],
        "days": [{"day": "2026-12-16", "open": True,
                  "slots": [_slot("12:00", "12:30", 1), _slot("12:30", "13:00", 0),
                            _slot("13:00", "13:30", 0), _slot("13:30", "14:00", 0)]}],
        "visits": [
            _visit(V1, "salon", MEMBER, "2026-12-16T03:30:00+00:00", "2026-12-16T04:30:00+00:00"),
            _visit(V2, "store_consultation", None,
                   "2026-12-16T12:00:00+09:00", "2026-12-16T13:00:00+09:00"),
        ],
    })  # fmt: skip
    cells = [row[0] for row in member_cells(data)]
    assert [str(c["visit"].id) if c["visit"] else None for c in cells] == [None, V1, V1, None]
    assert [c["first"] for c in cells] == [False, True, False, False]
    assert (cells[0]["remaining"], cells[3]["remaining"]) == (1, 0)  # 13:30: off or taken
