"""LEAD-8 on a constructed history: conversion by level within N days, and the forecast."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from leads.domain.conversion import conversion
from leads.domain.levels import PRESETS, Level, OpenFact, ViewFact

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def view(days_ago: float, dwell: int) -> ViewFact:
    return ViewFact(uuid4(), NOW - days_ago * DAY, "property_detail", "A", "物件A", dwell)


def opened(days_ago: float) -> OpenFact:
    return OpenFact(uuid4(), NOW - days_ago * DAY, "proposal", False)


def test_rates_per_level_reached_and_the_forecast_from_the_current_counts() -> None:
    a, b, c, d = (uuid4() for _ in range(4))
    histories = {
        a: ([view(60, 30), view(60, 22)], []),  # red at -60, orange from -55; 成約 at -50
        b: ([view(100, 10)], []),  # orange at -100, never contracted
        c: ([], [opened(40)]),  # yellow at -40; 成約 at -5, 35 days later: too late
        d: ([view(10, 30), view(10, 30)], []),  # red at -10: after the period (its 30 days run)
    }
    contracts = {a: [NOW - 50 * DAY], c: [NOW - 5 * DAY], d: [NOW - 9 * DAY]}
    found = conversion(
        histories=histories,
        contracts=contracts,
        current={Level.RED: 2, Level.ORANGE: 1},
        settings=PRESETS["standard"],
        now=NOW,
        days=30,
        lookback_days=180,
    )
    assert (found.since, found.until) == (NOW - 210 * DAY, NOW - 30 * DAY)
    assert [(r.level, r.leads, r.contracted, r.rate, r.current) for r in found.levels] == [
        (Level.RED, 1, 1, 1.0, 2),
        (Level.ORANGE, 2, 1, 0.5, 1),
        (Level.YELLOW, 1, 0, 0.0, 0),
    ]
    assert found.forecast == 2.5  # 2 × 100 % + 1 × 50 % + 0
    assert "30日以内に成約" in found.method and "過去180日間" in found.method


def test_no_leads_means_no_rate_and_no_forecast() -> None:
    found = conversion(
        histories={}, contracts={}, current={Level.RED: 3}, settings=PRESETS["standard"],
        now=NOW, days=14, lookback_days=90,
    )  # fmt: skip
    assert [r.rate for r in found.levels] == [None, None, None] and found.forecast == 0
