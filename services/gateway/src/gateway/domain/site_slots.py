"""Which times the booking site offers (予約サイト): a menu of N minutes can start at a slot
when the chosen member (or, for 指名なし, any one member) is free for every slot the menu
covers, and the start is still ahead. Plain Python over the booking service's calendar."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID


@dataclass(frozen=True)
class FreeSlot:
    starts_at: datetime
    free_staff: frozenset[UUID]


def startable(
    slots: Sequence[FreeSlot], *, duration_minutes: int, slot_minutes: int, now: datetime,
    staff: UUID | None, members: Iterable[UUID],
) -> list[datetime]:  # fmt: skip
    """The starts of one day's slots where the menu fits for ``staff`` (None: anyone)."""
    by_start = {s.starts_at: s.free_staff for s in slots}
    step = timedelta(minutes=slot_minutes)
    needed = max(1, -(-duration_minutes // slot_minutes))
    candidates = [staff] if staff is not None else list(members)
    found = []
    for s in slots:
        if s.starts_at <= now:
            continue
        covered = [s.starts_at + step * i for i in range(needed)]
        if any(
            all(member in by_start.get(t, frozenset()) for t in covered) for member in candidates
        ):
            found.append(s.starts_at)
    return found
