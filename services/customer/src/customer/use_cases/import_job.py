"""CUS-8 import jobs as the worker runs them: lease a job (any replica may), then import it
chunk by chunk, each chunk one transaction with the job's progress and its lease, so that
the client polls the counts, a worker that died is taken over where it stopped, and no row
is imported twice. The job runner (entrypoints/jobs.py) is the transaction boundary: each
call here is one transaction it commits (kit.transactions), one per chunk."""

import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from contracts.envelope import new_event_id
from kit.errors import DomainError

from customer.adapters.imports import OVERWRITING
from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain.importing import ParsedRow, parse_row
from customer.domain.model import Origin
from customer.domain.profile import Profile
from customer.use_cases.importing import complete_addresses, stage_file
from customer.use_cases.registration import apply_profile, insert_profiles

CHUNK = 1000
OVERWRITE_CHUNK = 200  # a profile each, with its phones, emails, addresses and event
MAX_FAILURES = 3  # runs of one job that ended in an error or with its worker gone

# (first row index, how many) → the parsed rows; the runner reads and parses them ahead.
ParseChunk = Callable[[int, int], Awaitable[list[ParsedRow]]]


@dataclass(frozen=True)
class Claimed:
    job_id: UUID
    tenant_id: UUID
    failures: int


async def claim_next(*, worker: str, lease_s: float, uow: CustomerUnitOfWork) -> Claimed | None:
    """The next job for ``worker``; jobs that failed too often are closed on the way (in the
    same transaction: the closing and the claim commit together)."""
    while True:
        claimed = await uow.imports.claim_next(
            worker=worker, lease_s=lease_s, max_failures=MAX_FAILURES
        )
        if claimed is None:
            return None
        job_id, tenant_id, status, failures = claimed
        if status in ("running", OVERWRITING):
            return Claimed(job_id, tenant_id, failures)


async def prepare(job_id: UUID, *, uow: CustomerUnitOfWork) -> bool:
    """False when the job is gone. A job uploaded before its rows were kept one per row
    (customer migration 0014) has its file read into them now, once."""
    job = await uow.imports.get(job_id=job_id)
    if job is None:
        return False
    content = await uow.imports.content(job_id=job_id)
    if content is not None and not await uow.imports.has_rows(job_id=job_id):
        await stage_file(job_id, filename=job.filename, file=io.BytesIO(content), uow=uow)
    return True


async def run_chunk(
    job_id: UUID,
    *,
    worker: str,
    lease_s: float,
    parse: ParseChunk,
    uow: CustomerUnitOfWork,
) -> bool:
    """Import (or overwrite) the next chunk and renew the lease; True when this worker is
    done with the job (finished, or no longer its worker: another took it over)."""
    job = await uow.imports.lock(job_id=job_id)  # waits for a chunk in flight elsewhere
    if job is None or job.status not in ("running", OVERWRITING) or job.worker != worker:
        return True
    if job.status == OVERWRITING:
        return await _overwrite_chunk(job, lease_s=lease_s, uow=uow)
    parsed = await parse(job.done, CHUNK)
    issues: list[dict[str, Any]] = []  # this chunk's rows of the report
    counts = {"imported": job.imported, "failed": job.failed, "duplicates": job.duplicates}
    owners = await uow.customers.ids_by_email_keys(
        keys=[p.email_key for p in parsed if p.email_key]
    )
    agents: dict[str, str] = job.options.get("agents", {})
    numbers = await uow.customers.taken_customer_numbers(
        numbers=[p.profile.columns["customer_number"] for p in parsed
                 if p.profile is not None and p.profile.columns.get("customer_number")]
    )  # fmt: skip
    batch: list[tuple[UUID, Profile, UUID | None]] = []
    for row in parsed:
        outcome = _import_row(row, owners=owners, agents=agents, job=job, numbers=numbers)
        if outcome["kind"] == "new":
            batch.append(outcome["new"])
        if outcome["kind"] == "error":
            counts["failed"] += 1
            issues.append({"kind": "error", **outcome["entry"]})
        elif outcome["kind"] == "duplicate":
            counts["duplicates"] += 1
            issues.append({"kind": "duplicate", **outcome["entry"]})
        elif outcome["kind"] == "skipped":
            issues.append({"kind": "skipped", **outcome["entry"]})
        else:
            counts["imported"] += 1
            if outcome.get("warnings"):
                issues.append({"kind": "error", **outcome["entry"]})
    await insert_profiles(batch, origin=Origin.IMPORT, uow=uow)
    await uow.imports.add_issues(job_id=job_id, issues=issues)
    done = job.done + len(parsed)
    finished = done >= job.total
    if finished and not counts["duplicates"]:
        await uow.imports.drop_rows(job_id=job_id)  # nothing left to overwrite from them
    await uow.imports.progress(
        job_id=job_id,
        values={
            **counts,
            "done": done,
            "status": "finished" if finished else "running",
            "finished_at": datetime.now(UTC) if finished else None,
        },
        lease_s=lease_s,
    )
    return finished


async def _overwrite_chunk(job: Any, *, lease_s: float, uow: CustomerUnitOfWork) -> bool:
    """「上書きする」, OVERWRITE_CHUNK duplicates at a time: each one's row replaces the
    registered customer's profile (its event included); a row that cannot (its email is
    another customer's now) becomes an error of the report instead, the rest go on."""
    entries = await uow.imports.issues(job_id=job.id, kind="duplicate", limit=OVERWRITE_CHUNK)
    cells = await uow.imports.rows_at(job_id=job.id, lines=[e.line for e in entries])
    overwritten, issues = 0, []
    for entry in entries:
        parsed = parse_row(cells[entry.line], line=entry.line)
        assert entry.customer_id is not None
        try:
            async with uow.session.begin_nested():  # a refused row undoes only itself
                target = await uow.customers.row(customer_id=entry.customer_id, for_update=True)
                if target is None or parsed.profile is None:
                    continue  # merged or deleted since: nothing to overwrite
                profile, _ = complete_addresses(parsed.profile, [])
                # The file has no 郵送DM不要 column: the customer's wish stays as it is.
                columns = {k: v for k, v in profile.columns.items()
                           if k not in ("customer_number", "dm_opt_out")}  # fmt: skip
                await apply_profile(target, Profile(columns, profile.phones, profile.emails,
                                                    profile.addresses), uow=uow)  # fmt: skip
                overwritten += 1
        except DomainError as exc:
            issues.append({"kind": "error", "line": entry.line, "name": entry.name,
                           "email": entry.email, "reason": f"上書きできません: {exc.message}"})  # fmt: skip
    await uow.imports.delete_issues(ids=[e.id for e in entries])
    await uow.imports.add_issues(job_id=job.id, issues=issues)
    remaining = max(job.duplicates - len(entries), 0)
    finished = not entries or remaining == 0
    if finished:
        await uow.imports.drop_rows(job_id=job.id)
    report = dict(job.report or {})
    report["overwritten"] = report.get("overwritten", 0) + overwritten
    await uow.imports.progress(
        job_id=job.id,
        values={
            "imported": job.imported + overwritten,
            "failed": job.failed + len(issues),
            "duplicates": 0 if finished else remaining,
            "report": report,
            "status": "finished" if finished else OVERWRITING,
            "finished_at": datetime.now(UTC) if finished else None,
        },
        lease_s=lease_s,
    )
    return finished


async def release(job_id: UUID, *, worker: str, failed: bool, uow: CustomerUnitOfWork) -> None:
    """Give the job back (a stopping worker, or an error: then it counts as a failure)."""
    await uow.imports.release(
        job_id=job_id, worker=worker, failed=failed, max_failures=MAX_FAILURES
    )


def _import_row(
    row: ParsedRow,
    *,
    owners: dict[str, UUID],
    agents: dict[str, str],
    job: Any,
    numbers: set[str],
) -> dict[str, Any]:
    """Decide what becomes of one row; new customers are inserted per chunk, together."""
    entry = {"line": row.line, "name": row.name, "email": row.email or ""}
    if row.skipped:
        return {"kind": "skipped", "entry": {**entry, "reason": row.skipped}}
    if row.error:
        return {"kind": "error", "entry": {**entry, "reason": row.error}}
    assignee = None
    if row.agent_email:
        if not job.options.get("is_admin"):
            reason = "担当者の指定は管理者のみ行えます。"
            return {"kind": "error", "entry": {**entry, "reason": reason}}
        assignee = agents.get(row.agent_email.lower())
        if assignee is None:
            reason = f"担当者（{row.agent_email}）が見つかりません。"
            return {"kind": "error", "entry": {**entry, "reason": reason}}
    assert row.email_key is not None and row.profile is not None
    if row.email_key in owners:
        # 「既に登録済み」: kept with its row number so that an overwrite can re-read it.
        return {"kind": "duplicate", "entry": {**entry, "customer_id": owners[row.email_key]}}
    profile, warnings = complete_addresses(row.profile, row.warnings)
    number = profile.columns.get("customer_number")
    if number and number in numbers:
        profile = Profile({**profile.columns, "customer_number": None}, profile.phones,
                          profile.emails, profile.addresses)  # fmt: skip
        warnings = [*warnings, "お客様番号が既に使われているため自動で採番しました。"]
    elif number:
        numbers.add(number)
    customer_id = new_event_id()
    owners[row.email_key] = customer_id  # the same email later in the file is a duplicate
    return {
        "kind": "new",
        "new": (customer_id, profile, UUID(assignee) if assignee else None),
        "warnings": warnings,
        "entry": {**entry, "reason": " ".join(warnings)},
    }
