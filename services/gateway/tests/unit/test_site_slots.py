"""The booking site offers a start only where the whole menu fits one member, ahead of now."""

import uuid
from datetime import datetime, timedelta

from gateway.domain.site_slots import FreeSlot, startable
from kit.clock import JST

SATO, SUZUKI = uuid.uuid4(), uuid.uuid4()
T0 = datetime(2030, 1, 9, 10, 0, tzinfo=JST)


def _day(free: list[set]) -> list[FreeSlot]:
    return [FreeSlot(T0 + timedelta(minutes=30 * i), frozenset(f)) for i, f in enumerate(free)]


def _hours(found: list[datetime]) -> list[str]:
    return [f"{t:%H:%M}" for t in found]


def test_a_menu_needs_every_slot_it_covers_with_one_member() -> None:
    # 10:00 both, 10:30 Sato, 11:00 Suzuki, 11:30 both
    slots = _day([{SATO, SUZUKI}, {SATO}, {SUZUKI}, {SATO, SUZUKI}])
    now = T0 - timedelta(days=1)
    common = {"slot_minutes": 30, "now": now, "members": [SATO, SUZUKI]}
    assert _hours(startable(slots, duration_minutes=60, staff=None, **common)) == ["10:00", "11:00"]
    assert _hours(startable(slots, duration_minutes=60, staff=SATO, **common)) == ["10:00"]
    assert _hours(startable(slots, duration_minutes=30, staff=SUZUKI, **common)) == [
        "10:00", "11:00", "11:30"]  # fmt: skip
    # 90 minutes with nobody free for three slots in a row; the day's end cuts a menu too.
    assert startable(slots, duration_minutes=90, staff=None, **common) == []
    assert _hours(startable(slots, duration_minutes=45, staff=SUZUKI, **common)) == ["11:00"]


def test_past_starts_are_not_offered() -> None:
    slots = _day([{SATO}, {SATO}, {SATO}])
    found = startable(slots, duration_minutes=30, slot_minutes=30, now=T0 + timedelta(minutes=30),
                      staff=None, members=[SATO])  # fmt: skip
    assert _hours(found) == ["11:00"]


def test_the_guest_form_names_every_wrong_field_at_once() -> None:
    from gateway.domain.site_forms import guest_errors

    assert guest_errors({"name": " ", "name_kana": "", "email": "", "phone": ""}) == {
        "name": "お名前を入力してください。",
        "name_kana": "フリガナを入力してください。",
        "email": "メールアドレスを入力してください。",
        "phone": "電話番号を入力してください。",
    }
    wrong = guest_errors({"name": "予約 花子", "name_kana": "yoyaku", "email": "hanako@",
                          "phone": "12-34"})  # fmt: skip
    assert set(wrong) == {"name_kana", "email", "phone"}
    assert wrong["phone"] == "形式が正しくありません。例: 090-1234-5678"
    # Full-width digits and hyphens are accepted as typed.
    assert guest_errors({"name": "予約 花子", "name_kana": "ヨヤク　ハナコ",
                         "email": "ｈａｎａｋｏ@example.com", "phone": "０９０ー１２３４ー５６７８"}) == {}  # fmt: skip
