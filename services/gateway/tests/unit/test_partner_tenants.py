"""The few seconds' cache of the tenants partners' deliveries name: kept for TTL_S, read
again when asked fresh or after it, unknown slugs never kept, a tenant forgotten at once."""

import uuid
from datetime import UTC, datetime, timedelta

from gateway.domain.partner_tenants import TTL_S, PartnerTenant, PartnerTenants

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class Source:
    """What the database holds, and how often it was asked."""

    def __init__(self, tenant: PartnerTenant | None) -> None:
        self.tenant, self.reads = tenant, 0

    async def load(self) -> PartnerTenant | None:
        self.reads += 1
        return self.tenant


def _tenant(secret: str) -> PartnerTenant:
    return PartnerTenant(uuid.UUID(int=7), secret, None, None)


async def test_a_tenant_is_read_once_within_the_bound_and_again_after_it() -> None:
    clock, source = Clock(), Source(_tenant("a"))
    cache = PartnerTenants(clock=clock)
    assert (await cache.get("demo", source.load)).portal_secret == "a"  # type: ignore[union-attr]
    source.tenant = _tenant("b")  # changed by another replica
    clock.t += TTL_S - 0.1
    assert (await cache.get("demo", source.load)).portal_secret == "a"  # type: ignore[union-attr]
    assert source.reads == 1
    clock.t += 0.2
    assert (await cache.get("demo", source.load)).portal_secret == "b"  # type: ignore[union-attr]
    assert source.reads == 2


async def test_fresh_reads_forget_and_unknown_slugs() -> None:
    clock, source = Clock(), Source(_tenant("a"))
    cache = PartnerTenants(clock=clock)
    await cache.get("demo", source.load)
    source.tenant = _tenant("b")
    assert (await cache.get("demo", source.load, fresh=True)).portal_secret == "b"  # type: ignore[union-attr]
    source.tenant = _tenant("c")
    cache.forget(uuid.UUID(int=7))
    assert (await cache.get("demo", source.load)).portal_secret == "c"  # type: ignore[union-attr]
    missing = Source(None)
    assert await cache.get("nobody", missing.load) is None
    assert await cache.get("nobody", missing.load) is None
    assert missing.reads == 2  # a tenant created a moment ago is found at once


def test_the_previous_secret_signs_only_during_its_grace() -> None:
    tenant = PartnerTenant(uuid.uuid4(), "new", "old", NOW + timedelta(days=7))
    assert tenant.portal_secrets(now=NOW) == ["new", "old"]
    assert tenant.portal_secrets(now=NOW + timedelta(days=7)) == ["new"]
    assert PartnerTenant(uuid.uuid4(), None, None, None).portal_secrets(now=NOW) == []
