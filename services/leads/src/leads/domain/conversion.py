"""LEAD-8: from hot lead to contract (成約). For each level, the customers who reached it in a
past period, and how many of them contracted within N days of reaching it; the rates applied
to the customers at each level now give next month's expected contracts. Pure: the levels
at past moments are recomputed from the event log (domain.decay.level_entries)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from leads.domain.decay import level_entries
from leads.domain.levels import LABELS, LEVELS, Level, LevelSettings, OpenFact, ViewFact


@dataclass(frozen=True)
class LevelConversion:
    level: Level
    leads: int  # customers who reached the level in the period
    contracted: int  # of them, contracted within N days of reaching it
    rate: float | None  # contracted / leads; None without leads
    current: int  # customers at the level now, not contracted yet
    forecast: float  # current × rate


@dataclass(frozen=True)
class Conversion:
    since: datetime
    until: datetime
    days: int
    levels: list[LevelConversion]
    forecast: float
    method: str


def conversion(
    *,
    histories: Mapping[UUID, tuple[Sequence[ViewFact], Sequence[OpenFact]]],
    contracts: Mapping[UUID, Sequence[datetime]],
    current: Mapping[Level, int],
    settings: LevelSettings,
    now: datetime,
    days: int,
    lookback_days: int,
) -> Conversion:
    """The period ends ``days`` before ``now`` so that every lead in it had its N days."""
    until = now - timedelta(days=days)
    since = until - timedelta(days=lookback_days)
    window = timedelta(days=days)
    leads = {lv: 0 for lv in LEVELS}
    won = {lv: 0 for lv in LEVELS}
    for customer_id, (views, opens) in histories.items():
        entries = level_entries(views=views, opens=opens, settings=settings, start=since, end=until)
        signed = contracts.get(customer_id, ())
        for level, entered in entries.items():
            leads[level] += 1
            if any(entered <= at <= entered + window for at in signed):
                won[level] += 1
    rows = []
    for level in LEVELS:
        rate = won[level] / leads[level] if leads[level] else None
        count = current.get(level, 0)
        rows.append(
            LevelConversion(level, leads[level], won[level], rate, count, count * (rate or 0.0))
        )
    return Conversion(
        since=since,
        until=until,
        days=days,
        levels=rows,
        forecast=round(sum(r.forecast for r in rows), 1),
        method=method_text(days=days, lookback_days=lookback_days),
    )


def method_text(*, days: int, lookback_days: int) -> str:
    order = "・".join(LABELS[lv] for lv in LEVELS)
    return (
        f"成約率: 直近{days}日を除く過去{lookback_days}日間に{order}の各レベルになった顧客のうち、"
        f"そのレベルになってから{days}日以内に成約（追客状況が「成約」に変更）した顧客の割合です。"
        "レベルは現在の指標で閲覧・開封の記録から計算し直しており、"
        "複数のレベルになった顧客はレベルごとに数えます。"
        f"来月の成約見込み: 現在の各レベルの顧客数（成約済みを除く）にそのレベルの成約率を掛けて"
        "合計した数です。"
    )
