"""AsyncAPI 3.0 document of the events, generated from the registry: the topic exchange the
services publish to, the partners' queues (decision 104) and the webhook deliveries."""

from typing import Any

from contracts.envelope import Envelope
from contracts.registry import REGISTRY

EXCHANGE = "crm.events"
PARTNERS_EXCHANGE = "crm.partners"
PARTNER_QUEUE = "crm.partner.{partnerId}"
AMQP_BINDING = "0.3.0"
HTTP_BINDING = "0.3.0"
TOLERANCE_S = 300
# What every message carries besides the envelope (kit.relay): the trace, and what the
# partners' headers exchange filters on.
MESSAGE_HEADERS = {
    "type": "object",
    "properties": {
        "traceparent": {"type": "string", "description": "W3C trace context"},
        "tracestate": {"type": "string"},
        "crm-tenant": {"type": "string", "format": "uuid",
                       "description": "The envelope's tenant_id (the partners' filter)."},
        "crm-event": {"type": "string",
                      "description": "The routing key, e.g. customer.merged.v1 (the partners' filter)."},
    },
}  # fmt: skip
WEBHOOK_HEADERS = {
    "type": "object",
    "required": ["webhook-id", "webhook-timestamp", "webhook-signature"],
    "properties": {
        "webhook-id": {"type": "string",
                       "description": "The event's id: the same on every retry (deduplicate on it)."},
        "webhook-timestamp": {"type": "string", "pattern": "^[0-9]+$",
                              "description": "Seconds since the epoch when signed; refuse one "
                                             f"more than {TOLERANCE_S} s away from your clock."},
        "webhook-signature": {"type": "string",
                              "description": "Standard Webhooks: space-separated 'v1,<base64 "
                                             "HMAC-SHA256 of id.timestamp.body>', one per live "
                                             "secret (two during a rotation); accept any."},
    },
}  # fmt: skip


def asyncapi_document() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    _add_schema(schemas, Envelope)
    for key, model in sorted(REGISTRY.items()):
        name = model.__name__
        _add_schema(schemas, model)
        messages[name] = {
            "name": name,
            "title": f"{model.event_type} v{model.version}",
            "summary": (model.__doc__ or "").strip().splitlines()[0],
            "contentType": "application/json",
            "headers": MESSAGE_HEADERS,
            "payload": {
                "allOf": [
                    {"$ref": "#/components/schemas/Envelope"},
                    {
                        "type": "object",
                        "properties": {"payload": {"$ref": f"#/components/schemas/{name}"}},
                    },
                ]
            },
        }
        channel = key.replace(".", "_")
        channels[channel] = {
            "address": key,
            "messages": {name: {"$ref": f"#/components/messages/{name}"}},
            "servers": [{"$ref": "#/servers/rabbitmq"}],
            "bindings": {
                "amqp": {
                    "is": "routingKey",
                    "exchange": {"name": EXCHANGE, "type": "topic", "durable": True},
                }
            },
        }
        operations[f"publish_{channel}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel}"},
            "summary": f"The {model.producer} service publishes {name}.",
        }
    _add_partner_feed(channels, operations, messages)
    _add_webhooks(channels, operations, messages)
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "顧客管理 CRM events",
            "version": "1.0.0",
            "description": "Domain events on the topic exchange; one envelope, versioned payloads. "
            "Partners read their company's events from their own queue (AMQP) or receive them "
            "by signed webhooks (HTTP). A changed schema of an existing version fails CI; a "
            "breaking change is a new version published beside the old.",
        },
        "servers": {
            "rabbitmq": {
                "host": "rabbitmq.example.jp:5672",
                "protocol": "amqp",
                "protocolVersion": "0-9-1",
                "description": "The installation's RabbitMQ; partners connect with the "
                "user and password they were given once.",
            },
            "partner": {
                "host": "partner.example.jp",
                "protocol": "https",
                "description": "The partner's own webhook endpoint.",
            },
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def _add_partner_feed(channels: dict, operations: dict, messages: dict) -> None:
    every = {name: {"$ref": f"#/components/messages/{name}"} for name in messages}
    channels["partner_queue"] = {
        "address": PARTNER_QUEUE,
        "title": "A partner's feed",
        "description": (
            f"The partner's quorum queue, bound to the headers exchange {PARTNERS_EXCHANGE} "
            f"(itself bound to {EXCHANGE} with '#') once per subscribed event type with "
            "x-match: all, crm-tenant: <the partner's company>, crm-event: <routing key>: "
            "only its company's events of those types arrive, once each (consumers' retries "
            "never pass the exchange). The partner may read this queue and nothing else: no "
            "declare, no publish. At most 100,000 messages or 200 MB, each kept 7 days; "
            "beyond that the oldest are dropped."),
        "parameters": {"partnerId": {"description": "The partner's id (its user's name is the "
                                                    "queue's)."}},
        "messages": every,
        "servers": [{"$ref": "#/servers/rabbitmq"}],
        "bindings": {"amqp": {
            "is": "queue",
            "queue": {"name": PARTNER_QUEUE, "durable": True, "exclusive": False,
                      "autoDelete": False, "vhost": "/"},
            "bindingVersion": AMQP_BINDING}},
    }  # fmt: skip
    channels["partners_exchange"] = {
        "address": PARTNERS_EXCHANGE,
        "description": "Headers exchange: matches crm-tenant and crm-event (not x- names, "
                       "which x-match: all would ignore).",
        "messages": dict(every),
        "bindings": {"amqp": {"is": "routingKey", "exchange": {
            "name": PARTNERS_EXCHANGE, "type": "headers", "durable": True, "autoDelete": False,
            "vhost": "/"}, "bindingVersion": AMQP_BINDING}},
    }  # fmt: skip
    operations["receive_partner_feed"] = {
        "action": "receive",
        "channel": {"$ref": "#/channels/partner_queue"},
        "summary": "A partner consumes its queue (any AMQP 0-9-1 client) and acks each message.",
        "bindings": {"amqp": {"ack": True, "bindingVersion": AMQP_BINDING}},
    }


def _add_webhooks(channels: dict, operations: dict, messages: dict) -> None:
    messages["WebhookDelivery"] = {
        "name": "WebhookDelivery",
        "title": "An event delivered by webhook",
        "summary": "One event's envelope, as on the bus, POSTed to the partner's endpoint.",
        "contentType": "application/json",
        "headers": WEBHOOK_HEADERS,
        "payload": {"$ref": "#/components/schemas/Envelope"},
        "bindings": {"http": {"headers": WEBHOOK_HEADERS, "bindingVersion": HTTP_BINDING}},
    }
    channels["webhook"] = {
        "address": "{webhookUrl}",
        "description": "The partner's endpoint. Answer 2xx within 15 s; redirects are not "
                       "followed; 410 unsubscribes; anything else is retried after 5 s, 5 min, "
                       "30 min, 2 h, 5 h, 10 h and 10 h.",
        "parameters": {"webhookUrl": {"description": "The endpoint registered for the partner."}},
        "messages": {"WebhookDelivery": {"$ref": "#/components/messages/WebhookDelivery"}},
        "servers": [{"$ref": "#/servers/partner"}],
        "bindings": {"http": {"bindingVersion": HTTP_BINDING}},
    }  # fmt: skip
    operations["deliver_webhook"] = {
        "action": "send",
        "channel": {"$ref": "#/channels/webhook"},
        "summary": "The gateway's worker POSTs each event to the partner's endpoint.",
        "bindings": {"http": {"method": "POST", "bindingVersion": HTTP_BINDING}},
    }


def _add_schema(schemas: dict[str, Any], model: Any) -> None:
    """Add the model's schema, hoisting nested definitions into components/schemas."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(schema.pop("$defs", {}))
    schemas[model.__name__] = schema
