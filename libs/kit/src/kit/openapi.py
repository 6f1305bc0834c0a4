"""The OpenAPI documents of our apps: the kit's error answer in place of FastAPI's, and one
walk over a document's schema references (the gateway renames the services' into its own)."""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from kit.errors import ErrorAnswer

SCHEMA_REF = "#/components/schemas/"


def rewrite_refs(node: Any, rename: Callable[[str], str]) -> Any:
    """A copy of ``node`` whose local schema references ("#/components/schemas/X") name
    ``rename(X)`` instead."""
    if isinstance(node, dict):
        return {
            key: (
                SCHEMA_REF + rename(value.removeprefix(SCHEMA_REF))
                if key == "$ref" and isinstance(value, str) and value.startswith(SCHEMA_REF)
                else rewrite_refs(value, rename)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [rewrite_refs(item, rename) for item in node]
    return node


def document_errors(app: FastAPI) -> None:
    """The document names the kit's error answer (``kit.errors.ErrorAnswer``: code, Japanese
    message, field, errors) where FastAPI would name its validation error, which no route of
    ours answers."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            schemas = document.get("components", {}).get("schemas", {})
            if schemas.pop("HTTPValidationError", None) is not None:
                schemas.pop("ValidationError", None)
                answer = ErrorAnswer.model_json_schema(ref_template=SCHEMA_REF + "{model}")
                schemas.update(answer.pop("$defs", {}))
                schemas["ErrorAnswer"] = answer
                document = rewrite_refs(
                    document, lambda name: "ErrorAnswer" if name == "HTTPValidationError" else name
                )
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
