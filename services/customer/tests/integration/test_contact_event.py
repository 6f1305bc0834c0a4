"""Every addition, correction and deletion of an interaction or action leaves as
ContactRecorded through the outbox, in the change's transaction (decision 93): the state after
the change, a deletion with ``deleted``; a refused change and a redelivered mail send none."""

import uuid
from datetime import UTC, datetime, timedelta

from contracts import EmailSentV1

from .conftest import Service, profile

KEY = "customer.contact_recorded.v1"


def _facts(events: list[dict]) -> list[tuple]:
    return [(e["contact_id"], e["entry"], e["kind"], e["kind_label"], e["deleted"]) for e in events]


async def test_interaction_added_corrected_and_deleted_each_announced(service: Service) -> None:
    customer = (await service.post("/customers", profile())).json()["id"]
    at = datetime(2026, 11, 2, 10, 30, tzinfo=UTC)
    r = await service.post(f"/customers/{customer}/interactions",
                           {"kind": "call_in", "body": "配送の問い合わせ", "occurred_at": at.isoformat()})  # fmt: skip
    assert r.status_code == 201, r.text
    entry = r.json()["id"]
    bad = await service.client.put(f"/interactions/{entry}", headers=service.headers(),
                                   json={"kind": "fax", "body": "x"})  # fmt: skip
    assert bad.status_code == 422
    fixed = await service.client.put(f"/interactions/{entry}", headers=service.headers(),
                                     json={"kind": "complaint", "body": "配送遅れのクレーム"})  # fmt: skip
    assert fixed.status_code == 200, fixed.text
    assert (await service.client.delete(f"/interactions/{entry}",
                                        headers=service.headers())).status_code == 204  # fmt: skip

    events = await service.events(KEY)
    contact = f"interaction:{entry}"
    assert _facts(events) == [
        (contact, "interaction", "call_in", "電話受信", False),
        (contact, "interaction", "complaint", "クレーム", False),
        (contact, "interaction", "complaint", "クレーム", True),
    ]
    assert {e["customer_id"] for e in events} == {customer}
    assert {datetime.fromisoformat(e["occurred_at"]) for e in events} == {at}
    changed = [datetime.fromisoformat(e["changed_at"]) for e in events]
    assert changed == sorted(changed) and len(set(changed)) == 3  # a later change wins


async def test_actions_by_staff_and_from_mail_sends_announced(service: Service) -> None:
    customer = (await service.post("/customers", profile())).json()["id"]
    r = await service.post(f"/customers/{customer}/actions", {"kind": "dm", "note": "冬のDM"})
    assert r.status_code == 201, r.text
    action = r.json()["id"]
    fixed = await service.client.put(f"/actions/{action}", headers=service.headers(),
                                     json={"kind": "phone_sales", "note": "冬の電話営業"})  # fmt: skip
    assert fixed.status_code == 200, fixed.text
    assert (await service.client.delete(f"/actions/{action}",
                                        headers=service.headers())).status_code == 204  # fmt: skip

    sent_at = datetime.now(UTC) - timedelta(hours=1)
    sent = EmailSentV1(message_id=uuid.uuid4(), message_kind="newsletter",
                       customer_id=uuid.UUID(customer), sent_at=sent_at, subject="12月のお知らせ")  # fmt: skip
    await service.publish(sent)
    await service.publish(sent)  # the same send again (another event id): recorded once
    await service.settle()
    mail = next(a["id"] for a in (await service.get(f"/customers/{customer}/actions")).json())

    events = await service.events(KEY)
    assert _facts(events) == [
        (f"action:{action}", "action", "dm", "DM", False),
        (f"action:{action}", "action", "phone_sales", "電話営業", False),
        (f"action:{action}", "action", "phone_sales", "電話営業", True),
        (f"action:{mail}", "action", "newsletter", "メルマガ", False),
    ]
    assert datetime.fromisoformat(events[-1]["occurred_at"]) == sent_at
    assert {e["customer_id"] for e in events} == {customer}
