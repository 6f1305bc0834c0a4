"""LEAD-6 rules without I/O: matching a listing to 希望条件, what a mail carries, and the
unsubscribe token that a pixel token cannot stand in for."""

import uuid
from datetime import UTC, datetime, timedelta

from leads.domain import tracking, unsubscribe
from leads.domain.mail_render import PropertyLine, price_label, render
from leads.domain.matching import AreaWish, ListingView, Wishes, matches

TAMACHI = ListingView(kind="mansion", prefecture="東京都", city="港区", station="田町",
                      price_yen=52_800_000, layout="2LDK", size_m2=55.2)  # fmt: skip


def test_no_conditions_match_everything() -> None:
    assert matches(TAMACHI, Wishes())


def test_each_condition_must_hold() -> None:
    assert matches(TAMACHI, Wishes(kinds=("mansion", "house"), layouts=("2LDK",),
                                   price_min_yen=50_000_000, price_max_yen=60_000_000,
                                   size_min_m2=55))  # fmt: skip
    assert not matches(TAMACHI, Wishes(kinds=("land",)))
    assert not matches(TAMACHI, Wishes(layouts=("3LDK",)))
    assert not matches(TAMACHI, Wishes(price_max_yen=52_799_999))
    assert not matches(TAMACHI, Wishes(price_min_yen=52_800_001))
    assert not matches(TAMACHI, Wishes(size_min_m2=60))


def test_an_area_matches_when_each_part_it_names_does() -> None:
    assert matches(TAMACHI, Wishes(areas=(AreaWish(prefecture="大阪府"), AreaWish(station="田町"))))
    assert matches(TAMACHI, Wishes(areas=(AreaWish(prefecture="東京都", city="港区"),)))
    assert not matches(TAMACHI, Wishes(areas=(AreaWish(prefecture="東京都", city="品川区"),)))


def test_a_fact_the_listing_lacks_fails_the_condition_that_names_it() -> None:
    land = ListingView(kind="land", prefecture="東京都", price_yen=30_000_000)
    assert not matches(land, Wishes(layouts=("2LDK",)))
    assert not matches(land, Wishes(size_min_m2=50))
    assert matches(land, Wishes(kinds=("land",)))


def test_a_mail_carries_its_pixel_unsubscribe_link_and_one_click_headers() -> None:
    line = PropertyLine(name="<b>パーク</b>", kind="mansion", price_yen=52_800_000,
                        layout="2LDK", size_m2=55.2, place="東京都 港区")  # fmt: skip
    mail = render(name="住まい 花子", subject="新着", body="ご案内です。", properties=[line],
                  pixel_url="https://crm.example/t/o/abc.gif",
                  unsubscribe_url="https://crm.example/t/u/xyz")  # fmt: skip
    assert mail.headers == {
        "List-Unsubscribe": "<https://crm.example/t/u/xyz>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert '<img src="https://crm.example/t/o/abc.gif" width="1" height="1" alt="">' in mail.html
    assert "&lt;b&gt;パーク&lt;/b&gt;" in mail.html and "<b>" not in mail.html  # escaped
    assert "https://crm.example/t/u/xyz" in mail.text and "5,280万円" in mail.text
    assert price_label(98_000) == "98,000円" and price_label(30_000_000) == "3,000万円"


def test_unsubscribe_and_pixel_tokens_are_not_interchangeable() -> None:
    tenant, message, customer = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    now = datetime.now(UTC)
    leave = unsubscribe.sign(tenant_id=tenant, message_id=message, customer_id=customer,
                             sent_at=now, secret="s")  # fmt: skip
    claims = unsubscribe.verify(leave, secret="s", now=now + timedelta(days=3000))
    assert claims is not None and claims.customer_id == customer  # a mail read years later
    assert tracking.verify(leave, secret="s", now=now) is None
    pixel = tracking.sign(tracking.TrackingClaims(tenant, message, customer, now + timedelta(days=1)),
                          secret="s")  # fmt: skip
    assert unsubscribe.verify(pixel, secret="s", now=now) is None
    assert unsubscribe.verify(leave, secret="other", now=now) is None
