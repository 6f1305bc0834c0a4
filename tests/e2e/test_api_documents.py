"""The gateway documents and relays the services' operations from its copy of their OpenAPI
documents (services/gateway/src/gateway/clients/openapi/). The copy must be the services'
code as it is: a changed schema, route or answer of a service fails here until
``make api-documents`` writes it again (and the change is seen in review)."""

import json

import httpx
import pytest
from contracts.asyncapi import asyncapi_document
from host.api_documents import (
    ASYNCAPI,
    FOLDER,
    GATEWAY_OPENAPI,
    gateway_document,
    rendered,
    service_document,
)
from host.embedded import SERVICES


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_the_gateways_copy_is_the_services_document(service: str) -> None:
    kept = (FOLDER / f"{service}.json").read_text(encoding="utf-8")
    current = rendered(service_document(service))
    assert json.loads(kept) == json.loads(current), (
        f"the {service} service's API changed: run `make api-documents`"
    )


async def test_the_gateway_serves_the_documents_kept_in_docs() -> None:
    """GET /api/v1/openapi.json is docs/api/openapi.json and GET /api/v1/asyncapi.json is
    docs/events/asyncapi.json: a route, schema or event changed without writing them again
    (``make api-documents``; the events' also ``UPDATE_SNAPSHOTS=1``) fails here."""
    import gateway.bootstrap
    import gateway.entrypoints.http
    from gateway.settings import GatewaySettings

    runtime = gateway.bootstrap.build_runtime(
        GatewaySettings(database_url="postgresql+asyncpg://openapi@127.0.0.1:1/none")
    )
    app = gateway.entrypoints.http.create_app(runtime, manage_lifecycle=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as c:
        served_openapi = (await c.get("/api/v1/openapi.json")).json()
        served_asyncapi = (await c.get("/api/v1/asyncapi.json")).json()
    kept = json.loads(GATEWAY_OPENAPI.read_text(encoding="utf-8"))
    assert served_openapi == kept == json.loads(rendered(gateway_document())), (
        "the gateway's API changed: run `make api-documents`"
    )
    assert served_asyncapi == json.loads(ASYNCAPI.read_text(encoding="utf-8"))
    assert served_asyncapi == asyncapi_document()
    assert "/api/v1/partners" in served_openapi["paths"]
    assert served_openapi["paths"]["/api/v1/partners"]["post"]["x-roles"] == ["admin"]
