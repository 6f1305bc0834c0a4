"""What the public tracking routes need besides the database: the signing secret, Apple's
egress ranges from a file an operator refreshes, and a flood guard that keeps no address."""

import hashlib
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from kit.logging import get_logger
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from leads.domain.machine import EgressRanges

log = get_logger("leads.tracking")
SNAPSHOT = Path(__file__).resolve().parent.parent / "data" / "apple_egress_ranges.csv"


class EgressFile:
    """Rereads the file when it changes, looking at most once a minute; a broken file keeps
    the ranges last read."""

    CHECK_EVERY_S = 60.0

    def __init__(self, path: Path | None = None) -> None:
        self._path = path or SNAPSHOT
        self._mtime: float | None = None
        self._checked = float("-inf")
        self._ranges = EgressRanges([])
        self.ranges()

    def ranges(self) -> EgressRanges:
        now = time.monotonic()
        if now - self._checked >= self.CHECK_EVERY_S:
            self._checked = now
            try:
                mtime = self._path.stat().st_mtime
                if mtime != self._mtime:
                    self._ranges = EgressRanges.parse(self._path.read_text(encoding="utf-8"))
                    self._mtime = mtime
                    log.info("apple egress ranges loaded", networks=len(self._ranges))
            except OSError as exc:
                log.warning("apple egress ranges unreadable", error=type(exc).__name__)
        return self._ranges


class FloodGuard:
    """Per client address and token, and per address. Addresses are keyed by a salted
    hash that lives only in this process's memory, for the minute of the window."""

    def __init__(self, *, per_token: int, per_address: int) -> None:
        self._salt = secrets.token_bytes(16)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._per_token = RateLimitItemPerMinute(per_token)
        self._per_address = RateLimitItemPerMinute(per_address)

    def allow(self, *, address: str, token: str) -> bool:
        key = hashlib.blake2b(address.encode(), key=self._salt, digest_size=16).hexdigest()
        if not self._limiter.hit(self._per_address, "address", key):
            return False
        return self._limiter.hit(self._per_token, "token", key, token[-24:])


@dataclass
class Tracking:
    secret: str
    token_ttl_days: int
    egress: EgressFile
    guard: FloodGuard
