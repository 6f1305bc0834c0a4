"""What the gateway knows of each service's HTTP API: the service's OpenAPI document, a copy
kept in ``openapi/<service>.json`` (written from the services' code by ``make
api-documents``; a test fails when it is stale). The relays take their request and response
schemas from it, so a relayed operation is documented once, by its owner."""

import json
from functools import cache
from importlib.resources import files
from typing import Any

from kit.openapi import rewrite_refs

# Every service's components land in the gateway's one document under the service's prefix
# ("booking.VisitRead"), so that two services' names never collide.


class UnknownOperation(LookupError):
    """A relay names an operation its service does not have (a typo or a stale copy)."""


@cache
def service_document(service: str) -> dict[str, Any]:
    text = files("gateway.clients").joinpath("openapi", f"{service}.json").read_text("utf-8")
    return json.loads(text)


def operation(service: str, method: str, path: str) -> dict[str, Any]:
    """The service's operation, its schema references renamed into the gateway's document."""
    found = service_document(service)["paths"].get(path, {}).get(method.lower())
    if found is None:
        raise UnknownOperation(f"{service} has no {method.upper()} {path}")
    return _renamed(found, service)


def components(service: str) -> dict[str, Any]:
    schemas = service_document(service).get("components", {}).get("schemas", {})
    return {f"{service}.{name}": _renamed(schema, service) for name, schema in schemas.items()}


def _renamed(node: Any, service: str) -> Any:
    return rewrite_refs(node, lambda name: f"{service}.{name}")
