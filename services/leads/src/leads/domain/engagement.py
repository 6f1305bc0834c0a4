"""A customer's engagement (LEAD-4/5): what they read, how long, when (Japan's weekday and
hour, the best time to call), and the proposal open rate from human opens only."""

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from kit.clock import JST

from leads.domain.levels import OpenFact, ViewFact, fold_opens, fold_views

WEEKDAYS = ("月", "火", "水", "木", "金", "土", "日")


@dataclass(frozen=True)
class HeatMap:
    cells: list[list[int]]  # [weekday Monday=0][hour 0–23], Japan's time
    by_weekday: list[int]
    by_hour: list[int]


def heat_map(views: Iterable[ViewFact]) -> HeatMap:
    cells = [[0] * 24 for _ in WEEKDAYS]
    for v in fold_views(views):
        local = v.at.astimezone(JST)
        cells[local.weekday()][local.hour] += 1
    return HeatMap(
        cells=cells,
        by_weekday=[sum(row) for row in cells],
        by_hour=[sum(row[h] for row in cells) for h in range(24)],
    )


@dataclass(frozen=True)
class PropertyReaction:
    property_code: str
    property_name: str
    views: int
    dwell_s: int
    liked: bool


def reactions(views: Iterable[ViewFact]) -> list[PropertyReaction]:
    """Per property, most read first."""
    groups: dict[str, list[ViewFact]] = {}
    for v in fold_views(views):
        groups.setdefault(v.property_code, []).append(v)
    out = [
        PropertyReaction(
            property_code=code,
            property_name=next((v.property_name for v in vs if v.property_name), code),
            views=len(vs),
            dwell_s=sum(v.dwell_s for v in vs),
            liked=any(v.liked for v in vs),
        )
        for code, vs in groups.items()
    ]
    return sorted(out, key=lambda r: (-r.dwell_s, -r.views, r.property_code))


@dataclass(frozen=True)
class OpenRate:
    opened: int  # proposal mails opened at least once by a person
    sent: int
    percent: int

    @property
    def label(self) -> str:
        return f"{self.percent}% ({self.opened}/{self.sent})"


def proposal_open_rate(*, sent_message_ids: Iterable[UUID], opens: Iterable[OpenFact]) -> OpenRate:
    """Opens of broadcasts and newsletters never count, nor machine opens."""
    sent = set(sent_message_ids)
    opened = {
        o.message_id
        for o in fold_opens(opens)
        if not o.machine and o.message_kind == "proposal" and o.message_id in sent
    }
    percent = round(100 * len(opened) / len(sent)) if sent else 0
    return OpenRate(opened=len(opened), sent=len(sent), percent=percent)
