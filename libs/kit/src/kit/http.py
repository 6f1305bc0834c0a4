"""The FastAPI app every service shares: health, readiness, metrics, error mapping, tracing, and the
caller's tenant as dependencies: ``tenant_transactions`` (the boundary for writes,
kit.transactions) and ``tenant_uow`` (reads). Each service types them with its own unit of
work, e.g. ``TxDep = Annotated[Transactions[CustomerUnitOfWork], Depends(tenant_transactions)]``
and ``UowDep = Annotated[CustomerUnitOfWork, Depends(tenant_uow)]``."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response

from kit.auth import CurrentPrincipal
from kit.errors import install_error_handlers
from kit.inputs import RejectNul
from kit.metrics import CONTENT_TYPE, RequestMetrics, exposition
from kit.openapi import document_errors
from kit.runtime import ServiceRuntime
from kit.transactions import Transactions
from kit.uow import UnitOfWork


def create_service_app(
    runtime: ServiceRuntime,
    *,
    routers: Sequence[APIRouter],
    title: str,
    manage_lifecycle: bool = True,
    answers_any_input: Sequence[str] = (),
) -> FastAPI:
    """``manage_lifecycle=False`` when a host (the embedded mode) starts the runtime itself.
    ``answers_any_input``: path prefixes whose routes give one answer to whatever arrives
    (tracking pixels), which the input rules then leave to them."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if manage_lifecycle:
            await runtime.start()
        try:
            yield
        finally:
            if manage_lifecycle:
                await runtime.stop()

    # No Swagger/ReDoc pages: they load their scripts from a CDN; /openapi.json stays.
    app = FastAPI(title=title, lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.runtime = runtime
    install_error_handlers(app)
    app.add_middleware(RejectNul, passes=tuple(answers_any_input))
    app.add_middleware(RequestMetrics, metrics=runtime.metrics)
    # The runtimes /metrics shows: this service's; the embedded host gives the gateway's
    # every runtime of the process (kit.metrics).
    app.state.metrics_runtimes = [runtime]

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": runtime.name}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        checks = await runtime.readiness()
        ok = checks.get("database") == "ok" and checks.get("bus") == "ok"
        return JSONResponse(
            {"status": "ok" if ok else "unavailable", **checks}, status_code=200 if ok else 503
        )

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        body = await exposition(app.state.metrics_runtimes)
        return Response(body, media_type=CONTENT_TYPE)

    for router in routers:
        app.include_router(router)
    runtime.telemetry.instrument_app(app)
    document_errors(app)
    return app


# A tracking pixel's answer, whoever serves it (the leads service, or the gateway when leads
# cannot be reached): a 1×1 transparent GIF that no cache keeps.
TRANSPARENT_GIF = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)
NO_STORE = {"cache-control": "no-store, no-cache, must-revalidate, private", "pragma": "no-cache"}


def file_answer(media_type: str, description: str) -> dict[str, Any]:
    """A download route's keywords: its answer documented as a file of ``media_type``
    (``@router.get("/x.csv", **file_answer(CSV, "…"))``)."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "response_class": Response,
        "responses": {200: {"description": description, "content": {media_type: binary}}},
    }


def raw_body(media_type: str, description: str) -> dict[str, Any]:
    """An upload route's ``openapi_extra``: a route that reads the raw request body (a file
    sent as it is) documents it as a required file of ``media_type``, so that a relay passes
    it on and the document says what to send."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {"requestBody": {"required": True, "description": description,
                            "content": {media_type: binary}}}  # fmt: skip


CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def tenant_uow(request: Request, principal: CurrentPrincipal) -> AsyncIterator[UnitOfWork]:
    """A unit of work for reading: never committed, rolled back when the request ends."""
    runtime: ServiceRuntime = request.app.state.runtime
    async with runtime.uow(tenant_id=principal.tenant_id, store_scope=principal.store_scope) as uow:
        yield uow


async def tenant_transactions(request: Request, principal: CurrentPrincipal) -> Transactions[Any]:
    """The boundary for the caller's tenant: ``await tx.run(lambda uow: use_case(uow=uow))``."""
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime.transactions(tenant_id=principal.tenant_id, store_scope=principal.store_scope)
