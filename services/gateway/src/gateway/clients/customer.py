"""The customer service as the gateway reads it: a customer's profile and its 追客, the
list and the lookup, the master's writes (registration, flags, withdrawal, merge) and the
import wizard."""

import json
from datetime import datetime
from typing import Any, BinaryIO
from uuid import UUID

import httpx
from pydantic import Field

from gateway.clients.base import Download, Read, Reply, ServiceClient
from gateway.clients.transport import Params


class Customer(Read):
    """The profile, as the customer service shows it (its copy of the visits and inquiries
    kept from the events stands in when booking or inquiry cannot answer)."""

    id: UUID
    name: str
    store_id: UUID | None = None
    created_at: datetime
    visits: list[dict[str, Any]] = Field(default_factory=list)
    inquiries: list[dict[str, Any]] = Field(default_factory=list)


class FollowUp(Read):
    status: str
    assignee_id: UUID | None = None


# The customer service reads and checks the whole file before it answers (a million rows:
# about a minute); the upload's call waits that long, any other the service timeout.
IMPORT_TIMEOUT = httpx.Timeout(10.0, read=600.0, write=600.0)


def import_parts(
    *, agents: dict[str, str], filename: str | None, file: BinaryIO, content_type: str | None
) -> dict[str, Any]:
    """The import's multipart body: the file (a file object, streamed: the upload as the
    gateway spooled it to disk) with the tenant's staff directory (login email → id) for
    担当者; the page's client and the API's relay send the same."""
    part = (filename or "import.csv", file, content_type or "text/csv")
    return {
        "files": {"file": part},
        "data": {"agents": json.dumps(agents)},
        "timeouts": IMPORT_TIMEOUT,
    }


class Listed(Read):
    id: UUID


class CustomerPage(Read):
    """A page of the list or of the lookup (the rows pass to the templates as they came)."""

    items: list[Listed]
    total: int


class DmCount(Read):
    """How many a DM list holds, and how many 郵送DM不要 leaves out."""

    total: int
    opted_out: int
    max_rows: int


class ImportJob(Read):
    id: UUID
    status: str
    done: int
    total: int


class InflowSource(Read):
    id: UUID
    name: str
    retired_at: datetime | None = None


class CustomerClient(ServiceClient):
    service = "customer"

    async def customers(self, params: dict[str, Any]) -> CustomerPage | Reply:
        return await self.answer("/customers", CustomerPage, params)

    async def dm_count(self, params: Params) -> DmCount | Reply:
        return await self.answer("/customers/dm-list/count", DmCount, params)

    async def lookup(self, term: str, *, limit: int) -> CustomerPage | Reply:
        return await self.answer("/customers/lookup", CustomerPage, {"term": term, "limit": limit})

    async def register(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/customers", body)

    async def update(self, customer_id: UUID, body: dict[str, Any]) -> Reply:
        """更新→保存: the whole profile, as registration sends it."""
        return await self.send("PUT", f"/customers/{customer_id}", body)

    async def required_fields(self) -> list[str] | None:
        """The tenant's 必須項目 (CUS-4), for the forms' marks."""
        answer = await self.read("/settings/required-fields", Read)
        return list(answer.get("required_fields") or []) if answer is not None else None

    async def set_required_fields(self, fields: list[str]) -> Reply:
        return await self.send("PUT", "/settings/required-fields", {"required_fields": fields})

    async def inflow_sources(self) -> list[InflowSource] | None:
        """流入経路マスタ, retired entries too (they stay on their customers)."""
        return await self.read("/inflow-sources", list[InflowSource])

    async def add_inflow_source(self, *, name: str) -> Reply:
        return await self.send("POST", "/inflow-sources", {"name": name})

    async def rename_inflow_source(self, source_id: UUID, *, name: str) -> Reply:
        return await self.send("PUT", f"/inflow-sources/{source_id}", {"name": name})

    async def retire_inflow_source(self, source_id: UUID) -> Reply:
        return await self.send("POST", f"/inflow-sources/{source_id}/retire")

    async def restore_inflow_source(self, source_id: UUID) -> Reply:
        return await self.send("POST", f"/inflow-sources/{source_id}/restore")

    async def register_phone(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/customers/phone-registrations", body)

    async def save_flags(self, customer_id: UUID, body: dict[str, Any]) -> Reply:
        return await self.send("PUT", f"/customers/{customer_id}/flags", body)

    async def withdraw(self, customer_id: UUID, *, reason: str) -> Reply:
        return await self.send("POST", f"/customers/{customer_id}/withdrawal", {"reason": reason})

    async def delete(self, customer_id: UUID) -> Reply:
        return await self.send("DELETE", f"/customers/{customer_id}")

    async def change_follow_up(self, customer_id: UUID, body: dict[str, Any]) -> Reply:
        return await self.send("PATCH", f"/customers/{customer_id}/follow-up", body)

    async def add_memo(self, customer_id: UUID, *, body: str) -> Reply:
        return await self.send("POST", f"/customers/{customer_id}/memos", {"body": body})

    async def merges(self) -> list[Read] | None:
        return await self.read("/merges", list[Read])

    async def preview_merge(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/merges/preview", body)

    async def merge(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/merges", body)

    async def import_template(self) -> Download | Reply:
        return await self.download("/imports/template.xlsx")

    async def start_import(self, parts: dict[str, Any]) -> Reply:
        """``parts``: ``import_parts`` (the file and the staff directory)."""
        return await self.send("POST", "/imports", **parts)

    async def import_job(self, job_id: UUID) -> ImportJob | None:
        return await self.read(f"/imports/{job_id}", ImportJob)

    async def import_errors(self, job_id: UUID) -> Download | Reply:
        return await self.download(f"/imports/{job_id}/errors.csv")

    async def overwrite_import(self, job_id: UUID) -> Reply:
        return await self.send("POST", f"/imports/{job_id}/overwrite")

    async def customer(self, customer_id: UUID) -> Customer | None:
        return await self.read(f"/customers/{customer_id}", Customer)

    async def follow_up(self, customer_id: UUID) -> FollowUp | None:
        return await self.read(f"/customers/{customer_id}/follow-up", FollowUp)


class PurchaseHistory(Read):
    """購入履歴 as the customer service keeps it from the orders events (newest 100)."""

    items: list[Read]
    orders: int  # that stand (not cancelled or returned)
    total_yen: int


async def purchases_of(client: CustomerClient, customer_id: UUID) -> PurchaseHistory | None:
    return await client.read(f"/customers/{customer_id}/purchases", PurchaseHistory)
