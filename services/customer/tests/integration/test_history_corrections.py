"""CUS-9 corrections on the real PostgreSQL: an interaction or a staff-entered action
corrected or deleted by its author or an administrator, the text before kept, a deleted
entry left out of the lists, an event-recorded action untouchable, another tenant's 404."""

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from contracts import EmailSentV1

from .conftest import Service, profile


async def _changes(service: Service, entry_id: object) -> list[tuple]:
    async with service.runtime.engine.connect() as conn:  # type: ignore[attr-defined]
        rows = await conn.execute(sa.text(
            "SELECT change, changed_by, before FROM customer_history_changes"
            " WHERE entry_id = :id ORDER BY id"), {"id": str(entry_id)})  # fmt: skip
        return [tuple(r) for r in rows]


async def test_interaction_corrected_and_deleted_by_its_author_or_an_admin(
    service: Service,
) -> None:
    customer = (await service.post("/customers", profile())).json()["id"]
    general = service.headers(role="general")
    r = await service.post(f"/customers/{customer}/interactions",
                           {"kind": "call_in", "body": "配送の問い合わせ"}, headers=general)  # fmt: skip
    entry = r.json()["id"]

    fixed = await service.client.put(f"/interactions/{entry}", headers=general, json={
        "kind": "inquiry", "body": " 配送日の問い合わせ ", "next_step": None})  # fmt: skip
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["body"] == "配送日の問い合わせ" and fixed.json()["kind"] == "inquiry"
    assert fixed.json()["corrected_by"] == str(service.user_id)
    assert fixed.json()["corrected_at"].endswith("+09:00")
    changes = await _changes(service, entry)
    assert [(c[0], c[2]["body"], c[2]["kind"]) for c in changes] == [
        ("corrected", "配送の問い合わせ", "call_in")
    ]

    bad = await service.client.put(f"/interactions/{entry}", headers=general,
                                   json={"kind": "fax", "body": " "})  # fmt: skip
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["detail"]["errors"]} == {"kind", "body"}

    someone = service.headers(role="general", user_id=uuid.uuid4())
    refused = await service.client.put(f"/interactions/{entry}", headers=someone,
                                       json={"kind": "inquiry", "body": "x"})  # fmt: skip
    assert refused.status_code == 403 and "ご自身" in refused.json()["detail"]["message"]
    assert (
        await service.client.delete(f"/interactions/{entry}", headers=someone)
    ).status_code == 403
    admin = service.headers(user_id=uuid.uuid4())  # another staff member, an administrator
    by_admin = await service.client.put(f"/interactions/{entry}", headers=admin,
                                        json={"kind": "inquiry", "body": "配送日の確認"})  # fmt: skip
    assert by_admin.status_code == 200

    foreign = service.headers(tenant_id=uuid.uuid4())
    assert (await service.client.put(f"/interactions/{entry}", headers=foreign,
                                     json={"kind": "inquiry", "body": "x"})).status_code == 404  # fmt: skip
    assert (
        await service.client.delete(f"/interactions/{entry}", headers=foreign)
    ).status_code == 404

    gone = await service.client.delete(f"/interactions/{entry}", headers=general)
    assert gone.status_code == 204
    assert (await service.get(f"/customers/{customer}/interactions")).json() == []
    assert (await service.get("/interactions/daily")).json()["items"] == []
    assert [c[0] for c in await _changes(service, entry)] == ["corrected", "corrected", "deleted"]
    assert (
        await service.client.delete(f"/interactions/{entry}", headers=general)
    ).status_code == 404


async def test_staff_actions_corrected_event_recorded_ones_are_facts(service: Service) -> None:
    customer = (await service.post("/customers", profile())).json()["id"]
    general = service.headers(role="general")
    r = await service.post(f"/customers/{customer}/actions", {"kind": "dm", "note": "冬のDM"},
                           headers=general)  # fmt: skip
    action = r.json()["id"]
    sent = EmailSentV1(message_id=uuid.uuid4(), message_kind="newsletter",
                       customer_id=uuid.UUID(customer), sent_at=datetime.now(UTC),
                       subject="12月のお知らせ")  # fmt: skip
    await service.publish(sent)
    await service.settle()
    timeline = (await service.get(f"/customers/{customer}/actions")).json()
    mail = next(a["id"] for a in timeline if a["source"] == "leads")

    fixed = await service.client.put(f"/actions/{action}", headers=general,
                                     json={"kind": "catalogue", "note": "冬のカタログ"})  # fmt: skip
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["note"] == "冬のカタログ" and fixed.json()["corrected_at"]
    assert [(c[0], c[2]) for c in await _changes(service, action)] == [
        ("corrected", {"kind": "dm", "note": "冬のDM"})
    ]
    bad = await service.client.put(f"/actions/{action}", headers=general, json={"kind": "fax"})
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "kind"

    for headers in (general, service.headers()):  # not even an administrator
        fact = await service.client.put(f"/actions/{mail}", headers=headers,
                                        json={"kind": "dm", "note": "x"})  # fmt: skip
        assert fact.status_code == 409 and "自動で記録" in fact.json()["detail"]["message"]
        assert (await service.client.delete(f"/actions/{mail}", headers=headers)).status_code == 409

    someone = service.headers(role="general", user_id=uuid.uuid4())
    assert (await service.client.delete(f"/actions/{action}", headers=someone)).status_code == 403
    foreign = service.headers(tenant_id=uuid.uuid4())
    assert (await service.client.delete(f"/actions/{action}", headers=foreign)).status_code == 404

    assert (
        await service.client.delete(f"/actions/{action}", headers=service.headers())
    ).status_code == 204
    left = (await service.get(f"/customers/{customer}/actions")).json()
    assert [a["id"] for a in left] == [mail]
    sales = {i["kind"]: i["actions"] for i in (await service.get("/actions/sales")).json()["items"]}
    assert sales["catalogue"] == 0 and sales["dm"] == 0
    assert [c[0] for c in await _changes(service, action)] == ["corrected", "deleted"]


async def test_faq_category_renamed_and_retired_by_an_admin_only(service: Service) -> None:
    category = (await service.post("/faq/categories", {"name": "配送"})).json()
    other = (await service.post("/faq/categories", {"name": "返品"})).json()
    entry = (await service.post("/faq/entries", {"category_id": category["id"],
             "question": "届く日はいつですか", "answer": "3日以内にお届けします。"})).json()  # fmt: skip
    path = f"/faq/categories/{category['id']}"

    staff = await service.client.put(path, headers=service.headers(role="general"),
                                     json={"name": "お届け"})  # fmt: skip
    assert staff.status_code == 403
    foreign = await service.client.put(path, headers=service.headers(tenant_id=uuid.uuid4()),
                                       json={"name": "お届け"})  # fmt: skip
    assert foreign.status_code == 404  # another tenant's administrator
    twin = await service.client.put(path, headers=service.headers(), json={"name": "返品"})
    assert twin.status_code == 409 and twin.json()["detail"]["field"] == "name"

    renamed = await service.client.put(path, headers=service.headers(),
                                       json={"name": " お届け ", "retired": True})  # fmt: skip
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "お届け" and renamed.json()["retired_at"]
    listed = {c["id"]: c for c in (await service.get("/faq/categories")).json()}
    assert listed[category["id"]]["retired_at"] and listed[other["id"]]["retired_at"] is None
    found = (await service.get("/faq/entries", params={"q": "届く日"})).json()
    assert [e["id"] for e in found["items"]] == [entry["id"]]  # still found by words

    refused = await service.post("/faq/entries", {"category_id": category["id"],
                                 "question": "新しい質問", "answer": "回答"})  # fmt: skip
    assert refused.status_code == 422 and refused.json()["detail"]["field"] == "category_id"
    kept = await service.client.put(f"/faq/entries/{entry['id']}", headers=service.headers(), json={
        "category_id": category["id"], "question": "届く日はいつですか", "answer": "2日以内です。"})  # fmt: skip
    assert kept.status_code == 200, kept.text  # its own entries may still be corrected

    restored = await service.client.put(path, headers=service.headers(),
                                        json={"name": "お届け", "retired": False})  # fmt: skip
    assert restored.json()["retired_at"] is None


async def test_leader_instruction_per_staff_member_read_by_them_the_next_day(
    service: Service,
) -> None:
    from datetime import date, timedelta

    from kit import clock

    member = uuid.uuid4()
    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    body = {"staff_id": str(member), "day": yesterday, "instruction": " 午前中に山田様へ折り返し "}
    staff = await service.client.put("/staff-instructions", headers=service.headers(role="general"),
                                     json=body)  # fmt: skip
    assert staff.status_code == 403
    said = await service.client.put("/staff-instructions", headers=service.headers(), json=body)
    assert said.status_code == 204, said.text
    again = {**body, "instruction": "午前中に山田様へ折り返し（至急）"}  # one per member and day
    assert (await service.client.put("/staff-instructions", headers=service.headers(),
                                     json=again)).status_code == 204  # fmt: skip

    daily = (await service.get("/interactions/daily", params={"day": yesterday})).json()
    assert [(i["staff_id"], i["instruction"]) for i in daily["staff_instructions"]] == [
        (str(member), "午前中に山田様へ折り返し（至急）")
    ]
    mine = (await service.get("/staff-instructions/mine",
                              headers=service.headers(role="general", user_id=member))).json()  # fmt: skip
    assert mine["day"] == yesterday
    assert mine["instruction"]["instruction"] == "午前中に山田様へ折り返し（至急）"
    others = await service.get("/staff-instructions/mine", headers=service.headers(role="general"))
    assert others.json()["instruction"] is None
    foreign = await service.get("/staff-instructions/mine", headers=service.headers(
        role="general", user_id=member, tenant_id=uuid.uuid4()))  # fmt: skip
    assert foreign.json()["instruction"] is None  # another tenant sees nothing of it
    cleared = {**body, "instruction": ""}
    await service.client.put("/staff-instructions", headers=service.headers(), json=cleared)
    assert (await service.get("/interactions/daily", params={"day": yesterday})
            ).json()["staff_instructions"] == []  # fmt: skip
    assert date.fromisoformat(yesterday) < clock.today()


async def test_change_history_read_by_its_author_or_an_admin_also_once_deleted(
    service: Service,
) -> None:
    customer = (await service.post("/customers", profile())).json()["id"]
    general = service.headers(role="general")
    entry = (await service.post(f"/customers/{customer}/interactions",
             {"kind": "call_in", "body": "配送の問い合わせ"}, headers=general)).json()["id"]  # fmt: skip
    await service.client.put(f"/interactions/{entry}", headers=general,
                             json={"kind": "inquiry", "body": "配送日の問い合わせ"})  # fmt: skip
    own = await service.client.get(f"/interactions/{entry}/changes", headers=general)
    assert own.status_code == 200, own.text
    read = own.json()
    assert read["kind_label"] == "問合せ" and read["text"] == "配送日の問い合わせ"
    assert read["occurred_at"].endswith("+09:00") and read["next_step"] is None
    assert [(c["change_label"], c["before"]["body"], c["before"]["kind_label"])
            for c in read["changes"]] == [("修正", "配送の問い合わせ", "電話受信")]  # fmt: skip
    assert read["changes"][0]["changed_at"].endswith("+09:00")

    someone = service.headers(role="general", user_id=uuid.uuid4())
    refused = await service.client.get(f"/interactions/{entry}/changes", headers=someone)
    assert refused.status_code == 403 and refused.json()["detail"]["code"] == "not_own_entry"
    foreign = service.headers(tenant_id=uuid.uuid4())
    assert (await service.client.get(f"/interactions/{entry}/changes",
                                     headers=foreign)).status_code == 404  # fmt: skip

    await service.client.delete(f"/interactions/{entry}", headers=service.headers())
    deleted = (await service.get(f"/interactions/{entry}/changes")).json()
    assert deleted["deleted_at"] and [c["change"] for c in deleted["changes"]] == [
        "corrected", "deleted"]  # fmt: skip

    action = (await service.post(f"/customers/{customer}/actions",
              {"kind": "dm", "note": "冬のDM"}, headers=general)).json()["id"]  # fmt: skip
    await service.client.put(f"/actions/{action}", headers=general,
                             json={"kind": "catalogue", "note": "冬のカタログ"})  # fmt: skip
    got = (await service.client.get(f"/actions/{action}/changes", headers=general)).json()
    assert got["kind_label"] == "カタログ送付" and got["changes"][0]["before"]["note"] == "冬のDM"
    assert (await service.client.get(f"/actions/{action}/changes",
                                     headers=foreign)).status_code == 404  # fmt: skip
    assert (await service.get("/actions/99999999999/changes")).status_code == 404


async def test_deleted_entries_listed_for_an_admin_only(service: Service) -> None:
    """削除された履歴 (decision 96): the tombstones with who deleted them and when, the
    latest deletion first; 一般 403 in Japanese, another tenant's customer 404."""
    customer = (await service.post("/customers", profile())).json()["id"]
    other = (
        await service.post(
            "/customers",
            profile(given_name="花子", phones=["090-2222-3333"], emails=["hanako@example.com"]),
        )
    ).json()["id"]
    general = service.headers(role="general")
    path = f"/customers/{customer}/deleted-entries"
    assert (await service.get(path)).json() == {
        "customer_id": customer, "interactions": [], "actions": []}  # fmt: skip

    kept = (await service.post(f"/customers/{customer}/interactions",
            {"kind": "call_in", "body": "残す対応"}, headers=general)).json()["id"]  # fmt: skip

    async def interaction(body: str) -> str:
        r = await service.post(f"/customers/{customer}/interactions",
                               {"kind": "inquiry", "body": body}, headers=general)  # fmt: skip
        return r.json()["id"]

    first, second = [await interaction(b) for b in ("消す対応その1", "消す対応その2")]
    elsewhere = (await service.post(f"/customers/{other}/interactions",
                 {"kind": "call_in", "body": "別のお客様"})).json()["id"]  # fmt: skip
    action = (await service.post(f"/customers/{customer}/actions",
              {"kind": "dm", "note": "消すDM"}, headers=general)).json()["id"]  # fmt: skip
    admin = uuid.uuid4()
    assert (await service.client.delete(f"/interactions/{first}", headers=general)
            ).status_code == 204  # fmt: skip
    for gone in (f"/interactions/{second}", f"/interactions/{elsewhere}", f"/actions/{action}"):
        r = await service.client.delete(gone, headers=service.headers(user_id=admin))
        assert r.status_code == 204, r.text

    r = await service.get(path)
    assert r.status_code == 200, r.text
    found = r.json()
    assert [(i["id"], i["body"], i["kind_label"]) for i in found["interactions"]] == [
        (second, "消す対応その2", "問合せ"), (first, "消す対応その1", "問合せ")]  # fmt: skip
    assert [i["deleted_by"] for i in found["interactions"]] == [str(admin), str(service.user_id)]
    assert all(i["deleted_at"].endswith("+09:00") for i in found["interactions"])
    assert kept not in {i["id"] for i in found["interactions"]}
    assert [(a["id"], a["note"], a["kind_label"], a["deleted_by"]) for a in found["actions"]] == [
        (action, "消すDM", "DM", str(admin))]  # fmt: skip

    refused = await service.get(path, headers=general)  # even the entries' own author
    assert refused.status_code == 403
    assert refused.json()["detail"]["code"] == "admin_only"
    assert "管理者" in refused.json()["detail"]["message"]
    for role in ("admin", "general"):  # another tenant's: 404 before the role
        foreign = service.headers(role=role, tenant_id=uuid.uuid4())
        r = await service.get(path, headers=foreign)
        assert r.status_code == 404 and "お客様" in r.json()["detail"]["message"]
    assert (await service.get(f"/customers/{uuid.uuid4()}/deleted-entries")).status_code == 404
