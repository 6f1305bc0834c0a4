"""LEAD-6 on the real PostgreSQL, sent over real SMTP to the local sink: automatic proposals
matched by a query, manual proposals, newsletters at their date and time (once, however
many rounds run), step mails, and the unsubscribe link and headers."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from contracts import InquiryLinkedV2, InquiryReceivedV1, PropertyChangedV1
from contracts.inquiry import Contact
from leads.adapters.mail_scheduler import mail_scheduler
from leads.bootstrap import build_runtime
from leads.domain import tracking
from leads.entrypoints.http import create_app
from leads.settings import LeadsSettings

from .conftest import COMMON
from .mail_helpers import BASE, FACTS, pixel_token, tenant_of, unsubscribe_token, until

pytestmark = pytest.mark.database


@pytest.fixture
async def mail_runtime(database_factory, mail_sink):  # type: ignore[no-untyped-def]
    common = COMMON.model_copy(update={
        "smtp_host": "127.0.0.1", "smtp_port": mail_sink.port, "mail_poll_interval_s": 0.1,
    })  # fmt: skip
    settings = LeadsSettings(database_url=database_factory("leads"), db_pool_size=5,
                             public_base_url=BASE, mail_schedule_poll_s=0.1)  # fmt: skip
    runtime = build_runtime(settings, common=common)
    await runtime.start()
    yield runtime
    await runtime.stop()


@pytest.fixture
async def tenant(mail_runtime):  # type: ignore[no-untyped-def]
    t = tenant_of(create_app(mail_runtime, manage_lifecycle=False))
    yield t
    await t.client.aclose()
    await t.public.aclose()


async def _mails_to(sink, address: str, count: int = 1) -> list:  # type: ignore[no-untyped-def,type-arg]
    async def arrived():  # type: ignore[no-untyped-def]
        found = [m for m in sink.messages if m["To"] == address]
        return found if len(found) >= count else None

    return await until(arrived)


async def test_a_new_listing_is_proposed_to_matching_automatic_buyers_only(
    tenant, mail_sink
) -> None:  # type: ignore[no-untyped-def]
    wanted = {"areas": [{"city": "港区"}], "layouts": ["2LDK", "3LDK"],
              "price_max_yen": 60_000_000}  # fmt: skip
    hanako = await tenant.buyer(email="hanako@example.com", **wanted)
    await tenant.buyer(email="manual@example.com", delivery="manual", **wanted)
    await tenant.buyer(email="cheap@example.com", price_max_yen=40_000_000)
    await tenant.buyer(email="elsewhere@example.com", areas=[{"prefecture": "大阪府"}])
    await tenant.buyer(email=None, **wanted)  # no address: nothing, counted nowhere
    property_id = await tenant.listing()

    [mail] = await _mails_to(mail_sink, "hanako@example.com")
    assert mail["Subject"] == "【新着物件のご案内】パークハウス田町"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail["List-Unsubscribe"].startswith(f"<{BASE}/t/u/")
    text = mail.get_body(("plain",)).get_content()
    assert (
        "住まい 花子 様" in text
        and "パークハウス田町（マンション / 東京都 港区 田町駅 / 5,280万円 / 2LDK / 55.2㎡）"
        in text
    )
    claims = tracking.verify(pixel_token(mail), secret=tenant.runtime.tracking.secret,
                             now=datetime.now(UTC))  # fmt: skip
    assert claims is not None and claims.customer_id == hanako and claims.tenant_id == tenant.id
    [send] = await tenant.rows("SELECT customer_id, message_kind, message_id FROM lead_sends")
    assert (send["customer_id"], send["message_kind"]) == (hanako, "proposal")
    assert send["message_id"] == claims.message_id

    # A price cut announces the property again: it was proposed already, so nothing more.
    await tenant.publish(PropertyChangedV1(
        property_id=property_id, store_id=uuid.uuid4(), name="パークハウス田町",
        facts=FACTS.model_copy(update={"price_yen": 49_800_000}), changed_at=datetime.now(UTC),
    ))  # fmt: skip
    await until(lambda: tenant.scalar(
        "SELECT count(*) FROM lead_listings WHERE price_yen = 49800000"))  # fmt: skip
    await asyncio.sleep(0.3)  # rounds of the scheduler pass
    assert len(mail_sink.messages) == 1
    assert await tenant.scalar("SELECT count(*) FROM lead_mail_deliveries") == 1


async def test_a_manual_proposal_sends_the_chosen_properties(tenant, mail_sink) -> None:  # type: ignore[no-untyped-def]
    buyer = await tenant.buyer(email="taro@example.com", delivery="manual")
    first = await tenant.listing(name="パークハウス田町")
    second = await tenant.listing(
        name="芝浦アイランド", facts=FACTS.model_copy(update={"layout": "3LDK"})
    )
    r = await tenant.client.post(f"/customers/{buyer}/proposals",
                                 json={"property_ids": [str(first), str(second)]})  # fmt: skip
    assert r.status_code == 202, r.text
    [mail] = await _mails_to(mail_sink, "taro@example.com")
    assert mail["Subject"] == "【物件のご提案】パークハウス田町ほか"
    markup = mail.get_body(("html",)).get_content()
    assert "パークハウス田町" in markup and "芝浦アイランド" in markup

    unknown = await tenant.client.post(f"/customers/{uuid.uuid4()}/proposals",
                                       json={"property_ids": [str(first)]})  # fmt: skip
    assert unknown.status_code == 404
    missing = await tenant.client.post(f"/customers/{buyer}/proposals",
                                       json={"property_ids": [str(uuid.uuid4())]})  # fmt: skip
    assert missing.status_code == 422 and missing.json()["detail"]["field"] == "property_ids"
    nobody = await tenant.buyer(email=None, delivery="manual")
    r = await tenant.client.post(f"/customers/{nobody}/proposals",
                                 json={"property_ids": [str(first)]})  # fmt: skip
    assert r.status_code == 409 and r.json()["detail"]["code"] == "no_address"
    assert await tenant.scalar("SELECT count(*) FROM lead_sends") == 1


async def test_a_scheduled_newsletter_goes_once_to_opted_in_customers(tenant, mail_sink) -> None:  # type: ignore[no-untyped-def]
    await tenant.buyer(email="a@example.com", delivery="manual", opt_in=True)
    await tenant.buyer(email="b@example.com", delivery="stopped", opt_in=True)
    await tenant.buyer(email="no@example.com", delivery="manual", opt_in=False)
    await tenant.buyer(email=None, delivery="manual", opt_in=True)
    send_at = datetime.now(UTC) + timedelta(seconds=1)
    r = await tenant.client.post("/newsletters", json={
        "subject": "【12月号】住まいのメールマガジン", "body": "今月の特集: 冬の内覧会",
        "send_at": send_at.isoformat(),
    })  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.json()["send_at"].endswith("+09:00")
    assert await tenant.scalar("SELECT count(*) FROM lead_mail_deliveries") == 0  # not yet due
    # Two more schedulers (another replica's, and a round run again) race the runtime's own.
    others = [mail_scheduler(tenant.runtime) for _ in range(2)]
    await asyncio.sleep(max(0.0, (send_at - datetime.now(UTC)).total_seconds()))
    await asyncio.gather(*(s.drain_once() for s in others), *(s.drain_once() for s in others))
    await _mails_to(mail_sink, "b@example.com")
    await _mails_to(mail_sink, "a@example.com")
    await asyncio.sleep(0.3)
    assert sorted(m["To"] for m in mail_sink.messages) == ["a@example.com", "b@example.com"]
    assert mail_sink.messages[0]["List-Unsubscribe"] is not None
    kinds = await tenant.rows("SELECT message_kind FROM lead_sends")
    assert [k["message_kind"] for k in kinds] == ["newsletter", "newsletter"]  # never an open rate
    assert await tenant.scalar("SELECT count(*) FROM mail_outbox") == 2


async def test_a_newsletter_time_without_offset_is_japan_time_and_the_past_is_refused(
    tenant,
) -> None:  # type: ignore[no-untyped-def]
    r = await tenant.client.post("/newsletters", json={
        "subject": "新年号", "body": "本年もよろしくお願いいたします。", "send_at": "2099-01-01T09:00:00",
    })  # fmt: skip
    assert r.status_code == 201 and r.json()["send_at"] == "2099-01-01T09:00:00+09:00"
    due = await tenant.scalar("SELECT due_at FROM lead_mails")
    assert due == datetime(2099, 1, 1, 0, 0, tzinfo=UTC)
    past = await tenant.client.post("/newsletters", json={
        "subject": "x", "body": "y", "send_at": "2020-01-01T09:00:00+09:00"})  # fmt: skip
    assert past.status_code == 422 and past.json()["detail"]["field"] == "send_at"


async def test_step_mails_fall_due_days_after_the_inquiry(tenant, mail_sink) -> None:  # type: ignore[no-untyped-def]
    r = await tenant.client.post("/step-sequences", json={"name": "反響後フォロー", "steps": [
        {"day_offset": 0, "subject": "お問い合わせありがとうございます", "body": "担当よりご連絡します。"},
        {"day_offset": 3, "subject": "その後いかがですか", "body": "ご見学のご案内です。"},
    ]})  # fmt: skip
    assert r.status_code == 201, r.text
    buyer = await tenant.buyer(email="step@example.com", delivery="manual")
    inquiry = InquiryReceivedV1(inquiry_id=uuid.uuid4(), medium="portal", kind="question",
                                received_at=datetime.now(UTC), contact=Contact(name="住まい 花子"))  # fmt: skip
    await tenant.publish(InquiryLinkedV2(customer_id=buyer, new_customer=True, inquiry=inquiry))
    [mail] = await _mails_to(mail_sink, "step@example.com")
    assert mail["Subject"] == "お問い合わせありがとうございます"
    [later] = await tenant.rows(
        "SELECT d.state, d.due_at - m.created_at AS wait FROM lead_mail_deliveries d "
        "JOIN lead_mails m ON m.id = d.mail_id WHERE m.day_offset = 3"
    )
    assert later["state"] == "pending" and later["wait"] >= timedelta(days=3) - timedelta(minutes=1)
    [send] = await tenant.rows("SELECT message_kind FROM lead_sends")
    assert send["message_kind"] == "step"


async def test_unsubscribe_round_trip(tenant, mail_sink) -> None:  # type: ignore[no-untyped-def]
    buyer = await tenant.buyer(email="leave@example.com", opt_in=True, areas=[{"city": "港区"}])
    first = await tenant.listing()
    [mail] = await _mails_to(mail_sink, "leave@example.com")
    token = unsubscribe_token(mail)
    assert token != pixel_token(mail)

    page = await tenant.public.get(f"/unsubscribe/{token}")  # a scanner following the link
    assert (
        page.status_code == 200 and "配信を停止する" in page.text and 'method="post"' in page.text
    )
    assert await tenant.scalar("SELECT unsubscribed_at FROM lead_buyers") is None
    one_click = await tenant.public.post(
        f"/unsubscribe/{token}", content=b"List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert one_click.status_code == 200 and "配信を停止しました" in one_click.text
    assert await tenant.scalar("SELECT unsubscribed_at FROM lead_buyers") is not None
    again = await tenant.public.post(f"/unsubscribe/{token}")
    assert again.status_code == 200

    forged = await tenant.public.get(f"/unsubscribe/{pixel_token(mail)}")  # a pixel token
    assert forged.status_code == 404 and "無効" in forged.text
    # Nothing more reaches them: no proposal, manual or automatic, and no newsletter.
    r = await tenant.client.post(
        f"/customers/{buyer}/proposals", json={"property_ids": [str(first)]}
    )
    assert r.status_code == 409 and r.json()["detail"]["code"] == "unsubscribed"
    await tenant.listing(name="芝浦の家")
    await tenant.client.post("/newsletters", json={
        "subject": "号外", "body": "ご案内", "send_at": datetime.now(UTC).isoformat()})  # fmt: skip
    await until(
        lambda: tenant.scalar("SELECT count(*) FROM lead_mails WHERE expanded_at IS NOT NULL")
    )
    await asyncio.sleep(0.3)
    assert len(mail_sink.messages) == 1
    assert await tenant.scalar("SELECT count(*) FROM lead_sends") == 1


async def test_another_tenants_customer_cannot_be_proposed_to(tenant, mail_runtime) -> None:  # type: ignore[no-untyped-def]
    buyer = await tenant.buyer(delivery="manual")
    listing = await tenant.listing()
    other = tenant_of(create_app(mail_runtime, manage_lifecycle=False))
    r = await other.client.post(
        f"/customers/{buyer}/proposals", json={"property_ids": [str(listing)]}
    )
    assert r.status_code == 404
    await other.client.aclose()
    await other.public.aclose()
