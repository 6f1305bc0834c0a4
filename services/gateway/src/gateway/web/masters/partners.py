"""パートナー連携 (管理者, decision 104): create a partner (name, the events it receives as
checkboxes), its credentials shown once on the answer page (never stored, never in a URL),
the list, a new password, and deletion after a confirmation page. In the embedded mode (no
RabbitMQ) the page says so and offers no form; a post is refused (409), never a 500."""

from datetime import UTC, datetime
from itertools import groupby
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from kit.errors import DomainError

from gateway.clients.transport import ServiceUnavailable
from gateway.use_cases import partners
from gateway.use_cases.accounts import Staff
from gateway.web.common.answers import back, forbidden, not_found
from gateway.web.common.deps import StaffPage, tenant_uow
from gateway.web.common.templating import render

router = APIRouter(include_in_schema=False)
HOME = "/settings/partners"
UNAVAILABLE = (
    "RabbitMQに接続できないため、処理できませんでした。しばらくしてから再度お試しください。"
)


def _feeds(request: Request) -> partners.PartnerFeeds:
    return request.app.state.runtime.partner_feeds


async def _list_page(request: Request, staff: Staff, *, entered: dict | None = None,
                     errors: dict | None = None, status_code: int = 200) -> Response:  # fmt: skip
    async with tenant_uow(request, staff) as uow:
        rows = await partners.partners(uow=uow)
    return render(request, "settings_partners.html", {
        "staff": staff, "tab": "partners", "nav": "settings", "partners": rows,
        "event_groups": [(label, list(types)) for label, types in
                         groupby(partners.event_types(), key=lambda t: t.producer)],
        "available": _feeds(request).available,
        "entered": entered or {"event_types": []}, "errors": errors or {},
    }, status_code)  # fmt: skip


def _admin_only(request: Request, staff: Staff) -> Response | None:
    if not staff.is_admin:
        return forbidden(request, staff, partners.ADMIN_ONLY)
    return None


@router.get(HOME)
async def partners_page(request: Request, staff: StaffPage) -> Response:
    return _admin_only(request, staff) or await _list_page(request, staff)


@router.post(HOME)
async def create_partner(request: Request, staff: StaffPage) -> Response:
    if refused := _admin_only(request, staff):
        return refused
    form = await request.form()
    entered = {"name": str(form.get("name", ""))[:200],
               "event_types": [str(v)[:100] for v in form.getlist("event_types")][:200]}  # fmt: skip
    spec = partners.NewPartner(entered["name"], entered["event_types"])
    tx = request.app.state.runtime.transactions(tenant_id=staff.tenant_id)
    try:
        partner, access = await tx.run(lambda uow: partners.create_partner(
            spec, tenant_id=staff.tenant_id, feeds=_feeds(request), uow=uow))  # fmt: skip
    except DomainError as exc:
        return await _list_page(request, staff, entered=entered,
                                errors={exc.field or "form": exc.message},
                                status_code=exc.status_code)  # fmt: skip
    except ServiceUnavailable:
        return await _list_page(request, staff, entered=entered,
                                errors={"form": UNAVAILABLE}, status_code=503)  # fmt: skip
    return _credentials(request, staff, partner, access, "作成しました")


def _credentials(request: Request, staff: Staff, partner, access, done: str) -> Response:  # type: ignore[no-untyped-def]
    answer = render(request, "partner_credentials.html",
                    {"staff": staff, "nav": "settings", "partner": partner, "access": access,
                     "done": done})  # fmt: skip
    answer.headers["cache-control"] = "no-store"  # the password is shown once
    return answer


def _refused(request: Request, staff: Staff, exc: DomainError) -> Response:
    if exc.status_code == 404:
        return not_found(request, staff, exc.message)
    if exc.status_code == 403:
        return forbidden(request, staff, exc.message)
    return back(HOME, error=exc.message)


@router.post(HOME + "/{partner_id}/rotate")
async def rotate_partner(partner_id: UUID, request: Request, staff: StaffPage) -> Response:
    tx = request.app.state.runtime.transactions(tenant_id=staff.tenant_id)
    try:
        partner, access = await tx.run(lambda uow: partners.rotate_partner(
            partner_id=partner_id, admin=staff.is_admin, feeds=_feeds(request),
            now=datetime.now(UTC), uow=uow))  # fmt: skip
    except DomainError as exc:
        return _refused(request, staff, exc)
    except ServiceUnavailable:
        return back(HOME, error=UNAVAILABLE)
    return _credentials(request, staff, partner, access, "新しいパスワードを発行しました")


@router.post(HOME + "/{partner_id}/delete")
async def delete_partner(partner_id: UUID, request: Request, staff: StaffPage) -> Response:
    form = await request.form()
    if not form.get("confirm"):
        async with tenant_uow(request, staff) as uow:
            partner = await partners.partner(partner_id=partner_id, uow=uow)
        if partner is None:
            return not_found(request, staff, partners.NOT_FOUND)
        if refused := _admin_only(request, staff):
            return refused
        return render(request, "partner_delete.html",
                      {"staff": staff, "nav": "settings", "partner": partner})  # fmt: skip
    tx = request.app.state.runtime.transactions(tenant_id=staff.tenant_id)
    try:
        await tx.run(lambda uow: partners.delete_partner(
            partner_id=partner_id, admin=staff.is_admin, feeds=_feeds(request), uow=uow))  # fmt: skip
    except DomainError as exc:
        return _refused(request, staff, exc)
    except ServiceUnavailable:
        return back(HOME, error=UNAVAILABLE)
    return back(HOME, notice="パートナーを削除しました。接続は切断され、キューも削除されました。")
