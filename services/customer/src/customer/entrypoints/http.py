from fastapi import FastAPI
from kit.http import create_service_app
from kit.runtime import ServiceRuntime

from customer.entrypoints.routes import router


def create_app(runtime: ServiceRuntime, *, manage_lifecycle: bool = True) -> FastAPI:
    return create_service_app(
        runtime,
        routers=[router],
        title="customer service (顧客)",
        manage_lifecycle=manage_lifecycle,
    )
