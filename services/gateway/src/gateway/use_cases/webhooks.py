"""The administrator's webhook endpoints (issue 16): add, change, rotate the secret, remove,
read the delivery log, ask for a replay. The boundary commits; another tenant's endpoint is
not found (the unit of work's tenant scopes every query)."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from kit.errors import Forbidden, Invalid, NotFound

from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.adapters.webhook_orm import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookReplay,
)
from gateway.domain import webhooks

NOT_FOUND = "Webhook の送信先が見つかりません。"
ADMIN_ONLY = "Webhook の設定は管理者のみ行えます。"


@dataclass(frozen=True)
class EndpointChange:
    url: str
    event_types: list[str]
    description: str = ""
    active: bool = True


@dataclass(frozen=True)
class DeliveryRow:
    delivery: WebhookDelivery
    attempts: list[WebhookAttempt]


def check(change: EndpointChange, *, allow_http: bool) -> None:
    """Every problem of the form at once (the page shows each beside its field)."""
    errors = []
    problem = webhooks.url_problem(change.url, allow_http=allow_http)
    if problem:
        errors.append({"code": "invalid_url", "message": problem, "field": "url"})
    unknown = webhooks.unknown_event_types(change.event_types)
    if unknown:
        errors.append({"code": "unknown_event_type", "field": "event_types",
                       "message": f"存在しないイベントの種類です: {'、'.join(unknown)}。"
                                  "一覧にある種類から選んでください。"})  # fmt: skip
    elif not change.event_types:
        errors.append({"code": "no_event_types", "field": "event_types",
                       "message": "送信するイベントを1つ以上選んでください。"})  # fmt: skip
    if errors:
        first = errors[0]
        raise Invalid(first["message"], code=first["code"], field=first["field"], errors=errors)


async def create_endpoint(
    change: EndpointChange, *, allow_http: bool, now: datetime, uow: GatewayUnitOfWork
) -> tuple[WebhookEndpoint, str]:
    """The new endpoint and its secret, which is shown this once."""
    check(change, allow_http=allow_http)
    assert uow.tenant_id is not None
    secret = webhooks.new_secret()
    endpoint = WebhookEndpoint(
        id=uuid.uuid4(), tenant_id=uow.tenant_id, url=change.url, description=change.description,
        event_types=list(dict.fromkeys(change.event_types)), secret=secret,
        status="active" if change.active else "disabled",
        disabled_reason=None if change.active else "管理者が停止しました。",
        disabled_at=None if change.active else now, created_at=now, updated_at=now,
    )  # fmt: skip
    uow.webhooks.add(endpoint)
    return endpoint, secret


def require_admin(admin: bool) -> None:
    if not admin:
        raise Forbidden(ADMIN_ONLY, code="admin_only")


async def endpoint(
    endpoint_id: uuid.UUID, *, admin: bool, uow: GatewayUnitOfWork, for_update: bool = False
) -> WebhookEndpoint:
    """The tenant's endpoint: another tenant's (or none) is 404 before the role is looked at,
    so a 一般 user learns nothing of ids either (decision 73)."""
    found = await uow.webhooks.endpoint(endpoint_id=endpoint_id, for_update=for_update)
    if found is None:
        raise NotFound(NOT_FOUND, code="webhook_endpoint_not_found")
    require_admin(admin)
    return found


async def update_endpoint(
    endpoint_id: uuid.UUID, change: EndpointChange, *, admin: bool, allow_http: bool,
    now: datetime, uow: GatewayUnitOfWork,
) -> WebhookEndpoint:  # fmt: skip
    """Turning an endpoint back on clears its failures: its waiting deliveries go out."""
    found = await endpoint(endpoint_id, admin=admin, uow=uow, for_update=True)
    check(change, allow_http=allow_http)
    found.url, found.description = change.url, change.description
    found.event_types = list(dict.fromkeys(change.event_types))
    if change.active and found.status != "active":
        found.status, found.disabled_reason, found.disabled_at = "active", None, None
        found.failing_since = None
        await uow.webhooks.notify()
    elif not change.active and found.status == "active":
        found.status, found.disabled_reason, found.disabled_at = (
            "disabled", "管理者が停止しました。", now)  # fmt: skip
    found.updated_at = now
    return found


async def rotate_secret(
    endpoint_id: uuid.UUID, *, admin: bool, now: datetime, uow: GatewayUnitOfWork
) -> tuple[WebhookEndpoint, str]:
    """A new secret; the one before it still signs beside it for ROTATION_GRACE."""
    found = await endpoint(endpoint_id, admin=admin, uow=uow, for_update=True)
    secret = webhooks.new_secret()
    found.previous_secret, found.previous_secret_until = found.secret, now + webhooks.ROTATION_GRACE
    found.secret, found.updated_at = secret, now
    return found, secret


async def delete_endpoint(endpoint_id: uuid.UUID, *, admin: bool, uow: GatewayUnitOfWork) -> None:
    await uow.webhooks.delete(await endpoint(endpoint_id, admin=admin, uow=uow, for_update=True))


async def delivery_log(
    endpoint_id: uuid.UUID, *, admin: bool, limit: int, uow: GatewayUnitOfWork
) -> list[DeliveryRow]:
    await endpoint(endpoint_id, admin=admin, uow=uow)
    rows = await uow.webhooks.deliveries(endpoint_id=endpoint_id, limit=limit)
    attempts = await uow.webhooks.attempts(delivery_ids=[d.id for d in rows])
    return [DeliveryRow(d, attempts[d.id]) for d in rows]


async def replay(
    endpoint_id: uuid.UUID, *, admin: bool, start: datetime, end: datetime, now: datetime,
    requested_by: uuid.UUID | None, uow: GatewayUnitOfWork,
) -> tuple[WebhookReplay, int]:  # fmt: skip
    """The range's events of the endpoint's types, sent again with their original ids by the
    delivery worker a window at a time; answers the replay and how many events it holds."""
    found = await endpoint(endpoint_id, admin=admin, uow=uow)
    problem = webhooks.replay_problem(start, end, now=now)
    if problem:
        code, field, message = problem
        raise Invalid(message, code=code, field=field)
    if found.status != "active":
        raise Invalid("停止中の送信先には再送できません。先に有効にしてください。",
                      code="endpoint_disabled", field="endpoint_id")  # fmt: skip
    assert uow.tenant_id is not None
    row = WebhookReplay(id=uuid.uuid4(), tenant_id=uow.tenant_id, endpoint_id=found.id,
                        range_from=start, range_to=end, requested_at=now,
                        requested_by=requested_by, enqueued=0)  # fmt: skip
    uow.webhooks.add(row)
    count = await uow.webhooks.events_in(start=start, end=end, kinds=list(found.event_types))
    await uow.webhooks.notify()
    return row, count
