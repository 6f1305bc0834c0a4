"""The tenants that partners' signed deliveries name, kept for a few seconds per gateway
process (issue 15: a portal webhook no longer reads the tenant and its secrets each time).

Staleness is bounded both ways:
- a secret the cache does not know yet (a rotation, on this replica or another) never
  refuses a delivery: a signature that matches none of the cached secrets is checked again
  against the tenant as the database has it (``fresh=True``);
- a secret, or a tenant, removed since is still accepted for at most ``TTL_S`` seconds on
  another replica that had cached it (a rotation keeps the old secret valid for days anyway;
  the replica that rotates forgets the tenant at once).
Unknown slugs are not cached: a tenant created a moment ago is found at once."""

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

TTL_S = 10.0
MAX_ENTRIES = 10_000  # a bound on memory: the oldest entry goes first


@dataclass(frozen=True)
class PartnerTenant:
    """What a signed delivery needs of its tenant (no ORM object outlives its session)."""

    id: UUID
    portal_secret: str | None
    previous_portal_secret: str | None
    previous_portal_secret_until: datetime | None

    def portal_secrets(self, *, now: datetime) -> list[str]:
        """The secrets that sign at ``now``: the current one, and the one before it during
        its grace period after a rotation."""
        found = [self.portal_secret] if self.portal_secret else []
        until = self.previous_portal_secret_until
        if self.previous_portal_secret and until is not None and now < until:
            found.append(self.previous_portal_secret)
        return found


Loader = Callable[[], Awaitable[PartnerTenant | None]]


class PartnerTenants:
    def __init__(self, *, ttl_s: float = TTL_S, clock: Callable[[], float] = time.monotonic):
        self._ttl_s = ttl_s
        self._clock = clock
        self._kept: dict[str, tuple[float, PartnerTenant]] = {}

    async def get(self, slug: str, load: Loader, *, fresh: bool = False) -> PartnerTenant | None:
        now = self._clock()
        kept = self._kept.get(slug)
        if kept is not None and not fresh and now - kept[0] < self._ttl_s:
            return kept[1]
        found = await load()
        self._kept.pop(slug, None)
        if found is not None:
            if len(self._kept) >= MAX_ENTRIES:
                self._kept.pop(next(iter(self._kept)))
            self._kept[slug] = (now, found)
        return found

    def forget(self, tenant_id: UUID) -> None:
        """The tenant's secrets changed here: the next delivery reads them again."""
        for slug in [s for s, (_, t) in self._kept.items() if t.id == tenant_id]:
            del self._kept[slug]
