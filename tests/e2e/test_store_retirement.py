"""Issue 13's stores through the gateway: an admin gives a store its address and phone (checked
as the customers' are, every wrong field at once, nothing half-written), the booking site's
footer shows them; a store is retired with a confirmation, leaves the switcher and the
pickers, its booking site says 受付終了, old records keep its name （廃止）, the last active
store cannot go, a 一般 user whose only store it was sees no store's data; and it comes back.
Another tenant's store is test_tenant_isolation's, the 一般 user's 403 test_relay_roles'."""

import uuid

import pytest

from tests.e2e.flows import STORE_CODE, login, open_demo_store_every_day

pytestmark = [pytest.mark.e2e, pytest.mark.database]
CONTACT = {"postal_code": "１０８００２３", "prefecture": "東京都", "city": "港区",
           "street": "芝浦３－１－１", "building": "田町ビル5F", "phone": "０３－１２３４－５６７８"}  # fmt: skip


async def _stores(client, headers) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    return {s["code"]: s for s in (await client.get("/api/v1/stores", headers=headers)).json()}


async def test_a_stores_address_and_phone_are_checked_kept_and_shown_on_its_site(client) -> None:  # type: ignore[no-untyped-def]
    admin = await login(client)
    await open_demo_store_every_day(client, admin)  # the booking site needs its hours
    store = (await _stores(client, admin))[STORE_CODE]
    path = f"/api/v1/stores/{store['id']}"
    bad = await client.put(path, headers=admin, json={
        "code": STORE_CODE, "name": "田町駅前店", **CONTACT, "postal_code": "108-00",
        "prefecture": "東京", "phone": "03-1234"})  # fmt: skip
    assert bad.status_code == 422, bad.text
    detail = bad.json()["detail"]
    assert detail["message"] == "郵便番号の形式が正しくありません。例: 108-0023"
    assert {e["field"]: e["code"] for e in detail["errors"]} == {
        "postal_code": "invalid_postal_code", "prefecture": "invalid_prefecture",
        "phone": "invalid_phone"}  # fmt: skip
    assert "例: 03-1234-5678" in next(
        e["message"] for e in detail["errors"] if e["field"] == "phone"
    )
    assert (await _stores(client, admin))[STORE_CODE]["name"] == store["name"]  # nothing written

    r = await client.put(path, headers=admin, json={"code": STORE_CODE, "name": store["name"],
                                                    **CONTACT})  # fmt: skip
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in CONTACT} == {
        "postal_code": "108-0023", "prefecture": "東京都", "city": "港区",
        "street": "芝浦3-1-1", "building": "田町ビル5F", "phone": "03-1234-5678"}  # fmt: skip
    # Name and code alone leave the address as it is.
    r = await client.put(path, headers=admin, json={"code": STORE_CODE, "name": store["name"]})
    assert r.json()["phone"] == "03-1234-5678"

    # The page's form: every error beside its field, what was typed kept.
    edit = f"/settings/stores/{store['id']}/edit"
    form = await client.get(edit, headers=admin)
    assert 'value="108-0023"' in form.text and "data-postal-row" in form.text
    bad = await client.post(edit, headers=admin, data={
        "name": store["name"], "code": STORE_CODE, "store.postal_code": "12", "phone": "でんわ",
        "store.prefecture": "東京都", "store.city": "港区"})  # fmt: skip
    assert bad.status_code == 422
    assert "入力内容を確認してください（2件）" in bad.text
    assert "電話番号の形式が正しくありません。例: 03-1234-5678" in bad.text
    assert 'value="でんわ"' in bad.text and 'value="12"' in bad.text

    page = await client.get(f"/r/demo/{STORE_CODE}/")
    assert page.status_code == 200, page.text
    assert "〒108-0023 東京都港区芝浦3-1-1 田町ビル5F" in page.text
    assert "TEL 03-1234-5678" in page.text
    listing = await client.get("/settings/stores", headers=admin)
    assert "TEL 03-1234-5678" in listing.text


async def test_a_retired_store_leaves_the_pickers_keeps_its_name_and_comes_back(client) -> None:  # type: ignore[no-untyped-def]
    admin = await login(client)
    staff = await login(client, "staff@demo.example", "demo-staff-pass")
    stores = await _stores(client, admin)
    tamachi = stores[STORE_CODE]
    shinagawa = next(s for code, s in stores.items() if code != STORE_CODE)
    staff_id = (await client.get("/api/v1/me", headers=staff)).json()["user_id"]
    # 営業 花子 works in 品川 only; a customer of 品川 is registered before the retirement.
    r = await client.put(f"/api/v1/accounts/{staff_id}", headers=admin, json={
        "display_name": "営業 花子", "role": "general", "store_ids": [shinagawa["id"]]})  # fmt: skip
    assert r.status_code == 200, r.text
    tag = uuid.uuid4().hex[:6]
    r = await client.post("/api/v1/customers", headers=admin, json={
        "family_name": "廃止", "given_name": "店子", "family_kana": "ハイシ",
        "given_kana": "テンコ", "birth_date": "1980-01-01", "phones": ["090-5555-0101"],
        "emails": [f"store-{tag}@example.com"], "store_id": shinagawa["id"]})  # fmt: skip
    assert r.status_code == 201, r.text
    customer_id = r.json()["id"]

    retire = f"/settings/stores/{shinagawa['id']}/retire"
    confirm = await client.post(retire, headers=admin)  # the confirmation page first
    assert confirm.status_code == 200 and "を廃止しますか" in confirm.text
    assert (await _stores(client, admin))[shinagawa["code"]]["active"] is True
    done = await client.post(retire, headers=admin, data={"confirm": "1"})
    assert done.status_code == 303, done.text
    assert (await _stores(client, admin))[shinagawa["code"]]["active"] is False

    # The last active store stays: 409 in Japanese, nothing changed.
    last = await client.post(f"/api/v1/stores/{tamachi['id']}/retire", headers=admin)
    assert last.status_code == 409, last.text
    assert last.json()["detail"]["code"] == "last_store"
    assert (
        last.json()["detail"]["message"]
        == "最後の店舗は廃止できません。先に別の店舗を用意してください。"
    )
    assert (await _stores(client, admin))[STORE_CODE]["active"] is True

    # 花子 has no store now: none in her switcher, none of the store-owned data.
    me = (await client.get("/api/v1/me", headers=staff)).json()
    assert me["stores"] == [] and me["current_store"] is None
    switched = await client.post("/api/v1/me/store", headers=staff,
                                 json={"store_id": shinagawa["id"]})  # fmt: skip
    assert switched.status_code == 404
    # Pickers: the registration form and the account form no longer offer it…
    new_customer = await client.get("/customers/new", headers=admin)
    assert shinagawa["id"] not in new_customer.text
    given = await client.post("/api/v1/accounts", headers=admin, json={
        "email": f"new-{tag}@example.com", "display_name": "新人", "role": "general",
        "store_ids": [shinagawa["id"]]})  # fmt: skip
    assert given.status_code == 422 and given.json()["detail"]["code"] == "retired_store"
    # …but the customer of 品川 keeps it, named （廃止）, and its edit form keeps it chosen.
    detail = await client.get(f"/customers/{customer_id}", headers=admin)
    assert f"{shinagawa['name']}（廃止）" in detail.text
    edit = await client.get(f"/customers/{customer_id}/edit", headers=admin)
    assert f"{shinagawa['name']}（廃止）" in edit.text
    # No new visit goes to it (its old ones stay).
    visit = await client.post("/api/v1/booking/visits", headers=admin, json={
        "store_id": shinagawa["id"], "kind": "store_consultation",
        "starts_at": "2026-12-10T10:00:00+09:00", "ends_at": "2026-12-10T11:00:00+09:00"})  # fmt: skip
    assert visit.status_code == 422 and visit.json()["detail"]["code"] == "retired_store"
    form = await client.post("/booking/visits", headers=admin, data={
        "store_id": shinagawa["id"], "day": "2026-12-10", "start": "10:00", "end": "11:00",
        "kind": "store_consultation", "customer_id": customer_id})  # fmt: skip
    assert form.status_code != 303 and "この店舗は廃止されています" in form.text
    # The booking site and the public API answer 404, the site in words.
    site = await client.get(f"/r/demo/{shinagawa['code']}/")
    assert site.status_code == 404 and "この店舗の予約受付は終了しました" in site.text
    public = await client.get("/api/v1/public/demo/salon",
                              params={"store_code": shinagawa["code"], "day": "2026-12-01"})  # fmt: skip
    assert public.status_code == 404

    # Restored: offered again, 花子 works in it again.
    listing = await client.get("/settings/stores", headers=admin)
    assert "廃止</span>" in listing.text
    r = await client.post(f"/settings/stores/{shinagawa['id']}/restore", headers=admin)
    assert r.status_code == 303
    assert (await _stores(client, admin))[shinagawa["code"]]["active"] is True
    me = (await client.get("/api/v1/me", headers=staff)).json()
    assert [s["id"] for s in me["stores"]] == [shinagawa["id"]]
    reopened = await client.get(f"/r/demo/{shinagawa['code']}/")  # no hours yet: not found
    assert "予約受付は終了" not in reopened.text
