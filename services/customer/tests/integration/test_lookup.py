"""The customer monitor's lookup (CUS-13, seed 002): any of the customer's phone numbers
typed any way, a customer number, or a name; several matches make a short pick list."""

import uuid

import pytest

from .conftest import Service, profile

pytestmark = [pytest.mark.database]


async def _lookup(service: Service, term: str, **kwargs: object) -> dict:
    r = await service.get("/customers/lookup", params={"term": term}, **kwargs)
    assert r.status_code == 200, r.text
    return r.json()


async def test_lookup_by_any_phone_number_customer_number_or_name(service: Service) -> None:
    r = await service.post("/customers", profile(
        family_name="佐賀", given_name="太郎", family_kana="サガ", given_kana="タロウ",
        phones=["0952-11-2222", "090-3333-4444"], emails=["taro@example.com"],
        customer_number="K-0042",
    ))  # fmt: skip
    taro = r.json()["id"]
    r = await service.post("/customers", profile(
        family_name="佐賀", given_name="花子", family_kana="サガ", given_kana="ハナコ",
        phones=["090-5555-6666"], emails=["hanako@example.com"],
    ))  # fmt: skip
    hanako = r.json()["id"]

    for typed in (
        "０９５２１１２２２２",
        "0952-11-2222",
        "090 3333 4444",
        "０９０ー３３３３ー４４４４",
    ):
        found = await _lookup(service, typed)
        assert found["matched_by"] == "phone" and [c["id"] for c in found["items"]] == [taro]
    found = await _lookup(service, "Ｋ－００４２")  # full width
    assert found["matched_by"] == "customer_number" and found["items"][0]["id"] == taro
    both = await _lookup(service, "さが")
    assert both["matched_by"] == "name" and both["total"] == 2
    assert [c["id"] for c in both["items"]] == [taro, hanako]  # フリガナ順
    nobody = await _lookup(service, "03-9999-9999")
    assert nobody == {"matched_by": "phone", "items": [], "total": 0, "total_exact": True}
    other = await _lookup(service, "0952-11-2222", headers=service.headers(tenant_id=uuid.uuid4()))
    assert other["items"] == []
    r = await service.get("/customers/lookup", params={"term": " "})
    assert r.status_code == 422
    assert r.json()["detail"]["message"] == "電話番号またはお名前を入力してください。"
