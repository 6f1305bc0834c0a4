"""The gateway documents and relays the services' operations from its copy of their OpenAPI
documents (services/gateway/src/gateway/clients/openapi/). The copy must be the services'
code as it is: a changed schema, route or answer of a service fails here until
``make api-documents`` writes it again (and the change is seen in review)."""

import json

import pytest
from host.api_documents import FOLDER, rendered, service_document
from host.embedded import SERVICES


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_the_gateways_copy_is_the_services_document(service: str) -> None:
    kept = (FOLDER / f"{service}.json").read_text(encoding="utf-8")
    current = rendered(service_document(service))
    assert json.loads(kept) == json.loads(current), (
        f"the {service} service's API changed: run `make api-documents`"
    )
