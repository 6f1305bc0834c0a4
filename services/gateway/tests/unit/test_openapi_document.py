"""GW-3's aggregated document: every /api/v1 operation of the gateway's /openapi.json says what
it takes, what it answers and who may call it. A relayed operation borrows its owner's
schemas (clients/openapi/), so a bare one means a relay or a service route lost them."""

import pytest
from fastapi import FastAPI
from gateway.bootstrap import build_runtime
from gateway.entrypoints.http import create_app
from gateway.entrypoints.orders_api import MASTERS
from gateway.settings import GatewaySettings

WRITES = {"post", "put", "patch"}
# Writes whose request is their path alone, each with the reason.
BODYLESS = {
    ("post", "/api/v1/customer-imports/{job_id}/overwrite"): "the job's own rows overwrite",
    ("post", "/api/v1/admin/portal-secret"): "a new secret is drawn, nothing is given",
    ("post", "/api/v1/webhooks/endpoints/{endpoint_id}/rotate-secret"): "a new secret is drawn",
    ("post", "/api/v1/accounts/{user_id}/invitation"): "a new link is drawn for that user",
    ("post", "/api/v1/partners/{partner_id}/rotate"): "a new password is drawn for that partner",
    ("post", "/api/v1/auth/logout-all"): "every session of the caller ends",
    ("post", "/api/v1/mail-order/settings/shop-secret"): "a new shop secret is drawn",
    ("post", "/api/v1/mail-order/subscription-runs"): "today's run, for the tenant",
    **{
        ("post", f"/api/v1/mail-order/subscriptions/{{subscription_id}}/{step}"): "the next one"
        for step in ("skip", "pause", "resume")
    },
    **{
        ("post", f"/api/v1/mail-order/{kind}/{{entry_id}}/retire"): "the entry named retires"
        for kind in MASTERS
    },
    # Issue 13: the tenant's own masters retire (and restore) the entry the path names.
    **{
        ("post", f"/api/v1/{path}/{step}"): "the entry named retires or returns"
        for path, steps in (
            ("media/{medium_id}", ("retire", "restore")),
            ("inflow-sources/{source_id}", ("retire", "restore")),
            ("booking/menus/{menu_id}", ("retire", "restore")),
            ("booking/staff-members/{staff_member_id}", ("retire", "restore")),
            ("booking/properties/{property_id}", ("retire", "restore")),
            ("stores/{store_id}", ("retire", "restore")),
        )
        for step in steps
    },
}
# Operations reached without a staff session (sign-in, partners), by the scheme that guards them.
WITHOUT_SESSION = {
    ("post", "/api/v1/auth/token"): None,
    ("post", "/api/v1/portal/{tenant}/inquiries"): "portalSignature",
    ("post", "/api/v1/shop/{tenant}/orders"): "shopSignature",
    ("get", "/api/v1/public/{tenant}/availability"): None,
    ("get", "/api/v1/public/{tenant}/salon"): None,
    ("post", "/api/v1/public/{tenant}/reservations"): None,
    # The links mailed to a user who has no (or has forgotten their) password: the token is
    # the proof, single-use and expiring.
    ("post", "/api/v1/password-resets"): None,
    ("get", "/api/v1/invitations/{token}"): None,
    ("post", "/api/v1/invitations/{token}"): None,
    ("post", "/api/v1/password-resets/{token}"): None,
}


@pytest.fixture(scope="module")
def document() -> dict:
    settings = GatewaySettings(database_url="postgresql+asyncpg://openapi@127.0.0.1:1/none")
    app: FastAPI = create_app(build_runtime(settings), manage_lifecycle=False)
    return app.openapi()


def _operations(document: dict) -> list[tuple[str, str, dict]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        if path.startswith("/api/v1/")
        for method, operation in item.items()
    ]


def _bare(schema: object) -> bool:
    return not isinstance(schema, dict) or schema in ({}, {"type": "object"}) or (
        schema.get("type") == "object" and schema.get("additionalProperties") is True
        and not schema.get("properties")
    )  # fmt: skip


def _resolves(document: dict, node: object) -> list[str]:
    """References that name no schema of the document."""
    schemas = document.get("components", {}).get("schemas", {})
    if isinstance(node, dict):
        ref = node.get("$ref")
        missing = [ref] if isinstance(ref, str) and ref.split("/")[-1] not in schemas else []
        return missing + [m for v in node.values() for m in _resolves(document, v)]
    if isinstance(node, list):
        return [m for v in node for m in _resolves(document, v)]
    return []


def test_every_operation_documents_its_request_answers_and_security(document: dict) -> None:
    operations = _operations(document)
    assert len(operations) > 60
    bare = []
    for method, path, op in operations:
        where = f"{method.upper()} {path}"
        successes = {c: r for c, r in op.get("responses", {}).items() if c.startswith("2")}
        if not successes:
            bare.append(f"{where}: no success answer")
        for code, answer in successes.items():
            contents = answer.get("content", {})
            if code != "204" and (
                not contents or any(_bare(c.get("schema")) for c in contents.values())
            ):
                bare.append(f"{where}: {code} without a schema")
        for parameter in op.get("parameters", []):
            if _bare(parameter.get("schema")) and parameter.get("schema", {}).get("type") is None:
                bare.append(f"{where}: parameter {parameter['name']} without a schema")
        body = op.get("requestBody")
        if body is None and method in WRITES and (method, path) not in BODYLESS:
            bare.append(f"{where}: no request body")
        if body is not None and any(_bare(c.get("schema")) for c in body["content"].values()):
            bare.append(f"{where}: request body without a schema")
        if (method, path) in WITHOUT_SESSION:
            scheme = WITHOUT_SESSION[(method, path)]
            if op.get("security", []) != ([{scheme: []}] if scheme else []):
                bare.append(f"{where}: security {op.get('security')!r}, not {scheme}")
        elif op.get("security") != [{"token": []}, {"session": []}]:
            bare.append(f"{where}: security {op.get('security')!r}")
    assert bare == [], "\n".join(bare)


def test_every_schema_reference_resolves(document: dict) -> None:
    assert _resolves(document, document["paths"]) == []
    assert _resolves(document, document["components"]["schemas"]) == []


def test_a_relayed_operation_carries_its_owners_schemas_and_roles(document: dict) -> None:
    put_store = document["paths"]["/api/v1/booking/stores/{store_id}"]["put"]
    assert put_store["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/booking.StoreSettingsWrite"
    }
    assert put_store["x-roles"] == ["admin"]
    listing = document["paths"]["/api/v1/customers"]["get"]
    assert len(listing["parameters"]) >= 34  # every criterion of the search contract
    assert document["paths"]["/api/v1/booking/visits"]["post"]["x-roles"] == ["admin", "general"]
