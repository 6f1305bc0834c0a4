"""お客様: the list and its downloads, a customer's page with 追客, registration, flags,
merge and the import wizard.

Every fixed path under /customers/ (new, merge, import, export.csv …) is in a module
included before ``pages``, whose /customers/{customer_id} would otherwise take it for an id."""

from fastapi import APIRouter

from gateway.web.customers import exports, follow_up, imports, master, pages

router = APIRouter(include_in_schema=False)
for module in (master, imports, exports, follow_up, pages):
    router.include_router(module.router)
