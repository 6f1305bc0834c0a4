"""Store membership (GW-1): a 一般 user's customer list holds the customers of their stores
and those of no store; an admin's holds everyone."""

import uuid

import pytest
import sqlalchemy as sa
from kit.auth import Principal, mint_service_token

from .conftest import Service, profile

pytestmark = pytest.mark.database


async def test_a_general_users_list_holds_their_stores_and_no_stores_customers(
    service: Service,
) -> None:
    mine, other = uuid.uuid4(), uuid.uuid4()
    ids = {}
    for n, (tag, store) in enumerate((("mine", mine), ("other", other), ("none", None))):
        r = await service.post("/customers", profile(emails=[f"{tag}@example.com"],
                                                     phones=[f"090-1234-000{n}"]))  # fmt: skip
        assert r.status_code == 201, r.text
        ids[tag] = r.json()["id"]
        if store is not None:
            assert service.runtime.engine is not None
            async with service.runtime.engine.begin() as conn:
                await conn.execute(sa.text("UPDATE customers SET store_id = :s WHERE id = :c"),
                                   {"s": store, "c": ids[tag]})  # fmt: skip
    principal = Principal(tenant_id=service.tenant_id, role="general", user_id=service.user_id,
                          store_ids=(mine,))  # fmt: skip
    token = mint_service_token(principal, secret=service.runtime.common.service_token_secret)
    general = {"authorization": f"Bearer {token}"}
    r = await service.get("/customers", headers=general)
    assert r.status_code == 200, r.text
    assert sorted(c["id"] for c in r.json()["items"]) == sorted([ids["mine"], ids["none"]])
    everyone = (await service.get("/customers")).json()["items"]
    assert sorted(c["id"] for c in everyone) == sorted(ids.values())


async def test_a_general_user_of_no_store_sees_the_customers_of_no_store(service: Service) -> None:
    r = await service.post("/customers", profile())
    assert r.status_code == 201
    principal = Principal(tenant_id=service.tenant_id, role="general", user_id=service.user_id)
    token = mint_service_token(principal, secret=service.runtime.common.service_token_secret)
    listed = await service.get("/customers", headers={"authorization": f"Bearer {token}"})
    assert [c["id"] for c in listed.json()["items"]] == [r.json()["id"]]
