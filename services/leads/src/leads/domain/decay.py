"""When levels change with no new event (LEAD-7), and what a customer was at past moments
(LEAD-8). A level is piecewise constant in time: the events a rule counts change only when a
moment reaches an event (it enters) or an event's moment plus the rule's period (it leaves
the rolling window). Those moments are all there is to look at."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from leads.domain.levels import (
    LEVELS,
    Level,
    LevelSettings,
    OpenFact,
    Source,
    ViewFact,
    assess,
    counted_opens,
    fold_opens,
    fold_views,
)


def change_moments(
    *, views: Iterable[ViewFact], opens: Iterable[OpenFact], settings: LevelSettings
) -> list[datetime]:
    """Every moment at which the level or its reason may change, oldest first."""
    periods: dict[Source, set[timedelta]] = {Source.VIEWS: set(), Source.OPENS: set()}
    for level in LEVELS:
        rule = settings.rule(level)
        periods[rule.source].add(timedelta(days=rule.period_days))
    at = [(v.at, Source.VIEWS) for v in fold_views(views)]
    at += [(o.at, Source.OPENS) for o in counted_opens(fold_opens(opens))]
    moments = {moment for moment, _ in at}
    for moment, source in at:
        moments.update(moment + period for period in periods[source])
    return sorted(moments)


def next_change(
    *,
    views: Iterable[ViewFact],
    opens: Iterable[OpenFact],
    settings: LevelSettings,
    now: datetime,
) -> datetime | None:
    """The earliest moment after ``now`` at which the level can change without a new event
    (the due-at of the materialized level); None when nothing is left to leave a window."""
    moments = change_moments(views=views, opens=opens, settings=settings)
    return next((m for m in moments if m > now), None)


def level_entries(
    *,
    views: Iterable[ViewFact],
    opens: Iterable[OpenFact],
    settings: LevelSettings,
    start: datetime,
    end: datetime,
) -> dict[Level, datetime]:
    """The first moment in [start, end) at which the customer was at each level."""
    views, opens = list(views), list(opens)
    moments = change_moments(views=views, opens=opens, settings=settings)
    entries: dict[Level, datetime] = {}
    for moment in [start, *(m for m in moments if start < m < end)]:
        level = assess(views=views, opens=opens, settings=settings, now=moment).level
        if level is not None and level not in entries:
            entries[level] = moment
    return entries
