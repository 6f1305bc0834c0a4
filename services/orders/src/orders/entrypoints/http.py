from fastapi import FastAPI
from kit.http import create_service_app
from kit.runtime import ServiceRuntime

from orders.entrypoints import (
    after_sales_routes,
    history_routes,
    master_routes,
    report_routes,
    routes,
    shipping_routes,
    shop_routes,
    subscription_routes,
)


def create_app(runtime: ServiceRuntime, *, manage_lifecycle: bool = True) -> FastAPI:
    app = create_service_app(
        runtime,
        routers=[
            master_routes.router,
            routes.router,
            shop_routes.router,
            subscription_routes.router,
            shipping_routes.router,
            after_sales_routes.router,
            history_routes.router,
            report_routes.router,
        ],
        title="orders service (受注)",
        manage_lifecycle=manage_lifecycle,
    )
    return app
