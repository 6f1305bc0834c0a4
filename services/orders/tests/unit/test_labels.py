"""Carrier label data against golden files committed as bytes (CP932, CRLF, the header row,
the carriers' column order), the JIS X 0208 check (a character outside it is reported per
order, never replaced), length limits, and the tracking file's reading."""

from datetime import date
from pathlib import Path

import pytest
from orders.domain import labels, tracking
from orders.domain.jis import outside_jis

GOLDEN = Path(__file__).parent.parent / "golden"
SHIPPER = labels.Shipper(
    name="株式会社サガ健康", phone="0952-00-0000", postal_code="8400000",
    address="佐賀県佐賀市駅前中央1-1-1", yamato_billing_code="095200000001",
    yamato_freight_number="01", sagawa_customer_code="123456789012",
)  # fmt: skip
PARCELS = [
    labels.Parcel(1001, date(2027, 6, 7), "佐賀 太郎", "090-0000-0000", "840-0801", "佐賀県",
                  "佐賀市駅前中央1-2-3 サガマンション101号室", ("健康トニック×2", "黒酢ドリンク×3")),
    labels.Parcel(1002, date(2027, 6, 7), "山田 花子", "03-0000-0000", "1000001", "東京都",
                  "千代田区千代田1-1", ("健康トニック×1",)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("carrier", "golden"),
    [
        (labels.Carrier.YAMATO_B2, "yamato_b2.csv"),
        (labels.Carrier.SAGAWA_EHIDEN, "sagawa_ehiden.csv"),
    ],
)
def test_label_file_matches_the_golden_file(carrier: labels.Carrier, golden: str) -> None:
    rows, problems = labels.label_rows(carrier, PARCELS, SHIPPER)
    assert problems == []
    content = labels.label_file(carrier, rows)
    assert content == (GOLDEN / golden).read_bytes()
    text = content.decode("cp932")
    assert text.count("\r\n") == 3 and "\n" not in text.replace("\r\n", "")
    header = text.split("\r\n")[0].split(",")
    assert len(header) == 42 and tuple(header) == labels.HEADERS[carrier]


def test_b2_columns_are_where_the_layout_puts_them() -> None:
    [row], _ = labels.label_rows(labels.Carrier.YAMATO_B2, PARCELS[:1], SHIPPER)
    named = dict(zip(labels.B2_HEADER, row, strict=True))
    assert named["お客様管理番号"] == "1001" and named["送り状種別"] == "0"
    assert named["出荷予定日"] == "2027/06/07" and named["お届け先郵便番号"] == "840-0801"
    # 住所 is 64 bytes (32 full-width characters); the rest goes to アパートマンション名
    assert named["お届け先住所"] + named["お届け先住所（アパートマンション名）"] == (
        "佐賀県佐賀市駅前中央1-2-3 サガマンション101号室"
    )
    assert named["品名１"] == "健康トニック×2" and named["品名２"] == "黒酢ドリンク×3"
    assert (named["ご請求先顧客コード"], named["運賃管理番号"]) == ("095200000001", "01")


def test_characters_outside_jis_are_reported_per_order_and_never_replaced() -> None:
    bad = labels.Parcel(1003, date(2027, 6, 7), "髙橋 ①子", "090-1111-1111", "8400000", "佐賀県",
                        "佐賀市㈱ビル", ("健康トニック×1",))  # fmt: skip
    rows, problems = labels.label_rows(labels.Carrier.YAMATO_B2, [*PARCELS, bad], SHIPPER)
    assert len(rows) == 2  # the two good orders only
    assert [(p.order_number, p.field) for p in problems] == [
        (1003, "お届け先住所"),
        (1003, "お届け先名"),
    ]
    assert "「髙」「①」" in problems[1].message and "「㈱」" in problems[0].message
    content = labels.label_file(labels.Carrier.YAMATO_B2, rows)
    assert "髙".encode("cp932") not in content and b"?" not in content


def test_length_limits_and_required_fields() -> None:
    long = labels.Parcel(1004, date(2027, 6, 7), "長" * 17, "", "8400000", "佐賀県", "住" * 70,
                         ("健康トニック×1",))  # fmt: skip
    _, problems = labels.label_rows(labels.Carrier.YAMATO_B2, [long], SHIPPER)
    assert {p.field for p in problems} == {"お届け先名", "お届け先住所", "お届け先電話番号"}
    _, problems = labels.label_rows(labels.Carrier.SAGAWA_EHIDEN, [long], SHIPPER)
    assert {p.field for p in problems} == {"お届け先住所", "お届け先電話番号"}  # 名称 has 2×16


@pytest.mark.parametrize(
    ("text", "outside"),
    [
        ("佐賀 太郎", []),
        ("ｻｶﾞ ﾀﾛｳ", []),
        ("〜～－−", []),
        ("髙﨑", ["髙", "﨑"]),
        ("Ⅲ①㈱", ["Ⅲ", "①", "㈱"]),
        ("😀", ["😀"]),
        ("剝", ["剝"]),
        ("tab\there", ["\t"]),
    ],
)
def test_outside_jis(text: str, outside: list[str]) -> None:
    assert outside_jis(text) == outside


def test_tracking_file_reads_cp932_and_utf8_and_refuses_other_encodings() -> None:
    rows, _ = labels.label_rows(labels.Carrier.YAMATO_B2, PARCELS, SHIPPER)
    rows[0][3], rows[1][3] = "4000-1111-2222", "400011112223"
    content = labels.label_file(labels.Carrier.YAMATO_B2, rows)
    read = tracking.read(content)
    assert [(r.line, r.order_number, r.tracking_number, r.postal_digits) for r in read] == [
        (2, "1001", "400011112222", "8400801"), (3, "1002", "400011112223", "1000001")]  # fmt: skip
    assert tracking.read(content.decode("cp932").encode("utf-8")) == read
    for wrong in (
        content.decode("cp932").encode("utf-16"),
        content.decode("cp932").encode("euc_jp"),
    ):
        with pytest.raises(tracking.TrackingFileError) as caught:
            tracking.read(wrong)
        assert caught.value.code in ("bad_encoding", "unknown_layout")
