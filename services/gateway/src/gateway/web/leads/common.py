"""What the hot-lead pages share: the levels' words, the page frame, the customers' names."""

import asyncio
from typing import Any
from uuid import UUID

from fastapi import Request
from fastapi.responses import Response

from gateway.clients.customer import Customer
from gateway.web.common.deps import Clients
from gateway.web.common.templating import render

# The levels strongest first, with the words a page shows beside the colour (never colour
# alone): seed 001's 赤・橙・黄.
LEVELS = {"red": "赤", "orange": "橙", "yellow": "黄"}


def page(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    return render(request, name, {"nav": "leads", "levels": LEVELS, **context}, status_code)


async def customers_by_id(clients: Clients, ids: list[UUID]) -> dict[UUID, Customer]:
    """The names for a list of leads (one page of it), asked at once."""
    found = await asyncio.gather(*(clients.customer.customer(i) for i in ids))
    return {c.id: c for c in found if c is not None}
