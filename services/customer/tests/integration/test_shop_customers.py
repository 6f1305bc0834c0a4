"""A web-shop order without our customer id (ShopOrderReceived) is resolved by the identity
rule of inquiries (名寄せ by the first contact's mail): a new mail registers a customer (origin
web_shop, announced by CustomerProfileChanged), a known one — an inquiry's, in another case —
joins it; the answer is ShopCustomerLinked; a redelivery has no second effect."""

import uuid
from datetime import UTC, datetime

import pytest
from contracts import InquiryReceivedV1
from contracts.inquiry import Contact
from contracts.orders import ShopCustomer, ShopOrderReceivedV1
from kit.bus import Message

from .conftest import Service

pytestmark = [pytest.mark.database]


def _shop_order(email: str, name: str = "佐賀 花子") -> ShopOrderReceivedV1:
    return ShopOrderReceivedV1(
        order_id=uuid.uuid4(), order_number=1, shop_order_number=f"W-{uuid.uuid4().hex[:6]}",
        received_at=datetime.now(UTC),
        customer=ShopCustomer(name=name, name_kana="サガ ハナコ", email=email, phone="090-1111-2222"),
    )  # fmt: skip


async def test_shop_orders_find_or_register_their_customer_once(service: Service) -> None:
    await service.publish(
        InquiryReceivedV1(
            inquiry_id=uuid.uuid4(), medium="portal", kind="question",
            received_at=datetime.now(UTC),
            contact=Contact(name="ポータル 太郎", email="taro@example.com"),
        )
    )  # fmt: skip
    await service.settle()
    [inquired] = await service.events("customer.inquiry_linked.v1")

    fresh = _shop_order("hanako@example.com")
    envelope = await service.publish(fresh)
    # the same delivery again (a redelivery): no second customer, no second answer
    await service.runtime.bus.publish(
        Message(envelope.routing_key, envelope.model_dump_json().encode(), str(envelope.event_id))
    )
    known = _shop_order("TARO@Example.com", name="サガ タロウ")
    await service.publish(known)
    again = _shop_order("hanako@example.com")
    await service.publish(again)
    await service.settle()

    answers = {a["order_id"]: a for a in await service.events("customer.shop_customer_linked.v1")}
    assert len(answers) == 3 and len(await service.events("customer.shop_customer_linked.v1")) == 3
    new = answers[str(fresh.order_id)]
    assert new["new_customer"] is True
    assert answers[str(known.order_id)] == {
        "order_id": str(known.order_id), "customer_id": inquired["customer_id"],
        "new_customer": False,
    }  # fmt: skip
    assert answers[str(again.order_id)]["customer_id"] == new["customer_id"]
    assert answers[str(again.order_id)]["new_customer"] is False
    registered = (await service.get(f"/customers/{new['customer_id']}")).json()
    assert registered["origin"] == "web_shop"
    profiles = await service.events("customer.profile_changed.v1")
    assert [p["customer_id"] for p in profiles].count(new["customer_id"]) == 1
    count = "SELECT count(*) FROM customers WHERE tenant_id = :t"
    assert await service.scalar(count, t=service.tenant_id) == 2
