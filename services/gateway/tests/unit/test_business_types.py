"""What each business type shows (web/common/business.py) and the notice shown once
(web/common/flash.py): plain rules, no I/O."""

from gateway.web.common import business, flash
from gateway.web.common.business import area_of, uses


def test_a_broker_sees_properties_and_no_salon_words() -> None:
    broker = ("real_estate",)
    assert uses(broker, "inquiries") and uses(broker, "properties") and uses(broker, "leads")
    for salon_only in ("tickets", "reports", "prepayment", "menus"):
        assert not uses(broker, salon_only), salon_only
    assert not uses(broker, "orders") and not uses(broker, "subscriptions")


def test_a_salon_sees_menus_tickets_reports_and_prepayment_but_no_properties() -> None:
    salon = ("salon",)
    assert all(uses(salon, f) for f in ("booking", "menus", "tickets", "reports", "prepayment"))
    assert not uses(salon, "properties") and not uses(salon, "inquiries")
    assert not uses(salon, "leads")


def test_a_tenant_of_several_types_sees_what_any_of_them_uses() -> None:
    both = ("real_estate", "mail_order")
    assert uses(both, "properties") and uses(both, "orders") and not uses(both, "tickets")
    assert uses((), "tickets")  # no type recorded: nothing hidden by accident


def test_panes_not_built_are_shown_to_nobody() -> None:
    every = ("real_estate", "salon", "mail_order")
    for pane in business.NOT_BUILT:
        assert not uses(every, pane), pane


def test_each_area_path_names_its_feature() -> None:
    assert area_of("/inquiries") == "inquiries" and area_of("/inquiries/new") == "inquiries"
    assert area_of("/booking/tickets") == "tickets"
    assert area_of("/booking/visits/1f/report") == "reports"
    assert area_of("/booking/stores/1f/menus") == "menus"
    assert area_of("/booking/stores/1f/settings") == "booking"
    assert area_of("/booking/properties") == "properties"
    assert area_of("/subscriptions/3") == "subscriptions"
    assert area_of("/customers") is None and area_of("/inquiries-x") is None


def test_a_flash_reads_back_only_with_its_signature() -> None:
    key = b"k" * 32
    value = flash._sign(key, flash.mark({"notice": "保存しました。", "other": "x"}))
    assert flash._read(key, value) == {"notice": "保存しました。"}
    assert flash._read(b"o" * 32, value) is None  # another key
    _, _, sig = value.rpartition(".")
    assert flash._read(key, flash.mark({"notice": "偽"}) + "." + sig) is None
    assert flash._read(key, "garbage") is None
