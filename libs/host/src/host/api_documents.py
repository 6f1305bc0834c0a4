"""The services' OpenAPI documents as the gateway reads them (``make api-documents``).

The gateway relays most of ``/api/v1`` to the services and documents each relayed operation
with the service's own request and response schemas. It cannot import the services, so it
reads a copy of their documents kept beside its clients
(``services/gateway/src/gateway/clients/openapi/<service>.json``). This writes that copy from
the services' code; ``tests/e2e/test_api_documents.py`` fails when the copy is stale."""

import json
from pathlib import Path

from host.embedded import SERVICES

FOLDER = Path(__file__).resolve().parents[4] / "services/gateway/src/gateway/clients/openapi"
_NO_DATABASE = "postgresql+asyncpg://openapi@127.0.0.1:1/none"  # never connected to


def service_document(name: str) -> dict:
    boot, http, settings_cls = SERVICES[name]
    runtime = boot.build_runtime(settings_cls(database_url=_NO_DATABASE))
    return http.create_app(runtime, manage_lifecycle=False).openapi()


def rendered(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write(folder: Path = FOLDER) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SERVICES:
        path = folder / f"{name}.json"
        path.write_text(rendered(service_document(name)), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write():
        print(path)
