from fastapi import FastAPI
from kit.http import create_service_app
from kit.runtime import ServiceRuntime

from leads.entrypoints import lead_routes, mail_routes, tracking_routes
from leads.entrypoints.routes import router


def create_app(runtime: ServiceRuntime, *, manage_lifecycle: bool = True) -> FastAPI:
    return create_service_app(
        runtime,
        routers=[
            router,
            lead_routes.router,
            tracking_routes.router,
            mail_routes.router,
            mail_routes.public,
        ],
        title="leads service (ホットリード)",
        manage_lifecycle=manage_lifecycle,
        # A pixel or beacon answers the same to a token with a NUL as to any forged one.
        answers_any_input=(tracking_routes.router.prefix + "/",),
    )
