"""What the hot-lead pages share: the clients of the signed-in staff and the page frame."""

import asyncio
from typing import Any
from uuid import UUID

from fastapi import Request
from fastapi.responses import Response

from gateway.clients.customer import Customer, CustomerClient
from gateway.clients.leads import LeadsClient
from gateway.use_cases.accounts import Staff
from gateway.web.common.deps import PageServices
from gateway.web.common.templating import render

# The levels strongest first, with the words a page shows beside the colour (never colour
# alone): seed 001's 赤・橙・黄.
LEVELS = {"red": "赤", "orange": "橙", "yellow": "黄"}


def leads(services: PageServices, staff: Staff) -> LeadsClient:
    return LeadsClient(services, staff.principal())  # type: ignore[arg-type]


def page(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    return render(request, name, {"nav": "leads", "levels": LEVELS, **context}, status_code)


async def customers_by_id(
    services: PageServices, staff: Staff, ids: list[UUID]
) -> dict[UUID, Customer]:
    """The names for a list of leads (one page of it), asked at once."""
    client = CustomerClient(services, staff.principal())  # type: ignore[arg-type]
    found = await asyncio.gather(*(client.customer(i) for i in ids))
    return {c.id: c for c in found if c is not None}
