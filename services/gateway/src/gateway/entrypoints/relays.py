"""Routes of /api/v1 that only relay to one service, declared once each.

A declaration names the method, the public path, the service's path when it differs, the
roles, and whether the answer is a download::

    BOOKING = ServiceRelays("booking", prefix="/api/v1/booking", tags=["予約"])
    BOOKING.relay("PUT", "/stores/{store_id}", admin=True, guard=own_store)

The request is passed on as it came (query, JSON body; an empty body as ``{}``) with the
staff's short-lived token, and the answer as it was given (status, body, content type, file name). The operation is
documented with the service's own parameters, request body and answers
(``clients/documents.py``), so ``/openapi.json`` describes every relayed operation by its
owner's schemas; a declaration that names no operation of the service fails at import.

Roles are the services' rules, checked there (after a resource of another tenant has
answered 404, which a check here would turn into 403); ``admin=True`` documents the rule
(``x-roles``), and tests/e2e/test_relay_roles.py holds each declaration to its service. A
``guard`` is a check the gateway alone can make (a store of the caller's tenant): it answers
a refusal or None."""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from kit.errors import NotFound

from gateway.clients import documents
from gateway.entrypoints.deps import CurrentStaff, ServicesDep
from gateway.entrypoints.streaming import relay_download, relayed
from gateway.use_cases.accounts import Staff

Guard = Callable[[Request, Staff], Awaitable[Response | None]]

STAFF_ROLES = ("admin", "general")
ADMIN_ROLES = ("admin",)


@dataclass(frozen=True)
class Relay:
    service: str
    method: str
    upstream: str
    download: bool
    guard: Guard | None
    takes_body: bool

    async def __call__(self, request: Request, staff: Staff, services: Any) -> Response:
        if self.guard is not None and (refusal := await self.guard(request, staff)) is not None:
            return refusal
        path = self.upstream.format_map(_quoted(request.path_params))
        query = request.query_params.multi_items()
        if self.download:
            stream = services.stream(
                self.service, path, principal=staff.principal(), params=query, method=self.method
            )
            return await relay_download(await stream)
        # An empty body is an empty object: the service names what is missing.
        body = (await request.body() or b"{}") if self.takes_body else None
        answer = await services.call(
            self.service, self.method, path, principal=staff.principal(), params=query,
            content=body,
        )  # fmt: skip
        return relayed(answer)


def _quoted(path_params: dict[str, str]) -> dict[str, str]:
    """Path values as one segment each; "." and ".." would name another path upstream."""
    if any(value in (".", "..") for value in path_params.values()):
        raise NotFound("ページが見つかりません。")
    return {name: quote(value, safe="") for name, value in path_params.items()}


class ServiceRelays:
    def __init__(self, service: str, *, prefix: str = "/api/v1", tags: Sequence[str]) -> None:
        self.service = service
        self.router = APIRouter(prefix=prefix, tags=list(tags))

    def relay(
        self,
        method: str,
        path: str,
        upstream: str | None = None,
        *,
        admin: bool = False,
        download: bool = False,
        guard: Guard | None = None,
    ) -> None:
        upstream = upstream or path
        operation = documents.operation(self.service, method, upstream)
        takes_body = "requestBody" in operation
        relay = Relay(self.service, method, upstream, download, guard, takes_body)

        async def endpoint(request: Request, staff: CurrentStaff, services: ServicesDep) -> Any:
            return await relay(request, staff, services)

        self.router.add_api_route(
            path,
            endpoint,
            methods=[method],
            name=f"{self.service}.{operation.get('operationId', path)}",
            summary=operation.get("summary"),
            description=operation.get("description"),
            status_code=success_code(operation),
            response_class=Response,
            response_model=None,
            openapi_extra=documented(operation, admin=admin),
        )

    def answers(
        self, method: str, upstream: str, *, body: bool = False, admin: bool = False
    ) -> dict[str, Any]:
        """For a route the gateway composes itself (it adds what only it knows, then calls
        the service): the route's keywords documenting the service's answers, and with
        ``body`` its request body (for a route that reads the body itself). The route declares
        its own parameters: ``@router.get("/x", **CUSTOMER.answers("GET", "/x"))``."""
        operation = documents.operation(self.service, method, upstream)
        extra = documented(operation, admin=admin)
        extra.pop("parameters", None)
        if not body:
            extra.pop("requestBody", None)
        return {
            "status_code": success_code(operation),
            "response_class": Response,
            "openapi_extra": extra,
        }


def success_code(operation: dict[str, Any]) -> int:
    return min((int(code) for code in operation.get("responses", {}) if code.startswith("2")),
               default=200)  # fmt: skip


def documented(operation: dict[str, Any], *, admin: bool) -> dict[str, Any]:
    extra: dict[str, Any] = {
        "responses": operation.get("responses", {}),
        "x-roles": list(ADMIN_ROLES if admin else STAFF_ROLES),
    }
    if operation.get("parameters"):
        extra["parameters"] = operation["parameters"]
    if "requestBody" in operation:
        extra["requestBody"] = operation["requestBody"]
    return extra
