"""The customer master in the public API (issue 5): search, detail, registration, flags,
withdrawal, deletion, merge, import, settings, the 流入経路 master, 郵便番号から住所 and the
exports; the customer service's
operations, relayed, and three routes the gateway composes because they need what only it
owns (the staff directory and store names): the CSV export, the import and 担当を設定. The
web client's pages share the use cases (``use_cases.customer_master``), never these routes.
The fixed paths under /customers/ (lookup, dm-list.csv) are declared before
/customers/{customer_id}."""

import json
from typing import Annotated
from uuid import UUID

from contracts.customer_search import CustomerSearch
from fastapi import File, Query, Request, Response, UploadFile
from kit.errors import error_response

from gateway.entrypoints.booking_api import tenant_store_ids
from gateway.entrypoints.deps import CurrentStaff, ServicesDep
from gateway.entrypoints.relays import ServiceRelays
from gateway.entrypoints.streaming import relay_download, relayed
from gateway.use_cases import customer_master
from gateway.use_cases.accounts import Staff
from gateway.use_cases.staff_directory import UNKNOWN_STAFF, export_names, is_active_staff

CUSTOMER = ServiceRelays("customer", tags=["顧客"])
router = CUSTOMER.router


async def home_store_of_tenant(request: Request, staff: Staff) -> Response | None:
    """A profile's 所属店舗 must be one of the caller's stores: only the gateway knows them."""
    try:
        data = json.loads(await request.body() or b"{}")
    except ValueError:
        return None  # the service answers a malformed body
    raw = data.get("store_id") if isinstance(data, dict) else None
    if raw is None:
        return None
    try:
        store_id = UUID(str(raw))
    except ValueError:
        return None  # the service answers a malformed id
    if store_id not in await tenant_store_ids(request, staff):
        message = customer_master.UNKNOWN_STORE
        return error_response(422, "unknown_store", message, field="store_id")
    return None


async def active_staff_of_tenant(request: Request, staff: Staff) -> Response | None:
    """The instruction's staff_id must be an active account of the tenant: accounts are the
    gateway's, so the check is here, before anything reaches the customer service."""
    if not staff.principal().is_admin:
        return None  # the service refuses a 一般 user first (403), whatever the body
    try:
        data = json.loads(await request.body() or b"{}")
        staff_id = UUID(str(data["staff_id"])) if isinstance(data, dict) else None
    except (ValueError, KeyError):
        return None  # the service answers a malformed body or a missing / malformed id
    if staff_id is None:
        return None
    async with request.app.state.runtime.uow(tenant_id=staff.tenant_id) as uow:
        if await is_active_staff(user_id=staff_id, uow=uow):
            return None
    return error_response(422, "unknown_staff", UNKNOWN_STAFF, field="staff_id")


CUSTOMER.relay("GET", "/customers/lookup")
CUSTOMER.relay("GET", "/customers/dm-list.csv", admin=True, download=True)
CUSTOMER.relay("GET", "/customers/dm-list/count", admin=True)
CUSTOMER.relay("GET", "/customers")
CUSTOMER.relay("POST", "/customers", guard=home_store_of_tenant)
CUSTOMER.relay("POST", "/customer-phone-registrations", "/customers/phone-registrations")
CUSTOMER.relay("GET", "/customers/{customer_id}")
CUSTOMER.relay("PUT", "/customers/{customer_id}", guard=home_store_of_tenant)
CUSTOMER.relay("DELETE", "/customers/{customer_id}")
CUSTOMER.relay("PUT", "/customers/{customer_id}/flags")
CUSTOMER.relay("POST", "/customers/{customer_id}/withdrawal")
CUSTOMER.relay("DELETE", "/customers/{customer_id}/withdrawal")
CUSTOMER.relay("GET", "/customers/{customer_id}/follow-up")
CUSTOMER.relay("POST", "/customers/{customer_id}/memos")
# Issue 14: 対応履歴, アクション履歴, 長期放置, ランク, FAQ.
CUSTOMER.relay("GET", "/customers/{customer_id}/interactions")
CUSTOMER.relay("POST", "/customers/{customer_id}/interactions")
CUSTOMER.relay("GET", "/customers/{customer_id}/actions")
CUSTOMER.relay("POST", "/customers/{customer_id}/actions")
CUSTOMER.relay("GET", "/interactions/daily", admin=True)
CUSTOMER.relay("PUT", "/interactions/{interaction_id}/instruction", admin=True)
CUSTOMER.relay("PUT", "/staff-instructions", admin=True, guard=active_staff_of_tenant)
CUSTOMER.relay("GET", "/staff-instructions/mine")
# Corrected or deleted by the entry's author or an administrator (the service decides).
CUSTOMER.relay("PUT", "/interactions/{interaction_id}")
CUSTOMER.relay("DELETE", "/interactions/{interaction_id}")
CUSTOMER.relay("PUT", "/actions/{action_id}")
CUSTOMER.relay("DELETE", "/actions/{action_id}")
CUSTOMER.relay("GET", "/interactions/{interaction_id}/changes")  # the author or an admin
CUSTOMER.relay("GET", "/actions/{action_id}/changes")
CUSTOMER.relay("GET", "/customers/{customer_id}/deleted-entries", admin=True)  # decision 96
CUSTOMER.relay("GET", "/action-sales", "/actions/sales")
CUSTOMER.relay("GET", "/action-sales.csv", "/actions/sales.csv", download=True)
CUSTOMER.relay("GET", "/neglected-customers")
CUSTOMER.relay("GET", "/customer-ranks", "/ranks")
CUSTOMER.relay("PUT", "/customer-ranks", "/ranks", admin=True)
CUSTOMER.relay("GET", "/faq/categories")
CUSTOMER.relay("POST", "/faq/categories", admin=True)
CUSTOMER.relay("PUT", "/faq/categories/{category_id}", admin=True)
CUSTOMER.relay("GET", "/faq/entries")
CUSTOMER.relay("POST", "/faq/entries", admin=True)
CUSTOMER.relay("GET", "/faq/entries/{faq_id}")
CUSTOMER.relay("PUT", "/faq/entries/{faq_id}", admin=True)
CUSTOMER.relay("DELETE", "/faq/entries/{faq_id}", admin=True)
CUSTOMER.relay("POST", "/merges/preview", admin=True)
CUSTOMER.relay("POST", "/merges", admin=True)
CUSTOMER.relay("GET", "/merges")
CUSTOMER.relay("GET", "/postal-codes/{code}")
CUSTOMER.relay("GET", "/inflow-sources")
CUSTOMER.relay("POST", "/inflow-sources", admin=True)
CUSTOMER.relay("PUT", "/inflow-sources/{source_id}", admin=True)
CUSTOMER.relay("POST", "/inflow-sources/{source_id}/retire", admin=True)
CUSTOMER.relay("POST", "/inflow-sources/{source_id}/restore", admin=True)
CUSTOMER.relay("GET", "/settings/customer-required-fields", "/settings/required-fields")
CUSTOMER.relay("PUT", "/settings/customer-required-fields", "/settings/required-fields", admin=True)
CUSTOMER.relay("GET", "/customer-imports/template.xlsx", "/imports/template.xlsx", download=True)
CUSTOMER.relay("GET", "/customer-imports/{job_id}", "/imports/{job_id}")
CUSTOMER.relay("GET", "/customer-imports/{job_id}/errors.csv", "/imports/{job_id}/errors.csv",
               download=True)  # fmt: skip
CUSTOMER.relay("POST", "/customer-imports/{job_id}/overwrite", "/imports/{job_id}/overwrite",
               admin=True)  # fmt: skip


@router.get("/customers.csv", **CUSTOMER.answers("POST", "/customers/export.csv", admin=True))
async def export_customers(
    request: Request,
    staff: CurrentStaff,
    services: ServicesDep,
    search: Annotated[CustomerSearch, Query()],
) -> Response:
    """CUS-14: the list's search as CSV for Japanese Excel, with the 担当 and 店舗 names the
    gateway owns, streamed through."""
    async with request.app.state.runtime.uow(tenant_id=staff.tenant_id) as uow:
        names = await export_names(uow=uow)
    return await relay_download(
        await customer_master.stream_customers(
            names=names, services=services, principal=staff.principal(),
            params=customer_master.as_query(search),
        )
    )  # fmt: skip


@router.post("/customer-imports", **CUSTOMER.answers("POST", "/imports", admin=True))
async def start_import(
    request: Request,
    staff: CurrentStaff,
    services: ServicesDep,
    file: Annotated[UploadFile, File()],
) -> Response:
    """The file with the tenant's staff directory (login email → id) for the 担当者 column."""
    async with request.app.state.runtime.uow(tenant_id=staff.tenant_id) as uow:
        agents = await customer_master.import_agents(uow=uow)
    return relayed(
        await customer_master.forward_import(
            agents=agents, services=services, principal=staff.principal(),
            filename=file.filename, file=file.file, content_type=file.content_type,
        )
    )  # fmt: skip


@router.patch(
    "/customers/{customer_id}/follow-up",
    **CUSTOMER.answers("PATCH", "/customers/{customer_id}/follow-up", body=True),
)
async def change_follow_up(
    customer_id: UUID, request: Request, staff: CurrentStaff, services: ServicesDep
) -> Response:
    """追客状況を変更 / 担当を設定: the rep must be one of the tenant's active staff (the
    gateway owns accounts, so it checks before the customer service records the change)."""
    body = await request.body() or b"{}"
    async with request.app.state.runtime.uow(tenant_id=staff.tenant_id) as uow:
        refused = await customer_master.assignee_refusal(_object(body), uow=uow)
    if refused is not None:
        return Response(json.dumps(refused, ensure_ascii=False), status_code=422,
                        media_type="application/json")  # fmt: skip
    path = f"/customers/{customer_id}/follow-up"
    return relayed(
        await services.call("customer", "PATCH", path, principal=staff.principal(), content=body)
    )


def _object(body: bytes) -> dict:
    """The body as far as the rep check reads it; the customer service judges the rest."""
    try:
        found = json.loads(body)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
