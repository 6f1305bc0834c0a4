"""Hot-lead levels (LEAD-2, LEAD-7): 赤 > 橙 > 黄, a pure function of the event log (page
views, opens), the office's settings and a moment. The same events in any order, or twice,
give the same level; a past moment gives the level as it was then; nothing but ``now``
makes a level decay. Windows are rolling: "5 days" is the 5×24 hours before ``now``."""

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from kit.errors import Invalid


class Level(StrEnum):
    RED = "red"
    ORANGE = "orange"
    YELLOW = "yellow"


LEVELS = (Level.RED, Level.ORANGE, Level.YELLOW)  # strongest first
LABELS = {Level.RED: "赤", Level.ORANGE: "橙", Level.YELLOW: "黄"}
RANK = {Level.RED: 3, Level.ORANGE: 2, Level.YELLOW: 1}


class Source(StrEnum):
    VIEWS = "views"  # property detail pages and nearby-listings reports
    OPENS = "opens"  # proposal and step mails (never broadcasts or newsletters)


PAGES = {"property_detail": "詳細", "nearby_report": "周辺売出しレポート"}
COUNTED_MAIL_KINDS = frozenset({"proposal", "step"})
MAX_PERIOD_DAYS = 90
_BOUNDS = {"period_days": (1, MAX_PERIOD_DAYS), "min_count": (1, 100), "min_dwell_s": (0, 3600)}


@dataclass(frozen=True)
class LevelRule:
    source: Source
    period_days: int
    min_count: int = 1
    min_dwell_s: int = 0  # views only


@dataclass(frozen=True)
class LevelSettings:
    red: LevelRule
    orange: LevelRule
    yellow: LevelRule

    def rule(self, level: Level) -> LevelRule:
        return getattr(self, level.value)

    def to_dict(self) -> dict[str, Any]:
        return {lv.value: asdict(self.rule(lv)) for lv in LEVELS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "LevelSettings":
        """Checked settings; the error names the field as the request spells it."""
        rules: dict[str, LevelRule] = {}
        for level in LEVELS:
            raw = data.get(level.value)
            if not isinstance(raw, dict):
                raise Invalid(f"{LABELS[level]}の指標を指定してください。", field=level.value)
            try:
                source = Source(raw.get("source"))
            except ValueError:
                raise Invalid(
                    "集計対象は「物件詳細の閲覧」か「メール開封」を選んでください。",
                    code="invalid_source",
                    field=f"{level.value}.source",
                ) from None
            values: dict[str, int] = {}
            for name, (low, high) in _BOUNDS.items():
                value = raw.get(name, 0 if name == "min_dwell_s" else None)
                if type(value) is not int or not low <= value <= high:
                    raise Invalid(
                        f"{LABELS[level]}の値は{low}〜{high}の整数で指定してください。",
                        code="out_of_range",
                        field=f"{level.value}.{name}",
                    )
                values[name] = value
            rules[level.value] = LevelRule(source=source, **values)
        return cls(**rules)


PRESETS = {
    # Seed 001's recommended thresholds.
    "standard": LevelSettings(
        red=LevelRule(Source.VIEWS, period_days=5, min_count=2, min_dwell_s=40),
        orange=LevelRule(Source.VIEWS, period_days=14, min_count=1, min_dwell_s=5),
        yellow=LevelRule(Source.OPENS, period_days=3, min_count=1),
    ),
    # Offices that send no proposal mails: opens within 1/3/5 days.
    "no_proposals": LevelSettings(
        red=LevelRule(Source.OPENS, period_days=1),
        orange=LevelRule(Source.OPENS, period_days=3),
        yellow=LevelRule(Source.OPENS, period_days=5),
    ),
}
DEFAULT_PRESET = "standard"


@dataclass(frozen=True)
class ViewFact:
    view_id: UUID
    at: datetime  # when the page was opened (the first beacon)
    page: str
    property_code: str
    property_name: str
    dwell_s: int
    liked: bool = False


@dataclass(frozen=True)
class OpenFact:
    open_id: UUID
    at: datetime
    message_kind: str
    machine: bool
    message_id: UUID | None = None


@dataclass(frozen=True)
class Assessment:
    level: Level | None
    reason: str | None  # 「物件A 詳細を2回・52秒閲覧（5日以内）→ 赤」
    last_activity_at: datetime | None


def fold_views(views: Iterable[ViewFact]) -> list[ViewFact]:
    """One fact per view however often it was reported: the longest dwell, liked if ever."""
    merged: dict[UUID, ViewFact] = {}
    for v in views:
        seen = merged.get(v.view_id)
        if seen is None:
            merged[v.view_id] = v
            continue
        first = min(seen, v, key=lambda f: (f.at, f.page, f.property_code, f.property_name))
        merged[v.view_id] = ViewFact(
            v.view_id, first.at, first.page, first.property_code, first.property_name,
            max(seen.dwell_s, v.dwell_s), seen.liked or v.liked,
        )  # fmt: skip
    return sorted(merged.values(), key=lambda f: (f.at, f.view_id))


def fold_opens(opens: Iterable[OpenFact]) -> list[OpenFact]:
    merged = {o.open_id: o for o in sorted(opens, key=lambda o: (o.open_id, o.at))}
    return sorted(merged.values(), key=lambda o: (o.at, o.open_id))


def counted_opens(opens: Iterable[OpenFact]) -> list[OpenFact]:
    return [o for o in opens if not o.machine and o.message_kind in COUNTED_MAIL_KINDS]


def assess(
    *,
    views: Iterable[ViewFact],
    opens: Iterable[OpenFact],
    settings: LevelSettings,
    now: datetime,
) -> Assessment:
    past_views = [v for v in fold_views(views) if v.at <= now]
    past_opens = [o for o in counted_opens(fold_opens(opens)) if o.at <= now]
    moments = [v.at for v in past_views] + [o.at for o in past_opens]
    last = max(moments, default=None)
    for level in LEVELS:
        rule = settings.rule(level)
        since = now - timedelta(days=rule.period_days)
        if rule.source is Source.VIEWS:
            hits = [v for v in past_views if v.at > since]
            dwell = sum(v.dwell_s for v in hits)
            if hits and len(hits) >= rule.min_count and dwell >= rule.min_dwell_s:
                what = _views_text(hits)
                return Assessment(
                    level, f"{what}（{rule.period_days}日以内）→ {LABELS[level]}", last
                )
        else:
            hits_o = [o for o in past_opens if o.at > since]
            if hits_o and len(hits_o) >= rule.min_count:
                what = f"提案・ステップメールを{len(hits_o)}回開封"
                return Assessment(
                    level, f"{what}（{rule.period_days}日以内）→ {LABELS[level]}", last
                )
    return Assessment(None, None, last)


def _views_text(views: list[ViewFact]) -> str:
    groups: dict[tuple[str, str], list[ViewFact]] = {}
    for v in views:
        groups.setdefault((v.property_name or v.property_code or "物件", v.page), []).append(v)
    parts = [
        (-sum(v.dwell_s for v in vs), name, PAGES.get(page, page), len(vs))
        for (name, page), vs in groups.items()
    ]
    return "、".join(f"{n} {p}を{c}回・{-d}秒" for d, n, p, c in sorted(parts)) + "閲覧"
