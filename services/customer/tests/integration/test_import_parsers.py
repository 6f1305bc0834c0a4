"""The import worker's parser processes on a real PostgreSQL: a job parsed in the pool gives
the report that parsing on the event loop gives, and a parser process killed mid-job loses
no row and imports none twice; the pool goes away once imports stop."""

import os
import signal
import uuid

import pytest
from kit.testing import eventually

from .conftest import Service, profile
from .test_import import HEADER, _finished, _upload
from .test_import_worker import _each_row_once, _queued, csv_of, replica

pytestmark = [pytest.mark.database]


def mixed_csv(count: int) -> bytes:
    """Good rows among every kind the report has, across two chunks (1,000 + the rest)."""
    rows = []
    for n in range(count):
        email = f"mix{n}@example.com"
        rows.append(
            [
                # 必須 missing; a bad birth date and a bad phone (imported, reported); the
                # file's own duplicate; a registered customer's email; an unknown agent;
                # the template's example row
                f",伊藤,{n},,,090-0000-1111,,,,,,,,,,,,,",
                f",鈴木,{n},スズキ,イチロウ,090-4444-5555,,{email},1980-13-45,,,,,,,,,,",
                f",佐藤,{n},サトウ,ハナコ,12345,,{email},,女性,105-0023,芝浦2-2-2,,,,,,,",
                f",山田,{n},ヤマダ,ジロウ,,,mix{n - 1}@example.com,,,,,,,,,,,",
                f",山田,{n},ヤマダ,ジロウ,,,already@example.com,,,,,,,,,,,",
                f",高橋,{n},タカハシ,ケンタ,,,{email},,,,,,,,,,,nobody@demo.example",
                f"記入例,見本,{n},,,,,{email},,,,,,,,,,,",
            ][n % 10]
            if n % 10 < 7
            else f",田中,{n},タナカ,ジュン,03-1234-{n % 10000:04d},,{email},1990/4/1,男性,,,HP,,,,,,"
        )
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode("cp932")


async def _imported_as(service: Service, content: bytes, **settings: object) -> tuple:
    """``content`` imported for a tenant of its own by a replica with ``settings``: the
    job (its report), its errors.csv, the customers it made, and the replica's parser counts."""
    tenant = uuid.uuid4()
    headers = service.headers(tenant_id=tenant)
    already = await service.post(
        "/customers", profile(emails=["already@example.com"]), headers=headers
    )
    assert already.status_code == 201, already.text
    r = await _upload(service, content, headers=headers)
    assert r.status_code == 202, r.text
    async with replica(service, **settings) as other:
        job = await _finished(service, r.json()["id"], headers=headers)
        stats = dict(other.workers["imports"].parsers.stats)
    errors = (await service.get(f"/imports/{job['id']}/errors.csv", headers=headers)).content
    made = await service.scalar(
        "SELECT array_agg(concat_ws('|', c.name, c.name_kana, c.birth_date, c.gender, p.display,"
        " e.email) ORDER BY e.email) FROM customers c JOIN customer_emails e ON e.customer_id = c.id"
        " LEFT JOIN customer_phones p ON p.customer_id = c.id WHERE c.tenant_id = :t",
        t=tenant,
    )
    for key in ("id", "created_at", "finished_at"):
        job.pop(key)
    for duplicate in job["report"]["duplicates"]:  # each tenant has its own customer ids
        duplicate.pop("customer_id", None)
    return job, errors, made, stats


async def test_parsing_in_the_pool_reports_what_parsing_on_the_loop_reports(
    service: Service,
) -> None:
    content = mixed_csv(1500)
    await service.runtime.workers["imports"].stop()  # the replicas below take the jobs
    inline = await _imported_as(service, content, import_parsers=0)
    pooled = await _imported_as(service, content, import_parsers=2)
    assert inline[3]["pool_chunks"] == 0 and inline[3]["inline_chunks"] == 2
    assert pooled[3]["pool_chunks"] == 2 and pooled[3]["inline_chunks"] == 0
    job = inline[0]
    assert (job["status"], job["total"], job["done"]) == ("finished", 1500, 1500)
    assert job["failed"] > 0 and job["duplicates"] > 0 and job["imported"] > 0
    kinds = {e["reason"][:6] for e in job["report"]["errors"]}
    assert len(kinds) >= 3  # 必須, a left-out value, the unknown agent
    assert len(inline[2]) == job["imported"] + 1  # the registered customer
    assert inline[:3] == pooled[:3]


async def test_a_killed_parser_process_loses_no_row_and_imports_none_twice(
    service: Service,
) -> None:
    job_id = await _queued(service, csv_of(8000, tag="k"))
    async with replica(service, import_parsers=2, import_parsers_idle_s=0.5) as other:
        parsers = other.workers["imports"].parsers

        async def pool_at_work() -> list[int]:
            job = (await service.get(f"/imports/{job_id}")).json()
            return parsers.pids() if 0 < job["done"] < 4000 else []

        killed = (await eventually(pool_at_work, every=0.02))[0]
        os.kill(killed, signal.SIGKILL)
        job = await _finished(service, job_id)
        assert (job["status"], job["done"], job["imported"], job["failed"]) == (
            "finished", 8000, 8000, 0,
        )  # fmt: skip
        assert parsers.stats["broken"] >= 1
        assert parsers.stats["pools_started"] >= 2  # the chunks after it: in a new pool
        assert killed not in parsers.pids()
        # No import for idle_s: the pool is shut down, its processes gone.
        await eventually(lambda: _gone(parsers))
    await _each_row_once(service, expected=8000)


async def _gone(parsers) -> bool:  # type: ignore[no-untyped-def]
    return not parsers.pids() and parsers._pool is None
