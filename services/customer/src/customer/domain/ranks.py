"""The rank master (ランクマスタ, CUS-10): each rank is a box of three ranges — purchase count
and amount over the master's period, and days since the last purchase — with bounds that may
be open. Ranks must not overlap (a customer has at most one rank), so a master whose boxes
intersect is refused. Pure rules, no I/O; the recompute is one SQL statement (adapters)."""

from dataclasses import dataclass
from itertools import combinations

from customer.domain.errors import RankError

MAX_RANKS = 20
MAX_NAME = 30
RANGES = (
    ("orders", "購入回数", "回"),
    ("amount_yen", "購入金額", "円"),
    ("days_since", "最終購入からの日数", "日"),
)


@dataclass(frozen=True)
class RankRule:
    name: str
    min_orders: int | None = None
    max_orders: int | None = None
    min_amount_yen: int | None = None
    max_amount_yen: int | None = None
    min_days_since: int | None = None
    max_days_since: int | None = None

    def bounds(self, key: str) -> tuple[int | None, int | None]:
        return getattr(self, f"min_{key}"), getattr(self, f"max_{key}")

    def matches(self, *, orders: int, amount_yen: int, days_since: int | None) -> bool:
        """What the SQL recompute does, in Python (the domain's tests pin one to the other).
        No purchase yet: days since is unknown, only a rank with no bound on it can match."""
        for key, value in (("orders", orders), ("amount_yen", amount_yen)):
            low, high = self.bounds(key)
            if (low is not None and value < low) or (high is not None and value > high):
                return False
        low, high = self.bounds("days_since")
        if days_since is None:
            return low is None and high is None
        return not (
            (low is not None and days_since < low) or (high is not None and days_since > high)
        )


def check_master(ranks: list[RankRule], *, period_days: int | None) -> None:
    """Every problem at once: names, each range's order, then overlapping pairs."""
    errors: list[tuple[str, str]] = []
    if period_days is not None and not 1 <= period_days <= 3650:
        errors.append(("period_days", "集計期間は1〜3650日で入力してください（空欄は全期間）。"))
    if len(ranks) > MAX_RANKS:
        errors.append(("ranks", f"ランクは{MAX_RANKS}件までです。"))
    seen: set[str] = set()
    for i, rank in enumerate(ranks):
        name = rank.name.strip()
        if not name:
            errors.append((f"ranks.{i}.name", "ランク名を入力してください。"))
        elif len(name) > MAX_NAME:
            errors.append((f"ranks.{i}.name", f"ランク名は{MAX_NAME}文字以内で入力してください。"))
        elif name in seen:
            errors.append((f"ranks.{i}.name", f"ランク名「{name}」が重複しています。"))
        seen.add(name)
        bounded = False
        for key, label, unit in RANGES:
            low, high = rank.bounds(key)
            bounded = bounded or low is not None or high is not None
            for side, value in (("min", low), ("max", high)):
                if value is not None and value < 0:
                    errors.append(
                        (f"ranks.{i}.{side}_{key}", f"{label}は0以上で入力してください。")
                    )
            if low is not None and high is not None and low > high:
                errors.append((f"ranks.{i}.max_{key}",
                               f"{label}の上限（{high:,}{unit}）が下限より小さくなっています。"))  # fmt: skip
        if not bounded:
            errors.append((f"ranks.{i}", f"ランク「{name}」の条件を1つ以上入力してください。"))
    if not errors:
        for (_, a), (j, b) in combinations(enumerate(ranks), 2):
            if _overlap(a, b):
                errors.append((f"ranks.{j}", f"ランク「{a.name}」と「{b.name}」の条件が重なって"
                               "います。どちらか一方にしか当てはまらないように範囲を分けてください。"))  # fmt: skip
    if errors:
        field, message = errors[0]
        code = "rank_overlap" if "重なって" in message else None
        listed = [{"code": "invalid", "message": m, "field": f} for f, m in errors]
        raise RankError(message, field=field, code=code, errors=listed)


def _overlap(a: RankRule, b: RankRule) -> bool:
    """Two boxes intersect when every one of their ranges does (an open bound is infinite).
    A customer with no purchase has no days since: both ranks leaving that range open would
    take them, which the ranges of orders decide like any other value (0 orders)."""
    for key, _, _ in RANGES:
        (alow, ahigh), (blow, bhigh) = a.bounds(key), b.bounds(key)
        low = max(v for v in (alow, blow, 0) if v is not None)
        highs = [v for v in (ahigh, bhigh) if v is not None]
        if highs and low > min(highs):
            return False
    return True


def rank_of(
    ranks: list[RankRule], *, orders: int, amount_yen: int, days_since: int | None
) -> str | None:
    found = [r.name for r in ranks if r.matches(orders=orders, amount_yen=amount_yen,
                                                  days_since=days_since)]  # fmt: skip
    return found[0] if found else None
