"""Levels from seed 001's presets, explained, deterministic, decaying with ``now`` alone."""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kit.errors import Invalid
from leads.domain.engagement import heat_map, proposal_open_rate, reactions
from leads.domain.levels import (
    PRESETS,
    Level,
    LevelSettings,
    OpenFact,
    ViewFact,
    assess,
)

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 12:00 in Japan
STANDARD = PRESETS["standard"]


def view(
    days_ago: float,
    dwell: int,
    *,
    name: str = "物件A",
    page: str = "property_detail",
    view_id: UUID | None = None,
    liked: bool = False,
) -> ViewFact:  # type: ignore[no-untyped-def]
    return ViewFact(
        view_id or uuid4(), NOW - timedelta(days=days_ago), page, name, name, dwell, liked
    )


def opened(
    days_ago: float,
    *,
    kind: str = "proposal",
    machine: bool = False,
    message_id: UUID | None = None,
) -> OpenFact:  # type: ignore[no-untyped-def]
    return OpenFact(uuid4(), NOW - timedelta(days=days_ago), kind, machine, message_id)


def test_two_views_and_52_seconds_within_5_days_is_red_and_says_why() -> None:
    result = assess(views=[view(1, 30), view(4, 22)], opens=[], settings=STANDARD, now=NOW)
    assert result.level is Level.RED
    assert result.reason == "物件A 詳細を2回・52秒閲覧（5日以内）→ 赤"
    assert result.last_activity_at == NOW - timedelta(days=1)


def test_orange_yellow_and_nothing() -> None:
    assert assess(views=[view(10, 6)], opens=[], settings=STANDARD, now=NOW).level is Level.ORANGE
    short = assess(views=[view(1, 4)], opens=[opened(2)], settings=STANDARD, now=NOW)
    assert short.level is Level.YELLOW
    assert short.reason == "提案・ステップメールを1回開封（3日以内）→ 黄"
    assert (
        assess(views=[view(20, 100)], opens=[opened(4)], settings=STANDARD, now=NOW).level is None
    )


def test_machine_opens_and_broadcasts_never_make_a_level() -> None:
    opens = [opened(1, machine=True), opened(1, kind="broadcast"), opened(1, kind="newsletter")]
    assert assess(views=[], opens=opens, settings=STANDARD, now=NOW).level is None


def test_offices_without_proposals_use_opens_within_1_3_5_days() -> None:
    preset = PRESETS["no_proposals"]
    levels = [
        assess(views=[], opens=[opened(d, kind="step")], settings=preset, now=NOW).level
        for d in (0.5, 2, 4.5, 6)
    ]
    assert levels == [Level.RED, Level.ORANGE, Level.YELLOW, None]


def test_red_decays_as_now_passes_with_no_new_event() -> None:
    views = [view(0, 30), view(0, 22)]
    at = [NOW + timedelta(days=d) for d in (0, 4.9, 5.01, 13.9, 14.01)]
    levels = [assess(views=views, opens=[], settings=STANDARD, now=t).level for t in at]
    assert levels == [Level.RED, Level.RED, Level.ORANGE, Level.ORANGE, None]


def test_a_past_moment_ignores_what_came_after() -> None:
    views = [view(3, 30), view(1, 22)]
    before = assess(views=views, opens=[], settings=STANDARD, now=NOW - timedelta(days=2))
    assert (
        before.level is Level.ORANGE
        and before.reason == "物件A 詳細を1回・30秒閲覧（14日以内）→ 橙"
    )


def test_repeated_beacons_of_one_view_count_once_with_the_longest_dwell() -> None:
    vid = uuid4()
    views = [view(1, 10, view_id=vid), view(1, 45, view_id=vid), view(1, 20, view_id=vid)]
    result = assess(views=views, opens=[], settings=STANDARD, now=NOW)
    assert result.level is Level.ORANGE  # one access, however long: red needs two
    assert "1回・45秒" in (result.reason or "")


_events = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=20), st.integers(min_value=0, max_value=120),
        st.sampled_from(["物件A", "物件B"]), st.booleans(),
    ),
    max_size=12,
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    raw=_events, opens_raw=st.lists(st.floats(min_value=0, max_value=6), max_size=5), data=st.data()
)
def test_levels_are_the_same_for_any_order_or_repetition_of_the_events(
    raw, opens_raw, data
) -> None:  # type: ignore[no-untyped-def]
    views = [view(d, s, name=n, liked=lk) for d, s, n, lk in raw]
    opens = [opened(d) for d in opens_raw]
    for preset in PRESETS.values():
        expected = assess(views=views, opens=opens, settings=preset, now=NOW)
        shuffled_v = data.draw(st.permutations(views + views))
        shuffled_o = data.draw(st.permutations(opens + opens[:2]))
        assert assess(views=shuffled_v, opens=shuffled_o, settings=preset, now=NOW) == expected


def test_settings_round_trip_and_name_the_bad_field() -> None:
    assert LevelSettings.from_dict(STANDARD.to_dict()) == STANDARD
    bad = STANDARD.to_dict()
    bad["orange"]["period_days"] = 0
    with pytest.raises(Invalid) as err:
        LevelSettings.from_dict(bad)
    assert err.value.field == "orange.period_days" and "1〜90" in err.value.message
    bad = STANDARD.to_dict()
    bad["red"]["source"] = "clicks"
    with pytest.raises(Invalid) as err:
        LevelSettings.from_dict(bad)
    assert err.value.field == "red.source"
    bad = STANDARD.to_dict()
    bad["red"]["min_count"] = True
    with pytest.raises(Invalid):
        LevelSettings.from_dict(bad)


def test_heat_map_is_in_japans_weekday_and_hour() -> None:
    # 2026-11-30 23:30 UTC is Tuesday 08:30 in Japan.
    v = ViewFact(
        uuid4(), datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "property_detail", "A", "A", 5
    )
    grid = heat_map([v, v])
    assert grid.cells[1][8] == 1 and grid.by_weekday[1] == 1 and grid.by_hour[8] == 1
    assert sum(grid.by_hour) == 1


def test_open_rate_counts_proposals_opened_by_people() -> None:
    a, b, c = uuid4(), uuid4(), uuid4()
    opens = [
        opened(1, message_id=a), opened(0.5, message_id=a),  # twice: one mail opened
        opened(1, message_id=b, machine=True),
        opened(1, message_id=c, kind="broadcast"),
    ]  # fmt: skip
    rate = proposal_open_rate(sent_message_ids=[a, b], opens=opens)
    assert (rate.opened, rate.sent, rate.label) == (1, 2, "50% (1/2)")
    assert proposal_open_rate(sent_message_ids=[], opens=[]).label == "0% (0/0)"


def test_reactions_per_property_most_read_first() -> None:
    out = reactions(
        [view(1, 10, name="B"), view(1, 30, name="A", liked=True), view(2, 5, name="B")]
    )
    assert [(r.property_name, r.views, r.dwell_s, r.liked) for r in out] == [
        ("A", 1, 30, True), ("B", 2, 15, False),
    ]  # fmt: skip
