"""AsyncAPI 3.0 document of the events exchange, generated from the registry."""

from typing import Any

from contracts.envelope import Envelope
from contracts.registry import REGISTRY

EXCHANGE = "crm.events"


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
            "headers": {
                "type": "object",
                "properties": {
                    "traceparent": {"type": "string", "description": "W3C trace context"},
                    "tracestate": {"type": "string"},
                },
            },
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
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "顧客管理 CRM events",
            "version": "1.0.0",
            "description": "Domain events on the topic exchange; one envelope, versioned payloads.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def _add_schema(schemas: dict[str, Any], model: Any) -> None:
    """Add the model's schema, hoisting nested definitions into components/schemas."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(schema.pop("$defs", {}))
    schemas[model.__name__] = schema
