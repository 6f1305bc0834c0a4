"""受注入力's form read into the orders body: codes typed in any width or case, set products
by name, rows numbered as the operator sees them, the delivery among the customer's
addresses or a new gift address, survey answers, and the service's refusal put beside the
field it names."""

import uuid
from datetime import UTC, datetime

from gateway.clients.base import Read
from gateway.clients.customer import Customer
from gateway.clients.orders import Product
from gateway.web.orders.entry_form import Choices, read_form

TONIC = Product(id=uuid.uuid4(), code="AB-1", name="健康トニック", price_yen=3000, tax_rate=10)
TEA = Product(id=uuid.uuid4(), code="g-8", name="青汁", price_yen=1080, tax_rate=8)
SET = Read(id=str(uuid.uuid4()), name="お試しセット", kind="bundle")
QUESTION = Read(id=str(uuid.uuid4()), text="きっかけ", answer_kind="text")
HOME_ID, OFFICE_ID = uuid.uuid4(), uuid.uuid4()
CUSTOMER = Customer(
    id=uuid.uuid4(), name="佐賀 花子", created_at=datetime.now(UTC),
    addresses=[
        {"id": str(HOME_ID), "kind": "home", "postal_code": "840-0801", "prefecture": "佐賀県",
         "city": "佐賀市", "street": "駅前中央1-2-3", "building": None},
        {"id": str(OFFICE_ID), "kind": "office", "postal_code": "100-0001", "prefecture": "東京都",
         "city": "千代田区", "street": "千代田1-1", "building": "本社ビル5階", "recipient": "佐賀 花子（総務部）"},
    ],
)  # fmt: skip
CHOICES = Choices(products=[TONIC, TEA], sets=[SET], staff=[], media=[], questions=[QUESTION])


def test_codes_any_width_and_sets_by_name_make_lines_and_bundles() -> None:
    form = {"code_0": "ａｂ－１", "quantity_0": "２", "code_1": "", "code_2": "お試しセット",
            "quantity_2": "1", "code_3": "G-8", "quantity_3": "3",
            f"survey_{QUESTION.id}": " 新聞 ", "payer_kana": "サガ ハナコ"}  # fmt: skip
    entry = read_form(form, customer=CUSTOMER, choices=CHOICES)
    assert entry.problems == []
    assert entry.body["lines"] == [{"product_id": str(TONIC.id), "quantity": 2},
                                   {"product_id": str(TEA.id), "quantity": 3}]  # fmt: skip
    assert entry.body["bundles"] == [{"set_id": SET.id, "quantity": 1}]
    assert entry.body["survey_answers"] == [{"question_id": QUESTION.id, "answer": "新聞"}]
    assert entry.body["delivery"]["kind"] == "home"  # the customer's home by default
    assert [r["code"] for r in entry.rows] == [
        "ａｂ－１",
        "お試しセット",
        "G-8",
        "",
    ]  # one more row


def test_an_unknown_code_and_a_bad_quantity_are_said_on_their_row() -> None:
    form = {"code_0": "AB-1", "quantity_0": "0", "code_1": "XX", "quantity_1": "1"}
    entry = read_form(form, customer=CUSTOMER, choices=CHOICES)
    assert set(entry.field_errors) == {"quantity_0", "code_1"}
    assert "2行目" in entry.field_errors["code_1"] and "XX" in entry.field_errors["code_1"]


def test_the_office_or_a_new_gift_address() -> None:
    office = read_form({"code_0": "AB-1", "delivery": f"address:{OFFICE_ID}"}, customer=CUSTOMER,
                       choices=CHOICES).body["delivery"]  # fmt: skip
    assert office == {"kind": "office", "name": "佐賀 花子（総務部）", "postal_code": "100-0001",
                      "prefecture": "東京都", "address": "千代田区千代田1-1 本社ビル5階"}  # fmt: skip
    typed = read_form({"code_0": "AB-1", "delivery": "new", "to_name": "贈答 次郎"},
                      customer=CUSTOMER, choices=CHOICES)  # fmt: skip
    assert set(typed.field_errors) == {"to_prefecture", "to_address"}
    typed.field_errors.clear()
    typed.refused({"detail": {"message": "東京都の送料が登録されていません。",
                              "field": "delivery.prefecture"}}, "受注できませんでした。")  # fmt: skip
    assert typed.field_errors == {"to_prefecture": "東京都の送料が登録されていません。"}


def test_a_refused_line_is_named_on_the_row_it_came_from() -> None:
    form = {"code_0": "お試しセット", "code_1": "G-8", "quantity_1": "2"}
    entry = read_form(form, customer=CUSTOMER, choices=CHOICES)
    entry.refused({"detail": {"message": "入力内容をご確認ください。", "errors": [
        {"field": "lines.0.product_id", "message": "「青汁」は販売を終了しています。"}]}}, "x")  # fmt: skip
    assert entry.field_errors == {"code_1": "「青汁」は販売を終了しています。"}
    assert entry.problems == ["入力内容をご確認ください。", "「青汁」は販売を終了しています。"]


def test_the_quote_waits_for_lines_but_not_for_a_new_address() -> None:
    wrong_line = read_form({"code_0": "XX"}, customer=CUSTOMER, choices=CHOICES)
    assert wrong_line.quotable() is None
    typing = read_form({"code_0": "AB-1", "delivery": "new", "to_name": "贈答 次郎"},
                       customer=CUSTOMER, choices=CHOICES)  # fmt: skip
    assert "delivery" not in typing.quotable() and typing.quotable()["lines"]  # type: ignore[operator,index]
    home = read_form({"code_0": "AB-1"}, customer=CUSTOMER, choices=CHOICES)
    assert home.quotable() == home.body
