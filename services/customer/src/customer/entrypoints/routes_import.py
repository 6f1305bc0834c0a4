"""一括登録 (CUS-8): template, upload (answers at once with a job), progress, error report,
overwrite of duplicates. Agents come from the gateway as login email → user id, because
the gateway owns the accounts; the service only matches them."""

import json
from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, File, Form, Request, UploadFile, status
from fastapi.responses import Response
from kit.auth import CurrentPrincipal, admin_only, require_admin
from kit.errors import Invalid, NotFound
from kit.http import CSV, XLSX, file_answer
from pydantic import BaseModel

from customer.entrypoints.deps import TxDep, UowDep
from customer.use_cases import importing

router = APIRouter()


class ImportJobRead(BaseModel):
    id: UUID
    filename: str
    status: str
    total: int
    done: int
    imported: int
    failed: int
    duplicates: int
    report: dict
    created_at: datetime
    finished_at: datetime | None


@router.get("/imports/template.xlsx", **file_answer(XLSX, "取り込み用テンプレート（Excel）"))
async def template() -> Response:
    return Response(
        importing.template_xlsx(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "content-disposition": "attachment; filename*=UTF-8''%E9%A1%A7%E5%AE%A2%E6%83%85%E5%A0%B1%E3%83%86%E3%83%B3%E3%83%97%E3%83%AC%E3%83%BC%E3%83%88.xlsx"
        },
    )


# 一括登録 writes many customers at once: the admin's.
IMPORT_ADMIN_ONLY = "お客様の一括登録は管理者のみ行えます。"
IMPORT_ADMIN = [admin_only(IMPORT_ADMIN_ONLY)]


@router.post("/imports", status_code=status.HTTP_202_ACCEPTED, dependencies=IMPORT_ADMIN)
async def start(
    request: Request,
    tx: TxDep,
    uow: UowDep,
    principal: CurrentPrincipal,
    file: Annotated[UploadFile, File()],
    agents: Annotated[str, Form()] = "{}",
) -> ImportJobRead:
    try:
        agent_ids = {str(k): UUID(str(v)) for k, v in json.loads(agents).items()}
    except (ValueError, AttributeError):
        raise Invalid("担当者の指定が正しくありません。", field="agents") from None
    job_id = await tx.run(
        lambda uow: importing.start_import(
            filename=file.filename or "import.csv",
            file=file.file,  # spooled to disk by the multipart parser past 1 MB: read as a stream
            agents=agent_ids,
            is_admin=principal.is_admin,
            created_by=principal.user_id,
            uow=uow,
        )
    )
    request.app.state.runtime.workers["imports"].wake()  # this replica's worker claims it now
    return ImportJobRead.model_validate(await importing.show_job(job_id, uow=uow))


@router.get("/imports/{job_id}")
async def progress(job_id: UUID, uow: UowDep) -> ImportJobRead:
    return ImportJobRead.model_validate(await importing.show_job(job_id, uow=uow))


@router.get("/imports/{job_id}/errors.csv", **file_answer(CSV, "取り込みエラーの行（CSV）"))
async def errors(job_id: UUID, uow: UowDep) -> Response:
    return Response(
        await importing.error_report(job_id, uow=uow),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="import-errors-{job_id}.csv"'},
    )


@router.post("/imports/{job_id}/overwrite", status_code=status.HTTP_202_ACCEPTED)
async def overwrite(
    job_id: UUID, tx: TxDep, request: Request, principal: CurrentPrincipal
) -> dict[str, int]:
    async def work(uow):  # type: ignore[no-untyped-def]
        if await uow.imports.get(job_id=job_id) is None:  # another tenant's: 404, not 403
            raise NotFound("取り込み履歴が見つかりません。")
        require_admin(principal, IMPORT_ADMIN_ONLY)
        return await importing.request_overwrite(job_id, uow=uow)

    queued = await tx.run(work)
    request.app.state.runtime.workers["imports"].wake()  # this replica's worker starts now
    return {"overwriting": queued}
