"""ホットリード (LEAD-2 to LEAD-8): the hot-lead list, a customer's activity with the heat map,
the office's level settings and conversion by level, and the mails."""

from fastapi import APIRouter

from gateway.web.leads import mails, pages, settings

router = APIRouter(include_in_schema=False)
for module in (settings, mails, pages):  # fixed paths before /hot-leads/{customer_id}
    router.include_router(module.router)
