"""The booking site's two costliest pages beside their baselines, measured in the same run on
the embedded system (in process, no network): the week of times (``/r/.../slots``: the salon
catalogue and a 7-day calendar from booking, the fitting starts, the template) against the
public JSON view that makes the same two booking calls (``/api/v1/public/{tenant}/salon``);
and a sign-in (``POST /r/.../login``: the throttle, the customer service's argon2 check, the
cookie) against one bare ``kit.passwords.verify_password``.

    .venv/bin/python bench/booking_site.py [--rounds 100]  (≤ 115: the pages and the JSON view allow 120/min per client)

Prints p50/p95 of each and the ratios; writes bench/results/booking_site.json."""

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))  # the e2e tests' salon set-up


def _figures(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2)}  # fmt: skip


async def _timed(call, rounds: int) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - t0)
    return samples


async def main(rounds: int) -> dict:
    from host.embedded import EmbeddedSystem, start_embedded_postgres, stop_embedded_postgres
    from kit import clock
    from kit.passwords import hash_password, verify_password
    from kit.settings import CommonSettings

    from tests.e2e.site_flows import SITE, demo_salon

    folder = Path(tempfile.mkdtemp(prefix="bench-site-"))
    url = start_embedded_postgres(folder)
    system = EmbeddedSystem(
        url_template=url, common=CommonSettings(bus="memory", mail_poll_interval_s=3600)
    )
    await system.start()
    try:
        transport = httpx.ASGITransport(app=system.gateway_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            salon = await demo_salon(system, client)
            day = (clock.today() + timedelta(days=1)).isoformat()
            menu = salon["menus"]["カット"]
            email = f"bench-{uuid.uuid4().hex[:6]}@example.com"
            # An account with a known password, straight from the customer service's use case.
            from customer.use_cases import site_accounts

            tx = system.runtimes["customer"].transactions(tenant_id=salon["tenant_id"])
            links = site_accounts.SiteLinks("店", "http://x/login", "http://x/reset")
            now = clock.now()
            await tx.run(lambda uow: site_accounts.register(
                name="計測 花子", name_kana="ケイソク ハナコ", email=email, phone="090-1111-2222",
                store_id=None, links=links, now=now, uow=uow))  # fmt: skip

            async def set_password(uow):  # type: ignore[no-untyped-def]
                account = await uow.site_accounts.by_email(email_key=email)
                account.password_hash, account.must_change = hash_password("bench2026pass"), False

            await tx.run(set_password)

            async def page() -> None:
                r = await client.get(f"{SITE}/slots", params={"menu_id": menu, "day": day})
                assert r.status_code == 200

            async def json_view() -> None:
                r = await client.get("/api/v1/public/demo/salon",
                                     params={"store_code": SITE.rsplit("/", 1)[1], "day": day, "days": 7})  # fmt: skip
                assert r.status_code == 200

            hashed = hash_password("bench2026pass")

            async def bare_verify() -> None:
                assert verify_password("bench2026pass", hashed)

            async def sign_in() -> None:  # 8 rounds: under the per-mail throttle of 10
                r = await client.post(f"{SITE}/login",
                                      data={"email": email, "password": "bench2026pass"})  # fmt: skip
                assert r.status_code == 303, r.status_code

            for warm in (page, json_view):
                await _timed(warm, 5)
            result = {
                "slots_page": _figures(await _timed(page, rounds)),
                "baseline_public_json": _figures(await _timed(json_view, rounds)),
                "sign_in": _figures(await _timed(sign_in, min(rounds, 8))),
                "baseline_argon2_verify": _figures(await _timed(bare_verify, min(rounds, 8))),
            }
    finally:
        await system.stop()
        stop_embedded_postgres(folder)
    result["ratio_page_to_json"] = round(
        result["slots_page"]["p50_ms"] / result["baseline_public_json"]["p50_ms"], 2
    )
    result["ratio_sign_in_to_verify"] = round(
        result["sign_in"]["p50_ms"] / result["baseline_argon2_verify"]["p50_ms"], 2
    )
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=100)
    figures = asyncio.run(main(parser.parse_args().rounds))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "booking_site.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    print(json.dumps(figures, indent=2, ensure_ascii=False))
