"""CUS-1, CUS-3..6 on a real PostgreSQL: registration, search, flags, withdrawal, deletion."""

import uuid
from datetime import UTC, datetime

import pytest
from contracts import InquiryReceivedV1, VisitScheduledV1
from contracts.inquiry import Contact

from .conftest import Service, profile

pytestmark = [pytest.mark.database]


async def _register(service: Service, **overrides: object) -> str:
    r = await service.post("/customers", profile(**overrides))
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _ids(service: Service, **params: object) -> list[str]:
    r = await service.get("/customers", params=params)
    assert r.status_code == 200, r.text
    return [c["id"] for c in r.json()["items"]]


async def test_full_registration_normalises_and_completes_the_address(service: Service) -> None:
    r = await service.post(
        "/customers",
        profile(
            family_name="ｻｶﾞ",  # half-width kana is NFKC-normalised
            given_name="太郎",
            family_kana="さが",  # hiragana typed for フリガナ becomes katakana
            given_kana="たろう",
            phones=["０９０－１１１１－２２２２", "03-1234-5678"],
            emails=["Saga@Example.com"],
            addresses=[{"kind": "home", "postal_code": "105-0023"}],
            gender="male",
            attributes=["車椅子", "お子様連れ"],
            inflow_sources=["ホットペッパー", "Instagram"],
            side="buyer",
            property_type="mansion",
            desired_conditions={
                "areas": [{"city": "港区"}],
                "price_max_yen": 80_000_000,
                "layouts": ["3LDK"],
            },
        ),
    )
    assert r.status_code == 201, r.text
    detail = (await service.get(f"/customers/{r.json()['id']}")).json()
    assert detail["name"] == "サガ 太郎"
    assert detail["name_kana"] == "サガ タロウ"
    assert detail["phones"] == ["090-1111-2222", "03-1234-5678"]
    assert [p["kind"] for p in detail["phone_details"]] == ["mobile", "landline"]
    assert detail["phone_details"][0]["e164"] == "+819011112222"
    assert detail["emails"] == ["Saga@Example.com"]
    [home] = detail["addresses"]
    assert (home["postal_code"], home["prefecture"], home["city"], home["street"]) == (
        "1050023", "東京都", "港区", "芝浦",
    )  # fmt: skip
    assert detail["customer_number"].startswith("C")
    assert detail["desired_conditions"]["layouts"] == ["3LDK"]
    [event] = await service.events("customer.profile_changed.v1")
    assert event["name"] == "サガ 太郎" and event["blacklisted"] is False


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"phones": ["12-34"]}, "phones.0", "電話番号の形式が正しくありません。例: 090-1234-5678"),
        ({"emails": ["not-an-email"]}, "emails.0", "メールアドレスの形式が正しくありません"),
        ({"family_kana": "山田"}, "family_kana", "フリガナはカタカナで入力してください"),
        ({"birth_date": None}, "birth_date", "生年月日を入力してください"),
        ({"phones": []}, "phones", "電話番号を入力してください"),
        ({"addresses": [{"kind": "home", "postal_code": "0000000"}]}, "addresses", "郵便番号"),
        ({"gender": "robot"}, "gender", "性別"),
    ],
)
async def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(
    service: Service, overrides: dict, field: str, message: str
) -> None:
    r = await service.post("/customers", profile(**overrides))
    assert r.status_code == 422, r.text
    assert r.json()["detail"]["field"] == field
    assert message in r.json()["detail"]["message"]
    assert await service.scalar("SELECT count(*) FROM customers") == 0
    assert await service.scalar("SELECT count(*) FROM outbox") == 0


async def test_required_fields_are_a_tenant_setting_that_only_admins_change(
    service: Service,
) -> None:
    general = service.headers(role="general")
    r = await service.client.put(
        "/settings/required-fields", json={"required_fields": ["family_name"]}, headers=general
    )
    assert r.status_code == 403
    r = await service.put(
        "/settings/required-fields", {"required_fields": ["family_name", "phone"]}
    )
    assert r.status_code == 200
    ok = await service.post("/customers", {"family_name": "鈴木", "phones": ["0312345678"]})
    assert ok.status_code == 201, ok.text
    missing = await service.post("/customers", {"family_name": "鈴木"})
    assert missing.status_code == 422
    assert missing.json()["detail"]["message"] == "電話番号を入力してください。"


async def test_duplicate_email_or_customer_number_is_a_conflict(service: Service) -> None:
    await _register(service, customer_number="A-1")
    again = await service.post(
        "/customers", profile(emails=["TARO@example.com"], phones=["0311112222"])
    )
    assert again.status_code == 409
    assert "既に登録されています" in again.json()["detail"]["message"]
    number = await service.post(
        "/customers", profile(emails=["x@example.com"], customer_number="A-1")
    )
    assert number.status_code == 409


async def test_any_phone_hiragana_and_width_find_the_same_customer(service: Service) -> None:
    saga = await _register(
        service, family_name="佐賀", family_kana="サガ", phones=["0952-11-2222", "090-3333-4444"],
        emails=["saga@example.com"],
    )  # fmt: skip
    await _register(service, phones=["090-9999-8888"], emails=["other@example.com"])
    # Seed 002: the landline and the mobile both find 佐賀太郎.
    assert await _ids(service, phone="0952112222") == [saga]
    assert await _ids(service, phone="０９０－３３３３－４４４４") == [saga]
    assert await _ids(service, phone="090 3333 4444") == [saga]
    assert await _ids(service, q="さが") == [saga]  # hiragana finds katakana
    assert await _ids(service, q="ｻｶﾞ") == [saga]  # half-width kana
    assert await _ids(service, q="佐賀 太") == [saga]  # spaces ignored
    assert await _ids(service, email="SAGA@example.com") == [saga]


async def test_the_last_four_digits_of_any_phone_find_the_customer(service: Service) -> None:
    saga = await _register(service, phones=["0952-11-2222", "090-3333-4444"],
                           emails=["saga@example.com"])  # fmt: skip
    other = await _register(service, phones=["090-4444-3333"], emails=["other@example.com"])
    assert await _ids(service, phone="4444") == [saga]  # the end, not the middle
    assert await _ids(service, phone="2222") == [saga]  # the landline too
    assert await _ids(service, phone="３３３３") == [other]
    assert await _ids(service, phone="1234") == []
    # Five digits or more are still a whole number, never a fragment.
    assert await _ids(service, phone="34444") == []
    found = await service.get("/customers/lookup", params={"term": "4444", "limit": 5})
    assert [c["id"] for c in found.json()["items"]] == [saga]


async def test_every_wrong_field_is_named_at_once_and_nothing_written(service: Service) -> None:
    r = await service.post(
        "/customers",
        profile(phones=["090-1234-5678", "12"], emails=["x"], family_kana="山田", gender="robot"),
    )
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    fields = {e["field"]: e["message"] for e in detail["errors"]}
    assert set(fields) == {"phones.1", "emails.0", "family_kana", "gender"}
    assert fields["phones.1"] == "電話番号の形式が正しくありません。例: 090-1234-5678"
    assert detail["field"] == "family_kana"  # the first, in the form's order, leads
    blank = await service.post("/customers", profile(phones=[], emails=[]))
    assert {e["field"]: e["message"] for e in blank.json()["detail"]["errors"]} == {
        "phones": "電話番号を入力してください。",
        "emails": "メールアドレスを入力してください。",
    }
    assert await service.scalar("SELECT count(*) FROM customers") == 0


async def test_an_edit_keeps_which_parts_changed_and_who_changed_them(service: Service) -> None:
    customer_id = await _register(service)
    edited = profile(phones=["090-1234-5678", "03-1111-2222"], line_name="たろう",
                     addresses=[{"kind": "office", "postal_code": "105-0023", "street": "1-1"}],
                     desired_conditions={"price_max_yen": 50_000_000})  # fmt: skip
    assert (await service.put(f"/customers/{customer_id}", edited)).status_code == 204
    # Saving the same again changes nothing and records nothing.
    assert (await service.put(f"/customers/{customer_id}", edited)).status_code == 204
    follow = (await service.get(f"/customers/{customer_id}/follow-up")).json()
    [change] = [h for h in follow["history"] if h["field"] == "profile"]
    assert set(change["new_value"].split(",")) == {
        "line_name", "desired_conditions", "phones", "addresses"
    }  # fmt: skip
    assert change["changed_by"] == str(service.user_id) and change["old_value"] is None
    # The home store: named, it changes (and is recorded); left out, it stays.
    store = str(uuid.uuid4())
    moved = await service.put(f"/customers/{customer_id}", {**edited, "store_id": store})
    assert moved.status_code == 204
    assert (await service.put(f"/customers/{customer_id}", edited)).status_code == 204
    assert (await service.get(f"/customers/{customer_id}")).json()["store_id"] == store
    follow = (await service.get(f"/customers/{customer_id}/follow-up")).json()
    assert next(h["new_value"] for h in follow["history"] if h["field"] == "profile") == "store_id"
    refused = await service.put(f"/customers/{customer_id}", profile(phones=["12"]))
    assert refused.status_code == 422
    detail = (await service.get(f"/customers/{customer_id}")).json()
    assert detail["phones"] == ["090-1234-5678", "03-1111-2222"]  # nothing half-written


async def test_one_character_name_and_huge_page_are_refused(service: Service) -> None:
    short = await service.get("/customers", params={"q": "田"})
    assert short.status_code == 422
    assert short.json()["detail"]["message"] == "お名前は2文字以上で入力してください。"
    huge = await service.get("/customers", params={"per_page": 1_000_000})
    assert huge.status_code == 422
    bad_range = await service.get(
        "/customers", params={"cancel_count_min": 3, "cancel_count_max": 1}
    )
    assert bad_range.status_code == 422


async def test_advanced_criteria_combine_and_page_with_totals(service: Service) -> None:
    ids = []
    for n in range(5):
        ids.append(
            await _register(
                service,
                given_name=f"太郎{n}",
                phones=[f"090-1000-{n:04d}"],
                emails=[f"t{n}@example.com"],
                line_name="たろう" if n % 2 == 0 else None,
            )
        )
    starts = datetime(2026, 11, 20, 10, tzinfo=UTC)
    for n, customer_id in enumerate(ids[:3]):
        for k in range(n + 1):
            await service.publish(
                VisitScheduledV1(
                    visit_id=uuid.uuid4(), kind="salon", customer_id=uuid.UUID(customer_id),
                    store_id=uuid.uuid4(), starts_at=starts.replace(day=10 + k),
                    ends_at=starts.replace(day=10 + k, hour=11), status="visited",
                )
            )  # fmt: skip
    await service.settle()
    assert set(await _ids(service, visit_count_min=2)) == {ids[1], ids[2]}
    assert await _ids(service, visit_count_min=2, line_linked=True) == [ids[2]]
    assert set(await _ids(service, reservation_from="2026-11-12", reservation_to="2026-11-12")) == {
        ids[2]
    }
    assert await _ids(service, last_visit_from="2026-11-11", sort="visit_count_desc") == [
        ids[2], ids[1],
    ]  # fmt: skip
    page = (
        await service.get("/customers", params={"per_page": 2, "page": 2, "sort": "created_asc"})
    ).json()
    assert page["total"] == 5 and [c["id"] for c in page["items"]] == ids[2:4]
    assert (await service.get("/customers", params={"sort": "nonsense"})).status_code == 422


async def test_phone_registration_gets_a_placeholder_until_a_real_email(service: Service) -> None:
    r = await service.post(
        "/customers/phone-registrations",
        {"family_name": "スズキ", "given_name": "はなこ", "phone": "080-1234-0000"},
    )
    assert r.status_code == 201, r.text
    customer_id = r.json()["id"]
    detail = (await service.get(f"/customers/{customer_id}")).json()
    assert detail["emails"] == ["08012340000@phone-registration.invalid"]
    assert detail["name_kana"] == "スズキ ハナコ" and detail["phone_registration"] is True
    assert await _ids(service, phone_registration=True) == [customer_id]
    update = profile(family_name="鈴木", given_name="花子", family_kana="スズキ",
                     given_kana="ハナコ", phones=["080-1234-0000"], emails=["hanako@example.com"])  # fmt: skip
    assert (await service.put(f"/customers/{customer_id}", update)).status_code == 204
    assert await _ids(service, phone_registration=True) == []
    detail = (await service.get(f"/customers/{customer_id}")).json()
    assert detail["emails"] == ["hanako@example.com"] and detail["name"] == "鈴木 花子"
    bad = await service.post("/customers/phone-registrations", {"family_name": "ア", "phone": "12"})
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "phone"
    assert bad.json()["detail"]["message"] == "電話番号の形式が正しくありません。例: 090-1234-5678"
    blank = await service.post("/customers/phone-registrations", {"family_name": " ", "phone": ""})
    assert {e["field"]: e["message"] for e in blank.json()["detail"]["errors"]} == {
        "family_name": "姓を入力してください。",
        "phone": "電話番号を入力してください。",
    }


async def test_flags_reach_booking_through_profile_changed(service: Service) -> None:
    customer_id = await _register(service)
    no_memo = await service.put(f"/customers/{customer_id}/flags", {"blacklisted": True})
    assert no_memo.status_code == 422
    assert no_memo.json()["detail"]["field"] == "blacklist_memo"  # as the body spells it
    r = await service.put(
        f"/customers/{customer_id}/flags",
        {"blacklisted": True, "blacklist_memo": "無断キャンセル3回", "caution": True,
         "caution_memo": "大声", "alert": "足が不自由", "karte_notes": "アレルギー: 小麦"},
    )  # fmt: skip
    assert r.status_code == 204, r.text
    events = await service.events("customer.profile_changed.v1")
    assert events[-1]["blacklisted"] is True and events[-1]["caution"] is True
    detail = (await service.get(f"/customers/{customer_id}")).json()
    assert (detail["alert"], detail["karte_notes"]) == ("足が不自由", "アレルギー: 小麦")
    assert await _ids(service, blacklisted=True) == [customer_id]
    assert await _ids(service, caution=True) == [customer_id]


async def test_withdrawal_is_listed_separately(service: Service) -> None:
    customer_id = await _register(service)
    assert (
        await service.post(f"/customers/{customer_id}/withdrawal", {"reason": " "})
    ).status_code == 422
    r = await service.post(f"/customers/{customer_id}/withdrawal", {"reason": "転居のため"})
    assert r.status_code == 204
    assert await _ids(service) == []
    withdrawn = (await service.get("/customers", params={"withdrawn": True})).json()["items"]
    assert [(c["id"], c["withdrawal_reason"]) for c in withdrawn] == [(customer_id, "転居のため")]
    assert (await service.events("customer.profile_changed.v1"))[-1]["withdrawn"] is True
    # Followed up no more: status and rep are refused, a memo may still be kept.
    refused = await service.client.patch(f"/customers/{customer_id}/follow-up",
                                         json={"status": "stopped"}, headers=service.headers())  # fmt: skip
    assert refused.status_code == 409, refused.text
    assert refused.json()["detail"]["code"] == "customer_withdrawn"
    memo = await service.post(f"/customers/{customer_id}/memos", {"body": "転居先へDM不要"})
    assert memo.status_code == 201, memo.text


async def test_deletion_only_without_visits_and_never_portal_linked(service: Service) -> None:
    plain = await _register(service)
    visited = await _register(service, emails=["v@example.com"], phones=["0311110000"])
    await service.publish(
        VisitScheduledV1(
            visit_id=uuid.uuid4(), kind="salon", customer_id=uuid.UUID(visited),
            store_id=uuid.uuid4(), starts_at=datetime(2026, 12, 1, 1, tzinfo=UTC),
            ends_at=datetime(2026, 12, 1, 2, tzinfo=UTC), status="reserved",
        )
    )  # fmt: skip
    await service.publish(
        InquiryReceivedV1(
            inquiry_id=uuid.uuid4(), medium="portal", kind="question",
            received_at=datetime.now(UTC), contact=Contact(name="ポータル 花子", email="p@example.com"),
        )
    )  # fmt: skip
    await service.settle()
    [portal] = await _ids(service, email="p@example.com")
    refused = await service.delete(f"/customers/{visited}")
    assert refused.status_code == 409 and "接客" in refused.json()["detail"]["message"]
    refused = await service.delete(f"/customers/{portal}")
    assert refused.status_code == 409 and "ポータル" in refused.json()["detail"]["message"]
    assert (await service.delete(f"/customers/{plain}")).status_code == 204
    assert (await service.get(f"/customers/{plain}")).status_code == 404
    assert len(await service.events("customer.deleted.v1")) == 1


async def test_another_tenants_customer_is_404(service: Service) -> None:
    customer_id = await _register(service)
    other = service.headers(tenant_id=uuid.uuid4())
    assert (await service.get(f"/customers/{customer_id}", headers=other)).status_code == 404
    r = await service.client.put(
        f"/customers/{customer_id}/flags", json={"caution": False}, headers=other
    )
    assert r.status_code == 404
    assert (await service.get("/customers", headers=other)).json()["total"] == 0


async def test_totals_above_the_cap_are_a_lower_bound(service: Service, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from customer.use_cases import browsing

    monkeypatch.setattr(browsing, "COUNT_CAP", 2)
    for n in range(3):
        await _register(service, phones=[f"090-2000-{n:04d}"], emails=[f"cap{n}@example.com"])
    page = (await service.get("/customers", params={"per_page": 2})).json()
    assert (page["total"], page["total_exact"], len(page["items"])) == (2, False, 2)
    page = (await service.get("/customers", params={"email": "cap1@example.com"})).json()
    assert (page["total"], page["total_exact"]) == (1, True)
