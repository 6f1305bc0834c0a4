"""The import wizard (issue 5): the template to fill in, the upload, its progress, the rows
it refused (CSV) and 上書き for rows that matched an existing customer."""

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gateway.clients.base import Download, Reply
from gateway.clients.customer import import_parts
from gateway.use_cases import customer_master
from gateway.use_cases.accounts import Staff
from gateway.web.common.answers import not_found
from gateway.web.common.deps import Clients, ClientsDep, StaffPage, tenant_uow
from gateway.web.common.templating import render
from gateway.web.customers.master import customer_refusal

router = APIRouter(include_in_schema=False)


@router.get("/customers/import", response_class=HTMLResponse)
async def import_page(request: Request, staff: StaffPage) -> Response:
    return render(request, "customer_import.html", {"staff": staff, "job": None, "error": None})


@router.get("/customers/import/template.xlsx")
async def import_template(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    file = await clients.customer.import_template()
    if not isinstance(file, Download):  # the page, never the service's JSON
        return not_found(request, staff, customer_refusal(file, "ひな形を用意できませんでした。"))
    return Response(file.content, media_type=file.media_type,
                    headers={"content-disposition": file.disposition})  # fmt: skip


@router.post("/customers/import", response_class=HTMLResponse)
async def import_upload(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    upload = (await request.form()).get("file")
    if upload is None or isinstance(upload, str):
        context = {"staff": staff, "job": None, "error": "ファイルを選択してください。"}
        return render(request, "customer_import.html", context, status_code=422)
    r = await _forward(request, staff, clients, upload)
    if r.status_code != 202:
        context = {
            "staff": staff,
            "job": None,
            "error": customer_refusal(r, "取り込めませんでした。"),
        }
        return render(request, "customer_import.html", context, status_code=r.status_code)
    return RedirectResponse(f"/customers/import/{r.data['id']}", status_code=303)


@router.get("/customers/import/{job_id}", response_class=HTMLResponse)
async def import_progress(
    job_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    job = await clients.customer.import_job(job_id)
    if job is None:
        return not_found(request, staff, "取り込み履歴が見つかりません。")
    context = {"staff": staff, "job": job, "error": None,
               "percent": int(job.done * 100 / job.total) if job.total else 100}  # fmt: skip
    return render(request, "customer_import.html", context)


@router.get("/customers/import/{job_id}/errors.csv")
async def import_errors(
    job_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    file = await clients.customer.import_errors(job_id)
    if not isinstance(file, Download):  # another tenant's import: the page, never the JSON
        return not_found(request, staff, customer_refusal(file, "取り込み履歴が見つかりません。"))
    return Response(file.content, media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="errors-{job_id}.csv"'})  # fmt: skip


@router.post("/customers/import/{job_id}/overwrite")
async def import_overwrite(
    job_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    r = await clients.customer.overwrite_import(job_id)
    if r.status_code == 404:
        return not_found(request, staff, customer_refusal(r, "取り込みが見つかりません。"))
    return RedirectResponse(f"/customers/import/{job_id}", status_code=303)


async def _forward(request: Request, staff: Staff, clients: Clients, upload) -> Reply:  # type: ignore[no-untyped-def]
    async with tenant_uow(request, staff) as uow:
        agents = await customer_master.import_agents(uow=uow)
    return await clients.customer.start_import(
        import_parts(agents=agents, filename=upload.filename, file=upload.file,
                     content_type=upload.content_type)
    )  # fmt: skip
