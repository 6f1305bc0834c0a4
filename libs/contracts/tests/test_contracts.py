"""The event contracts: JSON-Schema snapshots (a breaking edit fails here), the registry,
envelopes and the AsyncAPI document."""

import json
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from contracts import CustomerMergedV1, Envelope, InquiryReceivedV1
from contracts.asyncapi import asyncapi_document
from contracts.envelope import new_event_id
from contracts.registry import REGISTRY, UnknownEvent, decode, json_schemas, model_for

SNAPSHOTS = Path(__file__).parent / "snapshots"
DOCS = Path(__file__).parents[3] / "docs" / "events" / "asyncapi.json"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"


ANNOTATIONS = {"title", "description", "examples"}


def breaking_changes(old: dict, new: dict, where: str = "") -> list[str]:
    """What a consumer of ``old`` would trip on in ``new``: a property gone or changed, a
    field newly required, a definition gone, a closed object. New optional properties, new
    definitions and changed descriptions are not breaking."""
    found: list[str] = []
    for name, was in old.get("properties", {}).items():
        now = new.get("properties", {}).get(name)
        if now is None:
            found.append(f"{where}{name}: removed")
        elif _shape(was) != _shape(now):
            found.append(f"{where}{name}: changed")
    for name in sorted(set(new.get("required", [])) - set(old.get("required", []))):
        found.append(f"{where}{name}: now required")
    if new.get("additionalProperties") != old.get("additionalProperties"):
        found.append(f"{where}additionalProperties: changed")
    if old.get("type") != new.get("type"):
        found.append(f"{where}type: changed")
    for name, definition in old.get("$defs", {}).items():
        if name not in new.get("$defs", {}):
            found.append(f"$defs.{name}: removed")
        else:
            found += breaking_changes(definition, new["$defs"][name], f"$defs.{name}.")
    return found


def _shape(node: object) -> object:
    """A schema without its annotations (a changed description breaks nobody)."""
    if isinstance(node, dict):
        return {k: _shape(v) for k, v in node.items() if k not in ANNOTATIONS}
    if isinstance(node, list):
        return [_shape(v) for v in node]
    return node


@pytest.mark.parametrize("routing_key", sorted(REGISTRY))
def test_schema_matches_snapshot(routing_key: str) -> None:
    """Any change of a version's schema fails here; ``UPDATE_SNAPSHOTS=1`` writes an additive
    one (a new optional field) and refuses a breaking one, which needs a new version."""
    schema = json_schemas()[routing_key]
    path = SNAPSHOTS / f"{routing_key}.json"
    rendered = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if UPDATE:
        if path.exists():
            broken = breaking_changes(json.loads(path.read_text(encoding="utf-8")), schema)
            assert not broken, (
                f"{routing_key}: {broken}. A breaking change is a new version "
                "(a new model and routing key .v<N+1>), published beside the old."
            )
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), f"no snapshot for {routing_key}: run with UPDATE_SNAPSHOTS=1"
    assert rendered == path.read_text(encoding="utf-8"), (
        f"{routing_key} changed. Within a version only optional fields may be added; "
        "a breaking change is a new version. Update the snapshot with UPDATE_SNAPSHOTS=1."
    )


def test_a_breaking_edit_of_a_snapshot_is_told_from_an_additive_one() -> None:
    old = json.loads((SNAPSHOTS / "customer.merged.v1.json").read_text(encoding="utf-8"))
    added = json.loads(json.dumps(old))
    added["properties"]["note"] = {"anyOf": [{"type": "string"}, {"type": "null"}],
                                   "default": None}  # fmt: skip
    added["properties"]["merged_at"]["description"] = "統合した日時"
    assert breaking_changes(old, added) == []
    removed = json.loads(json.dumps(old))
    del removed["properties"]["merged_by"]
    assert breaking_changes(old, removed) == ["merged_by: removed"]
    retyped = json.loads(json.dumps(old))
    retyped["properties"]["merged_at"] = {"type": "integer", "title": "Merged At"}
    assert breaking_changes(old, retyped) == ["merged_at: changed"]
    required = json.loads(json.dumps(added))
    required["required"].append("note")
    assert breaking_changes(old, required) == ["note: now required"]


def test_every_snapshot_belongs_to_a_registered_event() -> None:
    assert {p.stem for p in SNAPSHOTS.glob("*.json")} == set(REGISTRY)


def test_routing_keys_name_producer_event_and_major_version() -> None:
    assert set(REGISTRY) >= {
        "inquiry.received.v1",
        "customer.merged.v1",
        "booking.visit_scheduled.v1",
        "leads.email_opened.v1",
        "orders.order_placed.v1",
    }
    for key, model in REGISTRY.items():
        assert key.split(".")[0] == model.producer
        assert key.endswith(f".v{model.version}")


def test_envelope_round_trip_and_consumers_ignore_unknown_fields() -> None:
    event = CustomerMergedV1(
        source_customer_id=uuid.uuid4(),
        target_customer_id=uuid.uuid4(),
        merged_at=datetime.now(UTC),
    )
    payload = {**event.model_dump(mode="json"), "added_later": "ignored"}
    env = Envelope(
        event_type=event.event_type,
        version=1,
        routing_key=event.routing_key(),
        tenant_id=uuid.uuid4(),
        producer="customer",
        payload=payload,
    )
    again = Envelope.model_validate_json(env.model_dump_json())
    assert decode(again) == event
    with pytest.raises(UnknownEvent):
        model_for("nobody.nothing.v9")


def test_inquiry_received_carries_what_consumers_need() -> None:
    fields = set(InquiryReceivedV1.model_fields)
    assert {"contact", "medium", "kind", "property", "requested_visit", "store_id"} <= fields


def test_event_ids_are_uuid7_and_ordered_by_time() -> None:
    ids = []
    for _ in range(3):
        ids.append(new_event_id())
        import time

        time.sleep(0.002)
    assert all(i.version == 7 for i in ids)
    assert ids == sorted(ids)


def test_asyncapi_document_lists_every_event_and_is_committed_in_docs() -> None:
    doc = asyncapi_document()
    assert doc["asyncapi"].startswith("3.")
    topic = [c for c in doc["channels"].values()
             if c["bindings"].get("amqp", {}).get("exchange", {}).get("type") == "topic"]  # fmt: skip
    assert {c["address"] for c in topic} == set(REGISTRY)
    # the partners' queue carries every event; the webhook, each event's envelope
    partner = doc["channels"]["partner_queue"]
    assert partner["address"] == "crm.partner.{partnerId}"
    assert partner["bindings"]["amqp"]["is"] == "queue"
    assert len(partner["messages"]) == len(REGISTRY)
    assert doc["components"]["messages"]["InquiryReceivedV1"]["headers"]["properties"].keys() >= {
        "crm-tenant", "crm-event", "traceparent"}  # fmt: skip
    webhook = doc["components"]["messages"]["WebhookDelivery"]
    assert webhook["bindings"]["http"]["headers"]["required"] == [
        "webhook-id", "webhook-timestamp", "webhook-signature"]  # fmt: skip
    assert doc["operations"]["deliver_webhook"]["bindings"]["http"]["method"] == "POST"
    for channel in doc["channels"].values():
        for ref in channel["messages"].values():
            assert ref["$ref"].split("/")[-1] in doc["components"]["messages"]
    rendered = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if UPDATE:
        DOCS.parent.mkdir(parents=True, exist_ok=True)
        DOCS.write_text(rendered, encoding="utf-8")
    assert DOCS.read_text(encoding="utf-8") == rendered, "regenerate with UPDATE_SNAPSHOTS=1"


def test_listing_facts_and_desired_conditions_speak_one_vocabulary() -> None:
    from contracts.listings import DesiredConditions, ListingFacts
    from pydantic import ValidationError

    facts = ListingFacts(kind="mansion", prefecture="東京都", price_yen=52_800_000, layout="2LDK")
    assert facts.layout == "2LDK" and facts.size_m2 is None
    with pytest.raises(ValidationError) as bad_layout:
        ListingFacts(kind="mansion", prefecture="東京都", price_yen=1, layout="2LLDK")
    assert bad_layout.value.errors()[0]["loc"] == ("layout",)
    with pytest.raises(ValidationError) as reversed_range:
        DesiredConditions(price_min_yen=40_000_000, price_max_yen=30_000_000)
    assert "下限は上限以下" in reversed_range.value.errors()[0]["msg"]
    with pytest.raises(ValidationError):
        DesiredConditions(areas=[{}])  # an area names a place
