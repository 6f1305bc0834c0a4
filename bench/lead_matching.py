"""LEAD-6 matching at scale: N buyers with synthetic 希望条件 (written with COPY) in a fresh
database migrated by the leads service; then, per new listing, the matching query that the
automatic proposals run (BuyerRepository.automatic_matches, through the ORM session with
tenant scoping) beside, in the same run, the baseline a guess would be: fetch every
automatic buyer with bare asyncpg and test each in Python (domain.matching). Both must find
the same buyers.

    .venv/bin/python bench/lead_matching.py [--count 100000] [--listings 50]

Writes bench/results/lead_matching.json.
"""

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

from kit import db, migrations  # noqa: E402
from kit.db import TENANT_KEY, asyncpg_dsn  # noqa: E402
from leads.adapters.mail_orm import Listing  # noqa: E402
from leads.adapters.mail_repository import BuyerRepository  # noqa: E402
from leads.domain.matching import AreaWish, ListingView, Wishes, matches  # noqa: E402

PG = os.environ.get("CRM_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
TENANT = uuid.UUID("00000000-0000-7000-8000-000000000001")
PLACES = [("東京都", "港区", "田町"), ("東京都", "品川区", "大崎"), ("東京都", "世田谷区", "三軒茶屋"),
          ("神奈川県", "横浜市", "横浜"), ("神奈川県", "川崎市", "武蔵小杉"), ("大阪府", "大阪市", "梅田"),
          ("埼玉県", "さいたま市", "大宮"), ("千葉県", "船橋市", "船橋")]  # fmt: skip
KINDS = ["mansion", "house", "land", "rental"]
LAYOUTS = ["1R", "1K", "1LDK", "2LDK", "3LDK", "4LDK"]


def _wishes(rng: random.Random) -> Wishes:
    areas = tuple(
        AreaWish(prefecture=p, city=c if rng.random() < 0.6 else None,
                 station=s if rng.random() < 0.2 else None)
        for p, c, s in rng.sample(PLACES, rng.choice([0, 1, 1, 2, 3]))
    )  # fmt: skip
    low = rng.choice([None, None, 20_000_000, 30_000_000])
    high = rng.choice([None, 40_000_000, 60_000_000, 80_000_000])
    return Wishes(
        areas=areas,
        kinds=tuple(rng.sample(KINDS, rng.choice([0, 1, 1, 2]))),
        layouts=tuple(rng.sample(LAYOUTS, rng.choice([0, 1, 2, 3]))),
        price_min_yen=low, price_max_yen=high,
        size_min_m2=rng.choice([None, None, 40.0, 60.0]),
    )  # fmt: skip


def _listing(rng: random.Random) -> ListingView:
    p, c, s = rng.choice(PLACES)
    kind = rng.choice(KINDS)
    return ListingView(kind=kind, prefecture=p, city=c, station=s,
                       price_yen=rng.randrange(15_000_000, 90_000_000, 100_000),
                       layout=None if kind == "land" else rng.choice(LAYOUTS),
                       size_m2=round(rng.uniform(20, 120), 1))  # fmt: skip


async def _load(dsn: str, wishes: dict[uuid.UUID, Wishes], rng: random.Random) -> None:
    now = datetime.now(UTC)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.copy_records_to_table("lead_buyers", columns=[
            "tenant_id", "customer_id", "name", "email", "side", "proposal_delivery",
            "newsletter_opt_in", "kinds", "layouts", "price_min_yen", "price_max_yen",
            "size_min_m2", "has_areas", "changed_at"], records=[
            (TENANT, c, "買主", f"b{n}@example.com", "buyer",
             "automatic" if rng.random() < 0.7 else "manual", False, list(w.kinds),
             list(w.layouts), w.price_min_yen, w.price_max_yen, w.size_min_m2, bool(w.areas), now)
            for n, (c, w) in enumerate(wishes.items())
        ])  # fmt: skip
        await conn.copy_records_to_table(
            "lead_buyer_areas", columns=["tenant_id", "customer_id", "prefecture", "city", "station"],
            records=[(TENANT, c, a.prefecture, a.city, a.station)
                     for c, w in wishes.items() for a in w.areas],
        )  # fmt: skip
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


async def main(count: int, listings: int) -> dict:
    url = PG.rstrip("/") + "/bench_lead_matching"
    admin = await asyncpg.connect(asyncpg_dsn(PG.rstrip("/") + "/postgres"))
    await admin.execute("DROP DATABASE IF EXISTS bench_lead_matching")
    await admin.close()
    await db.ensure_database(url)
    engine = db.create_engine(url)
    await migrations.upgrade(engine, "leads.migrations")
    rng = random.Random(20261201)
    wishes = {uuid.uuid4(): _wishes(rng) for _ in range(count)}
    started = time.perf_counter()
    await _load(asyncpg_dsn(url), wishes, rng)
    load_s = time.perf_counter() - started

    sessions = db.session_factory(engine)
    bare = await asyncpg.connect(asyncpg_dsn(url))
    query_ms, baseline_ms, found = [], [], []
    for n in range(listings):
        view = _listing(rng)
        listing = Listing(tenant_id=TENANT, property_id=uuid.UUID(int=n + 1), **view.__dict__)
        async with sessions() as session:
            session.info[TENANT_KEY] = TENANT
            t0 = time.perf_counter()
            by_query = set(
                await BuyerRepository(session, tenant_id=TENANT).automatic_matches(listing=listing)
            )
            query_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        rows = await bare.fetch(
            "SELECT customer_id FROM lead_buyers WHERE tenant_id = $1 AND proposal_delivery = "
            "'automatic' AND email IS NOT NULL AND unsubscribed_at IS NULL", TENANT)  # fmt: skip
        by_python = {r["customer_id"] for r in rows if matches(view, wishes[r["customer_id"]])}
        baseline_ms.append((time.perf_counter() - t0) * 1000)
        assert by_query == by_python, (view, len(by_query), len(by_python))
        found.append(len(by_query))
    await bare.close()
    await engine.dispose()

    def pct(values: list[float], q: float) -> float:
        return round(sorted(values)[min(len(values) - 1, int(q * len(values)))], 2)

    result = {
        "buyers": count, "listings": listings, "load_s": round(load_s, 2),
        "matches_per_listing_mean": round(statistics.mean(found), 1),
        "query_ms": {"p50": pct(query_ms, 0.5), "p95": pct(query_ms, 0.95)},
        "baseline_fetch_all_and_match_in_python_ms": {
            "p50": pct(baseline_ms, 0.5), "p95": pct(baseline_ms, 0.95)},
        "speedup_p50": round(pct(baseline_ms, 0.5) / max(pct(query_ms, 0.5), 0.01), 1),
        "machine": platform.platform(), "measured_at": datetime.now(UTC).isoformat(),
    }  # fmt: skip
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "lead_matching.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--listings", type=int, default=50)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.count, args.listings)), ensure_ascii=False, indent=2))
