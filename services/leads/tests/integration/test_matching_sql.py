"""The matching query and the domain's rule give the same answers (LEAD-6): buyers of many
shapes against listings of many shapes, on the real PostgreSQL."""

import itertools
import uuid
from datetime import UTC, datetime

import pytest
from leads.domain.matching import AreaWish, ListingView, Wishes, matches

pytestmark = pytest.mark.database

LISTINGS = [
    ListingView("mansion", "東京都", 52_800_000, city="港区", station="田町", layout="2LDK", size_m2=55.2),
    ListingView("house", "神奈川県", 39_800_000, city="横浜市", layout="4LDK", size_m2=98.0),
    ListingView("land", "東京都", 30_000_000, city="品川区"),
    ListingView("rental", "大阪府", 120_000, city="大阪市", station="梅田", layout="1K", size_m2=25.0),
]  # fmt: skip
WISHES = [
    Wishes(),
    Wishes(kinds=("mansion",)),
    Wishes(kinds=("house", "land")),
    Wishes(layouts=("2LDK", "1K")),
    Wishes(price_max_yen=40_000_000),
    Wishes(price_min_yen=35_000_000, price_max_yen=60_000_000),
    Wishes(size_min_m2=50),
    Wishes(areas=(AreaWish(prefecture="東京都"),)),
    Wishes(areas=(AreaWish(prefecture="東京都", city="港区"), AreaWish(station="梅田"))),
    Wishes(areas=(AreaWish(city="横浜市"),), kinds=("house",), size_min_m2=90),
    Wishes(areas=(AreaWish(prefecture="北海道"),)),
]


async def test_the_query_agrees_with_the_rule(leads_runtime) -> None:  # type: ignore[no-untyped-def]
    tenant_id = uuid.uuid4()
    tx = leads_runtime.transactions(tenant_id=tenant_id)
    buyers = {uuid.uuid4(): w for w in WISHES}
    now = datetime.now(UTC)

    async def load(uow) -> None:  # type: ignore[no-untyped-def]
        for customer_id, w in buyers.items():
            await uow.buyers.put(values={
                "customer_id": customer_id, "name": "買主", "email": "b@example.com",
                "side": "buyer", "proposal_delivery": "automatic", "newsletter_opt_in": False,
                "kinds": list(w.kinds), "layouts": list(w.layouts),
                "price_min_yen": w.price_min_yen, "price_max_yen": w.price_max_yen,
                "size_min_m2": w.size_min_m2, "changed_at": now,
            }, areas=[a.__dict__ for a in w.areas])  # fmt: skip
        for n, lst in enumerate(LISTINGS):
            await uow.listings.put(values={
                "property_id": uuid.UUID(int=n + 1), "store_id": uuid.uuid4(), "code": None,
                "name": f"物件{n}", "changed_at": now, **lst.__dict__,
            })  # fmt: skip

    await tx.run(load)

    async def answers(uow):  # type: ignore[no-untyped-def]
        found = {}
        for row in await uow.listings.many(
            property_ids=[uuid.UUID(int=n + 1) for n in range(len(LISTINGS))]
        ):
            found[row.property_id.int - 1] = set(await uow.buyers.automatic_matches(listing=row))
        return found

    by_query = await tx.run(answers)
    checked = 0
    for (n, listing), (customer_id, wishes) in itertools.product(
        enumerate(LISTINGS), buyers.items()
    ):
        assert (customer_id in by_query[n]) == matches(listing, wishes), (listing, wishes)
        checked += 1
    assert checked == len(LISTINGS) * len(WISHES)
    assert any(by_query.values()) and not all(len(v) == len(buyers) for v in by_query.values())
