"""When a level changes without a new event (the materialized level's due-at), and the
level at past moments (LEAD-7, LEAD-8): pure functions of the events and the settings."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st
from leads.domain.decay import change_moments, level_entries, next_change
from leads.domain.levels import PRESETS, Level, OpenFact, ViewFact, assess

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
STANDARD = PRESETS["standard"]
DAY = timedelta(days=1)


def view(days_ago: float, dwell: int) -> ViewFact:
    return ViewFact(uuid4(), NOW - days_ago * DAY, "property_detail", "A", "物件A", dwell)


def opened(days_ago: float, *, machine: bool = False, kind: str = "proposal") -> OpenFact:
    return OpenFact(uuid4(), NOW - days_ago * DAY, kind, machine)


def test_red_is_due_when_its_first_view_leaves_the_5_day_window() -> None:
    views = [view(1, 30), view(0.5, 22)]
    due = next_change(views=views, opens=[], settings=STANDARD, now=NOW)
    assert due == NOW + 4 * DAY  # the older view, 1 day old, leaves the 5 days then
    just_before = assess(views=views, opens=[], settings=STANDARD, now=due - timedelta(seconds=1))
    at_due = assess(views=views, opens=[], settings=STANDARD, now=due)
    assert (just_before.level, at_due.level) == (Level.RED, Level.ORANGE)


def test_nothing_left_to_leave_means_never_due_and_machine_opens_count_for_nothing() -> None:
    assert next_change(views=[view(20, 30)], opens=[], settings=STANDARD, now=NOW) is None
    junk = [opened(0.1, machine=True), opened(0.1, kind="newsletter")]
    assert change_moments(views=[], opens=junk, settings=STANDARD) == []


def test_level_entries_say_when_each_level_was_first_reached() -> None:
    views = [view(10, 6), view(8, 30), view(7, 20)]  # orange 10 days ago, red from 7 days ago
    entries = level_entries(views=views, opens=[], settings=STANDARD, start=NOW - 30 * DAY, end=NOW)
    assert entries == {Level.ORANGE: NOW - 10 * DAY, Level.RED: NOW - 7 * DAY}
    late = level_entries(views=views, opens=[], settings=STANDARD, start=NOW - DAY, end=NOW)
    assert late == {Level.ORANGE: NOW - DAY}  # already orange when the range starts


_views = st.lists(
    st.tuples(st.floats(min_value=0, max_value=20), st.integers(min_value=0, max_value=60)),
    max_size=10,
)


@settings(max_examples=200, deadline=None)
@given(raw=_views, opens_raw=st.lists(st.floats(min_value=0, max_value=6), max_size=4),
       share=st.floats(min_value=0, max_value=1, exclude_max=True))  # fmt: skip
def test_nothing_changes_before_the_due_moment(raw, opens_raw, share) -> None:  # type: ignore[no-untyped-def]
    """Between now and the due-at, the level and its reason are those of now: a worker that
    re-scores at the due-at misses no change (and a past moment recomputes the same)."""
    views = [view(d, s) for d, s in raw]
    opens = [opened(d) for d in opens_raw]
    for preset in PRESETS.values():
        now_level = assess(views=views, opens=opens, settings=preset, now=NOW)
        due = next_change(views=views, opens=opens, settings=preset, now=NOW)
        horizon = due if due is not None else NOW + 100 * DAY
        # Strictly before the due moment (timedelta × float rounds to microseconds).
        between = min(NOW + (horizon - NOW) * share, horizon - timedelta(microseconds=1))
        later = assess(views=views, opens=opens, settings=preset, now=between)
        assert (later.level, later.reason) == (now_level.level, now_level.reason)
