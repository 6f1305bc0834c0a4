"""What every typed client shares: a call made for one caller (its principal) over the one
transport, an answer read into the model of what the gateway reads.

- ``read``: a 200 is the model; a refusal (4xx: not found, another tenant's) is None.
- ``answer``: the same, but a refusal is its ``Reply`` (a search form shows the reason).
- ``send``: a write; its ``Reply`` keeps the status and the service's body, so that a page
  shows the service's own Japanese reason.
- An answer of 5xx counts as the service being down, like no answer (``ServiceUnavailable``):
  no caller ever passes a 5xx body on.

The models are tolerant readers: they name the fields the gateway uses and keep whatever
else the service sends (``extra="allow"``), so a new field on the service breaks nothing."""

from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar, TypeVar

import httpx
from kit.auth import Principal
from kit.errors import refusal_message
from pydantic import BaseModel, ConfigDict, TypeAdapter

from gateway.clients.transport import Params, ServiceClients, ServiceUnavailable

T = TypeVar("T")


class Read(BaseModel):
    """A service's answer as the gateway reads it."""

    model_config = ConfigDict(extra="allow")

    def get(self, name: str, default: Any = None) -> Any:
        """Like a dict's, for templates written against the service's JSON."""
        return getattr(self, name, default)


@dataclass(frozen=True)
class Reply:
    """A write's answer: the status and the service's body (its reason when refused)."""

    status_code: int
    data: Any

    @classmethod
    def of(cls, answer: httpx.Response) -> "Reply":
        """An answer read (a streamed one after ``aread``); a body that is not JSON is None."""
        try:
            return cls(answer.status_code, answer.json() if answer.content else None)
        except ValueError:
            return cls(answer.status_code, None)

    @property
    def ok(self) -> bool:
        return self.status_code < 300

    @property
    def message(self) -> str | None:
        """The service's Japanese words for a refusal of its rules (None for field errors)."""
        return None if self.ok else refusal_message(self.data)

    @property
    def code(self) -> str | None:
        detail = self.data.get("detail") if isinstance(self.data, dict) else None
        return detail.get("code") if isinstance(detail, dict) else None


@dataclass(frozen=True)
class Download:
    """A file a service made (a template, a CSV of refused rows), passed on as it came."""

    content: bytes
    media_type: str | None
    disposition: str


@cache
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


class ServiceClient:
    service: ClassVar[str]

    def __init__(self, transport: ServiceClients, principal: Principal) -> None:
        self.transport = transport
        self.principal = principal

    async def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        answer = await self.transport.call(
            self.service, method, path, principal=self.principal, **kwargs
        )
        if answer.status_code >= 500:
            raise ServiceUnavailable(self.service)
        return answer

    async def read(self, path: str, model: type[T], params: Params | None = None) -> T | None:
        answer = await self._call("GET", path, params=params)
        if answer.status_code != 200:
            return None
        return _adapter(model).validate_json(answer.content)

    async def answer(self, path: str, model: type[T], params: Params | None = None) -> T | Reply:
        answer = await self._call("GET", path, params=params)
        if answer.status_code != 200:
            return Reply.of(answer)
        return _adapter(model).validate_json(answer.content)

    async def send(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Reply:
        """A write; ``kwargs`` go to the transport as they are (``files``/``data`` of an upload)."""
        return Reply.of(await self._call(method, path, json=body, **kwargs))

    async def download(self, path: str) -> Download | Reply:
        answer = await self._call("GET", path)
        if answer.status_code != 200:
            return Reply.of(answer)
        return Download(
            answer.content,
            answer.headers.get("content-type"),
            answer.headers.get("content-disposition", ""),
        )
