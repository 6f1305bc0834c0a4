"""The import worker on a real PostgreSQL: jobs are leased, so any replica finishes any
replica's upload, competing workers never import a row twice, a worker that died is taken
over where it stopped, and a job that keeps failing is given up."""

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa
from customer.bootstrap import build_runtime
from customer.domain.importing import parse_row, read_rows
from customer.settings import CustomerSettings
from customer.use_cases import import_job
from kit.runtime import ServiceRuntime
from kit.settings import CommonSettings

from .conftest import Service
from .test_import import HEADER, _finished, _upload

pytestmark = [pytest.mark.database]


def csv_of(count: int, *, tag: str) -> bytes:
    rows = [
        f",山田,太郎,ヤマダ,タロウ,090-{n // 10000:04d}-{n % 10000:04d},,{tag}{n}@example.com"
        + "," * 11
        for n in range(count)
    ]
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode("cp932")


@contextlib.asynccontextmanager
async def replica(service: Service, **overrides: object) -> AsyncIterator[ServiceRuntime]:
    """Another replica of the customer service on the same database, polling briskly."""
    settings = CustomerSettings(
        database_url=service.runtime.settings.database_url,
        db_pool_size=2,
        import_poll_s=0.05,
        import_max_jobs=1,
        **overrides,  # type: ignore[arg-type]
    )
    runtime = build_runtime(settings, common=CommonSettings(bus="memory"))
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


async def _queued(service: Service, content: bytes) -> str:
    """A job uploaded to ``service``, whose own worker is stopped (it only takes uploads)."""
    await service.runtime.workers["imports"].stop()
    r = await _upload(service, content)
    assert r.status_code == 202, r.text
    return r.json()["id"]


async def _each_row_once(service: Service, *, expected: int) -> None:
    customers = await service.scalar("SELECT count(*) FROM customers")
    emails = await service.scalar("SELECT count(DISTINCT email_key) FROM customer_emails")
    events = len(await service.events("customer.profile_changed.v1"))
    assert (customers, emails, events) == (expected, expected, expected)


async def _job_row(service: Service, job_id: str) -> tuple:
    assert service.runtime.engine is not None
    async with service.runtime.engine.connect() as conn:
        row = await conn.execute(
            sa.text("SELECT status, done, total, worker, failures FROM customer_import_jobs "
                    "WHERE id = :id"),
            {"id": uuid.UUID(job_id)},
        )  # fmt: skip
        return tuple(row.one())


async def _sql(service: Service, statement: str) -> None:
    assert service.runtime.engine is not None
    async with service.runtime.engine.begin() as conn:
        await conn.execute(sa.text(statement))


async def _claim(
    service: Service, worker: str, *, lease_s: float = 60
) -> import_job.Claimed | None:
    tx = service.runtime.transactions(tenant_id=None)
    return await tx.run(lambda uow: import_job.claim_next(worker=worker, lease_s=lease_s, uow=uow))


EXPIRE = "UPDATE customer_import_jobs SET lease_until = now() - interval '1 second'"


async def test_an_upload_to_one_replica_is_imported_by_another(service: Service) -> None:
    job_id = await _queued(service, csv_of(2500, tag="a"))
    assert (await service.get(f"/imports/{job_id}")).json()["status"] == "queued"
    async with replica(service) as other:
        job = await _finished(service, job_id)
        worker = other.workers["imports"].worker
    assert (job["status"], job["done"], job["imported"]) == ("finished", 2500, 2500)
    assert (await _job_row(service, job_id))[3] == worker
    await _each_row_once(service, expected=2500)


async def test_competing_workers_lease_each_job_to_one_and_import_each_row_once(
    service: Service,
) -> None:
    jobs = [await _queued(service, csv_of(1200, tag=f"j{n}-")) for n in range(4)]
    # Ten claims at once from two workers: each job goes to exactly one of them.
    claimed = await asyncio.gather(*(_claim(service, w) for w in ["a", "b"] * 5))
    taken = [str(c.job_id) for c in claimed if c is not None]
    assert sorted(taken) == sorted(jobs)  # every job once, nobody got one twice
    # Give them back and let two replicas' workers race through all four jobs.
    await _sql(service, "UPDATE customer_import_jobs SET lease_until = NULL")
    async with replica(service), replica(service):
        for job_id in jobs:
            job = await _finished(service, job_id)
            assert (job["status"], job["done"], job["imported"]) == ("finished", 1200, 1200)
    await _each_row_once(service, expected=4800)


async def test_a_worker_whose_lease_expired_stops_and_the_new_one_finishes(
    service: Service,
) -> None:
    job_id = uuid.UUID(await _queued(service, csv_of(2500, tag="l")))
    rows = read_rows(filename="x.csv", content=csv_of(2500, tag="l"))

    async def parse(start: int, size: int) -> list:
        return [parse_row(v, line=start + n + 2) for n, v in enumerate(rows[start : start + size])]

    async def chunk(worker: str) -> bool:
        return await service.runtime.transactions(tenant_id=service.tenant_id).run(
            lambda uow: import_job.run_chunk(
                job_id,
                worker=worker,
                lease_s=60,
                parse=parse,
                uow=uow,
            )
        )

    claimed = await _claim(service, "a")
    assert claimed is not None and claimed.job_id == job_id
    await _sql(service, EXPIRE)  # a chunk renews the lease, on the database's clock
    assert await chunk("a") is False  # a imported the first chunk ...
    renewed = "SELECT lease_until > now() + interval '50 seconds' FROM customer_import_jobs"
    assert await service.scalar(renewed) is True
    assert await chunk("b") is True  # ... b, not its worker, imports nothing
    # a stalls past its lease: b takes the job over where a stopped.
    await _sql(service, EXPIRE)
    taken = await _claim(service, "b")
    assert taken is not None and taken.job_id == job_id and taken.failures == 1
    assert await chunk("a") is True  # a comes back: no longer its job, it stops
    assert (await _job_row(service, str(job_id)))[1] == 1000
    while not await chunk("b"):
        pass
    assert (await _job_row(service, str(job_id)))[:4] == ("finished", 2500, 2500, "b")
    await _each_row_once(service, expected=2500)


async def test_a_job_whose_worker_died_is_finished_by_another_replica(service: Service) -> None:
    job_id = await _queued(service, csv_of(2500, tag="d"))
    assert await _claim(service, "dead") is not None
    assert await _claim(service, "other") is None  # its lease holds: nobody else takes it
    async with replica(service):
        await _sql(service, EXPIRE)  # the dead worker's lease runs out
        job = await _finished(service, job_id)
    assert (job["status"], job["imported"]) == ("finished", 2500)
    assert (await _job_row(service, job_id))[4] == 1  # the takeover is counted
    await _each_row_once(service, expected=2500)


async def test_a_stopping_worker_gives_its_job_back_without_a_failure(service: Service) -> None:
    job_id = await _queued(service, csv_of(10, tag="s"))
    assert await _claim(service, "a", lease_s=600) is not None
    await service.runtime.transactions(tenant_id=service.tenant_id).run(
        lambda uow: import_job.release(uuid.UUID(job_id), worker="a", failed=False, uow=uow)
    )
    taken = await _claim(service, "b")
    assert taken is not None and str(taken.job_id) == job_id and taken.failures == 0


async def test_a_job_that_keeps_failing_is_given_up_and_writes_nothing(
    service: Service, capsys: pytest.CaptureFixture[str]
) -> None:
    job_id = await _queued(service, csv_of(10, tag="p"))
    # The kept rows no longer read (say, a version that reads them differently).
    await _sql(service, "UPDATE customer_import_rows SET cells = '{x}'")
    async with replica(service):
        job = await _finished(service, job_id)
    assert (job["status"], job["done"], job["imported"]) == ("failed", 0, 0)
    assert (await _job_row(service, job_id))[4] == import_job.MAX_FAILURES
    assert await service.scalar("SELECT count(*) FROM customers") == 0
    logged = capsys.readouterr()
    assert "import job failed" in logged.err + logged.out
    assert "@example.com" not in logged.err + logged.out  # no personal data in the log


async def test_a_job_uploaded_before_rows_were_kept_is_read_from_its_file(
    service: Service,
) -> None:
    """A job queued by a version that kept the file's bytes (before customer migration 0014)
    is read into rows by the worker that takes it, and imported; its rows are dropped once
    nothing is left to overwrite from them."""
    content = csv_of(1500, tag="old")
    job_id = await _queued(service, content)
    async with service.runtime.engine.begin() as conn:  # type: ignore[union-attr]
        await conn.execute(sa.text("DELETE FROM customer_import_rows"))
        await conn.execute(
            sa.text("UPDATE customer_import_jobs SET content = :c, total = 1500"), {"c": content}
        )
    async with replica(service):
        job = await _finished(service, job_id)
    assert (job["status"], job["done"], job["imported"]) == ("finished", 1500, 1500)
    await _each_row_once(service, expected=1500)
    assert await service.scalar("SELECT count(*) FROM customer_import_rows") == 0
