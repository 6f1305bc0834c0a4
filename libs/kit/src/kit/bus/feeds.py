"""Partner feeds (GW-4, decision 104): a partner reads its tenant's events of the types it
chose from its own quorum queue, with its own RabbitMQ user, through any AMQP client.

Topology, in the vhost of the bus:
- ``<ns>.partners``: a headers exchange bound to the topic exchange ``<ns>.events`` with
  ``#`` (exchange to exchange): it sees every published event, and no retry (the consumers'
  retries and dead letters go through the default exchange to their own queues);
- ``<ns>.partner.<id>``: the partner's quorum queue, bound to ``<ns>.partners`` once per
  event type with ``x-match: all``, ``crm-tenant: <tenant>``, ``crm-event: <type>``
  (the headers the outbox relay puts on every message; not ``x-`` names, which ``all``
  ignores: such a binding would match every tenant's events);
- the user ``<ns>.partner.<id>``: configure and write nothing (``^$``), read its queue only,
  at most ``max_connections`` connections.
Everything is made through the management HTTP API (plugin rabbitmq_management), whose
calls are idempotent: a create or a delete interrupted half-way is finished by doing it
again."""

import abc
import asyncio
import re
import secrets
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit
from uuid import UUID

import httpx

from kit.bus.base import EVENT_HEADER, TENANT_HEADER
from kit.logging import get_logger
from kit.settings import CommonSettings

log = get_logger("kit.bus.feeds")

# An absent partner's queue cannot fill the broker: the oldest messages go first beyond
# these bounds (drop-head, never reject-publish: a full partner queue must not refuse the
# relay's publishes, which would stop every service's events).
QUEUE_MAX_LENGTH = 100_000
QUEUE_MAX_BYTES = 200 * 1024 * 1024
QUEUE_TTL_MS = 7 * 24 * 3600 * 1000
MAX_CONNECTIONS = 2


class FeedsUnavailable(RuntimeError):
    """No RabbitMQ here (the embedded mode's in-memory bus), or its management API does not
    answer: no partner feed can be made or removed now."""


@dataclass(frozen=True)
class FeedAccess:
    """What a partner is given once: it connects with ``amqp_url`` as ``username``."""

    amqp_url: str
    username: str
    password: str
    queue: str


class PartnerFeeds(abc.ABC):
    @property
    @abc.abstractmethod
    def available(self) -> bool: ...

    @abc.abstractmethod
    async def open(
        self, *, partner_id: UUID, tenant_id: UUID, event_types: tuple[str, ...]
    ) -> FeedAccess:
        """The partner's user, permissions, limit, queue and bindings; a new password."""

    @abc.abstractmethod
    async def rotate(self, *, partner_id: UUID) -> FeedAccess:
        """A new password; the partner's open connections are closed (they used the old)."""

    @abc.abstractmethod
    async def close(self, *, partner_id: UUID) -> None:
        """The user, its open connections and the queue are gone (none there: nothing)."""


class NoFeeds(PartnerFeeds):
    """The embedded mode: there is no broker a partner could connect to."""

    available = False  # type: ignore[assignment]

    async def open(self, **_: object) -> FeedAccess:  # type: ignore[override]
        raise FeedsUnavailable("partner feeds need RabbitMQ")

    async def rotate(self, **_: object) -> FeedAccess:  # type: ignore[override]
        raise FeedsUnavailable("partner feeds need RabbitMQ")

    async def close(self, **_: object) -> None:  # type: ignore[override]
        return None  # nothing was ever made


class RabbitPartnerFeeds(PartnerFeeds):
    available = True  # type: ignore[assignment]

    def __init__(
        self,
        *,
        management_url: str,
        username: str,
        password: str,
        vhost: str,
        namespace: str,
        partner_amqp_url: str,
        max_connections: int = MAX_CONNECTIONS,
        max_length: int = QUEUE_MAX_LENGTH,
        timeout_s: float = 10.0,
    ) -> None:
        self._api = management_url.rstrip("/") + "/api"
        self._auth = (username, password)
        self._vhost = vhost
        self._ns = namespace
        self._partner_url = partner_amqp_url
        self._max_connections = max_connections
        self._max_length = max_length
        self._timeout = timeout_s

    @classmethod
    def from_settings(
        cls,
        common: CommonSettings,
        *,
        namespace: str | None = None,
        partner_amqp_url: str | None = None,
        **kw: int,
    ) -> "RabbitPartnerFeeds":
        url, user, password, vhost = common.management_endpoint()
        return cls(management_url=url, username=user, password=password, vhost=vhost,
                   namespace=namespace or common.bus_namespace,
                   partner_amqp_url=partner_amqp_url or without_credentials(common.amqp_url),
                   **kw)  # fmt: skip

    def queue(self, partner_id: UUID) -> str:
        return f"{self._ns}.partner.{partner_id}"

    @property
    def exchange(self) -> str:
        return f"{self._ns}.partners"

    async def open(
        self, *, partner_id: UUID, tenant_id: UUID, event_types: tuple[str, ...]
    ) -> FeedAccess:
        name, password = self.queue(partner_id), new_password()
        v = _q(self._vhost)
        async with self._client() as api:
            await _call(api, "PUT", f"/exchanges/{v}/{_q(f'{self._ns}.events')}",
                        json={"type": "topic", "durable": True})  # fmt: skip
            await _call(api, "PUT", f"/exchanges/{v}/{_q(self.exchange)}",
                        json={"type": "headers", "durable": True})  # fmt: skip
            # binding twice is one binding: the same call from every partner is harmless
            await _call(api, "POST",
                        f"/bindings/{v}/e/{_q(f'{self._ns}.events')}/e/{_q(self.exchange)}",
                        json={"routing_key": "#"})  # fmt: skip
            await _call(api, "PUT", f"/queues/{v}/{_q(name)}", json={"durable": True,
                "arguments": {"x-queue-type": "quorum", "x-max-length": self._max_length,
                              "x-max-length-bytes": QUEUE_MAX_BYTES,
                              "x-message-ttl": QUEUE_TTL_MS, "x-overflow": "drop-head"}})  # fmt: skip
            for event_type in event_types:
                await _call(api, "POST", f"/bindings/{v}/e/{_q(self.exchange)}/q/{_q(name)}",
                            json={"routing_key": "", "arguments": {
                                "x-match": "all", TENANT_HEADER: str(tenant_id),
                                EVENT_HEADER: event_type}})  # fmt: skip
            await self._grant(api, name, password)
        return FeedAccess(self._partner_url, name, password, name)

    async def rotate(self, *, partner_id: UUID) -> FeedAccess:
        name, password = self.queue(partner_id), new_password()
        async with self._client() as api:
            # Deleting the user is what makes the broker close its connections at once (the
            # management API lists a new connection only after about a second); then it is
            # made again with the new password, its permissions and limit.
            await _call(api, "DELETE", f"/users/{_q(name)}", missing_ok=True)
            await self._close_connections(api, name)
            await self._grant(api, name, password)
        return FeedAccess(self._partner_url, name, password, name)

    async def close(self, *, partner_id: UUID) -> None:
        name = self.queue(partner_id)
        async with self._client() as api:
            # the user first: the broker closes its connections (RabbitMQ 3.10 does) and no
            # new one can open; then any still listed are closed through the API
            await _call(api, "DELETE", f"/users/{_q(name)}", missing_ok=True)
            await self._close_connections(api, name)
            await _call(api, "DELETE", f"/queues/{_q(self._vhost)}/{_q(name)}", missing_ok=True)

    async def connections(self, username: str) -> list[str]:
        """Names of the user's open connections, as the management API lists them."""
        async with self._client() as api:
            return await self._connections(api, username)

    async def _grant(self, api: httpx.AsyncClient, name: str, password: str) -> None:
        """The user with its password, its permissions (read its queue, nothing else) and
        its connection limit."""
        await _call(api, "PUT", f"/users/{_q(name)}", json={"password": password, "tags": ""})
        await _call(api, "PUT", f"/permissions/{_q(self._vhost)}/{_q(name)}",
                    json={"configure": "^$", "write": "^$", "read": f"^{re.escape(name)}$"})  # fmt: skip
        await _call(api, "PUT", f"/user-limits/{_q(name)}/max-connections",
                    json={"value": self._max_connections})  # fmt: skip

    async def _connections(self, api: httpx.AsyncClient, username: str) -> list[str]:
        answer = await _call(api, "GET", "/connections", params={"columns": "name,user"})
        return [c["name"] for c in answer.json() if c.get("user") == username]

    async def _close_connections(self, api: httpx.AsyncClient, username: str) -> None:
        for connection in await self._connections(api, username):
            await _call(api, "DELETE", f"/connections/{_q(connection)}", missing_ok=True,
                        headers={"X-Reason": "partner feed closed or rotated"})  # fmt: skip

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self._api, auth=self._auth, timeout=self._timeout)


async def _call(
    api: httpx.AsyncClient, method: str, path: str, *, missing_ok: bool = False, **kw: object
) -> httpx.Response:
    try:
        answer = await api.request(method, path, **kw)  # type: ignore[arg-type]
    except httpx.HTTPError as exc:
        raise FeedsUnavailable(
            f"RabbitMQ management API unreachable: {type(exc).__name__}"
        ) from exc
    if answer.status_code == 404 and missing_ok:
        return answer
    if answer.status_code >= 400:
        # the path names no secret; the body may echo the request, so it is not logged
        log.error("management API refused", method=method, path=path, status=answer.status_code)
        raise FeedsUnavailable(f"RabbitMQ management API answered {answer.status_code}")
    return answer


def _q(part: str) -> str:
    return quote(part, safe="")


def new_password() -> str:
    return secrets.token_urlsafe(24)


def without_credentials(amqp_url: str) -> str:
    """The broker's address as a partner is told it (its own user goes in separately)."""
    parts = urlsplit(amqp_url)
    host = parts.hostname or "127.0.0.1"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))


async def wait_for_api(common: CommonSettings, *, timeout_s: float = 30.0) -> bool:
    """True once the management API answers (the plugin takes seconds after enabling)."""
    url, user, password, _ = common.management_endpoint()
    async with httpx.AsyncClient(auth=(user, password), timeout=3) as client:
        deadline = asyncio.get_running_loop().time() + timeout_s
        while True:
            try:
                if (await client.get(f"{url}/api/overview")).status_code == 200:
                    return True
            except httpx.HTTPError:
                pass
            if asyncio.get_running_loop().time() > deadline:
                return False
            await asyncio.sleep(0.5)
