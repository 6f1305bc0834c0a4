"""What the public API and the web client both ask of the customer service beyond a plain
call: the search's criteria, the CSV export with the names the gateway owns, the import
with the tenant's staff directory, and the rep check of 担当を設定. Routes and pages call
these; neither calls the other's routes."""

from collections.abc import Mapping
from typing import Any, BinaryIO

import httpx
from contracts.customer_search import CustomerSearch, criteria
from kit.auth import Principal

from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.clients.customer import import_parts
from gateway.clients.transport import ServiceClients
from gateway.use_cases.staff_directory import staff_of_tenant

CRITERIA = criteria()  # the search contract's, once (decision 26)
UNKNOWN_ASSIGNEE = "担当者が見つかりません。スタッフ一覧から選んでください。"


def search_params(query: Mapping[str, str]) -> dict[str, str]:
    """The list's criteria as the web form gave them; the customer service checks them (and
    its refusal is shown on the list)."""
    return {k: v for k, v in query.items() if k in CRITERIA}


def as_query(search: CustomerSearch) -> dict:
    """The criteria given, as the customer service's query spells them."""
    return search.model_dump(mode="json", exclude_none=True)


async def stream_customers(
    *, names: dict, services: ServiceClients, principal: Principal, params: dict
) -> httpx.Response:
    """The customer service's CSV with the 担当 and 店舗 names the gateway owns (read from
    the gateway's database before the call: no transaction stays open across it)."""
    return await services.stream(
        "customer", "/customers/export.csv", principal=principal, params=params,
        method="POST", json=names,
    )  # fmt: skip


async def import_agents(*, uow: GatewayUnitOfWork) -> dict[str, str]:
    """The tenant's staff directory for the import's 担当者 column: login email → id."""
    return {s.email: str(s.user_id) for s in await staff_of_tenant(uow=uow)}


async def forward_import(
    *,
    agents: dict[str, str],
    services: ServiceClients,
    principal: Principal,
    filename: str | None,
    file: BinaryIO,
    content_type: str | None,
) -> httpx.Response:
    """Sends the file with the tenant's staff directory (login email → id) for 担当者."""
    parts = import_parts(agents=agents, filename=filename, file=file, content_type=content_type)
    return await services.call("customer", "POST", "/imports", principal=principal, **parts)


async def assignee_refusal(body: dict[str, Any], *, uow: GatewayUnitOfWork) -> dict | None:
    """追客状況を変更 / 担当を設定: the rep must be one of the tenant's active staff (the
    gateway owns accounts, so it checks before the customer service records the change).
    The refusal's body, or None when the change may go to the customer service."""
    assignee = body.get("assignee_id")
    if not assignee:
        return None
    ids = {str(s.user_id) for s in await staff_of_tenant(uow=uow)}
    if str(assignee) in ids:
        return None
    return {"detail": {"code": "invalid", "field": "assignee_id", "message": UNKNOWN_ASSIGNEE}}


# A profile's 所属店舗 that is not one of the tenant's stores (the API's relay and the pages).
UNKNOWN_STORE = "所属店舗が見つかりません。一覧から選んでください。"
