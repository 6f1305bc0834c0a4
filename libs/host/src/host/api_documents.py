"""The services' OpenAPI documents as the gateway reads them (``make api-documents``).

The gateway relays most of ``/api/v1`` to the services and documents each relayed operation
with the service's own request and response schemas. It cannot import the services, so it
reads a copy of their documents kept beside its clients
(``services/gateway/src/gateway/clients/openapi/<service>.json``). This writes that copy from
the services' code; ``tests/e2e/test_api_documents.py`` fails when the copy is stale.

It also writes the two documents the gateway publishes, as it serves them: the one OpenAPI
document of ``/api/v1`` (``GET /api/v1/openapi.json``, kept in ``docs/api/openapi.json``)
and the AsyncAPI document of the events (``GET /api/v1/asyncapi.json``, kept in
``docs/events/asyncapi.json``); the test fails when the served ones differ from the kept."""

import json
from pathlib import Path

from host.embedded import SERVICES

ROOT = Path(__file__).resolve().parents[4]
FOLDER = ROOT / "services/gateway/src/gateway/clients/openapi"
GATEWAY_OPENAPI = ROOT / "docs/api/openapi.json"
ASYNCAPI = ROOT / "docs/events/asyncapi.json"
_NO_DATABASE = "postgresql+asyncpg://openapi@127.0.0.1:1/none"  # never connected to


def service_document(name: str) -> dict:
    boot, http, settings_cls = SERVICES[name]
    runtime = boot.build_runtime(settings_cls(database_url=_NO_DATABASE))
    return http.create_app(runtime, manage_lifecycle=False).openapi()


def gateway_document() -> dict:
    """The gateway's /api/v1 document: its own operations and those it relays, with the
    services' schemas from the copies above (write those first)."""
    import gateway.bootstrap
    import gateway.entrypoints.http
    from gateway.settings import GatewaySettings

    runtime = gateway.bootstrap.build_runtime(GatewaySettings(database_url=_NO_DATABASE))
    return gateway.entrypoints.http.create_app(runtime, manage_lifecycle=False).openapi()


def rendered(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write(folder: Path = FOLDER) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SERVICES:
        path = folder / f"{name}.json"
        path.write_text(rendered(service_document(name)), encoding="utf-8")
        written.append(path)
    if folder == FOLDER:
        from contracts.asyncapi import asyncapi_document

        GATEWAY_OPENAPI.parent.mkdir(parents=True, exist_ok=True)
        GATEWAY_OPENAPI.write_text(rendered(gateway_document()), encoding="utf-8")
        # the same text as the contracts' test writes (UPDATE_SNAPSHOTS=1)
        ASYNCAPI.write_text(json.dumps(asyncapi_document(), ensure_ascii=False, indent=2) + "\n",
                            encoding="utf-8")  # fmt: skip
        written += [GATEWAY_OPENAPI, ASYNCAPI]
    return written


if __name__ == "__main__":
    for path in write():
        print(path)
