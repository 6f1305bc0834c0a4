from fastapi import FastAPI
from kit.http import create_service_app
from kit.runtime import ServiceRuntime

from customer.entrypoints import (
    routes,
    routes_deleted,
    routes_export,
    routes_faq,
    routes_follow_up,
    routes_guests,
    routes_histories,
    routes_import,
    routes_inflow,
    routes_manage,
    routes_merge,
    routes_postal,
    routes_purchases,
    routes_site_accounts,
)


def create_app(runtime: ServiceRuntime, *, manage_lifecycle: bool = True) -> FastAPI:
    return create_service_app(
        runtime,
        # routes_manage first: its fixed paths (phone-registrations) beat /customers/{id}.
        routers=[
            routes_manage.router,
            routes_merge.router,
            routes_postal.router,
            routes_inflow.router,
            routes_import.router,
            routes_follow_up.router,
            routes_guests.router,
            routes_site_accounts.router,
            routes_export.router,  # before routes: /customers/dm-list.csv is no id
            routes.router,
            routes_purchases.router,
            routes_histories.router,
            routes_deleted.router,
            routes_faq.router,
        ],
        title="customer service (顧客)",
        manage_lifecycle=manage_lifecycle,
    )
