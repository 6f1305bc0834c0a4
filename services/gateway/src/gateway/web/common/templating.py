"""The one Jinja environment of the web client. Each area keeps its templates beside its
routes (``web/<area>/templates``); they share one search path, so a template name is
unique across areas (a unit test checks it) and a page of one area may use another's
macros (the monitor shows the customer's flags with the customers' ``_customer_flags``)."""

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from gateway.web.common.business import uses_in_template
from gateway.web.common.flash import take_flash
from gateway.web.common.formatting import FILTERS

WEB = Path(__file__).parent.parent
AREAS = (
    "common",
    "login",
    "customers",
    "inquiries",
    "monitor",
    "booking",
    "leads",
    "orders",
    "reports",
    "site",
    "accounts",
    "histories",
    "masters",
    "operations",
)
TEMPLATE_DIRS = [WEB / area / "templates" for area in AREAS]

templates = Jinja2Templates(directory=TEMPLATE_DIRS)
templates.env.filters.update(FILTERS)
templates.env.globals.update(uses=uses_in_template, take_flash=take_flash)


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    return templates.TemplateResponse(request, name, context, status_code=status_code)
