"""The rules of issue 14 without I/O: rank boxes and their overlaps, the FAQ's search form
and bigrams, the entry rules of interactions."""

from datetime import date

import pytest
from customer.domain import faq, histories
from customer.domain.errors import FaqError, HistoryError, RankError
from customer.domain.ranks import RankRule, check_master, rank_of

GOLD = RankRule(name="ゴールド", min_orders=1, max_orders=4)
PLATINUM = RankRule(name="プラチナ", min_orders=5)


def test_ranks_that_share_a_value_are_refused() -> None:
    check_master([GOLD, PLATINUM], period_days=365)
    with pytest.raises(RankError) as refused:
        check_master([GOLD, RankRule(name="プラチナ", min_orders=4)], period_days=None)
    assert refused.value.code == "rank_overlap" and "重なって" in refused.value.message
    assert refused.value.field == "ranks.1"


def test_ranks_apart_on_any_one_range_do_not_overlap() -> None:
    recent = RankRule(name="最近", min_orders=1, max_days_since=30)
    dormant = RankRule(name="休眠", min_orders=1, min_days_since=31)
    check_master([recent, dormant], period_days=None)
    big = RankRule(name="大口", min_orders=1, min_amount_yen=100_000)
    with pytest.raises(RankError):
        check_master([recent, big], period_days=None)  # a big recent buyer is both


def test_every_problem_of_a_master_at_once() -> None:
    with pytest.raises(RankError) as refused:
        check_master([RankRule(name=" ", min_orders=3, max_orders=1), RankRule(name="空")],
                     period_days=0)  # fmt: skip
    fields = {e["field"] for e in refused.value.errors or []}
    assert fields == {"period_days", "ranks.0.name", "ranks.0.max_orders", "ranks.1"}


def test_a_customer_gets_the_one_rank_that_holds_them() -> None:
    ranks = [GOLD, PLATINUM]
    assert rank_of(ranks, orders=0, amount_yen=0, days_since=None) is None
    assert rank_of(ranks, orders=4, amount_yen=1, days_since=3) == "ゴールド"
    assert rank_of(ranks, orders=10, amount_yen=1, days_since=900) == "プラチナ"
    recent = RankRule(name="最近", min_orders=1, max_days_since=30)
    assert rank_of([recent], orders=1, amount_yen=0, days_since=None) is None


def test_faq_text_folds_kana_width_and_spaces() -> None:
    text = faq.entry_text(question="健康テープの貼り方", answer="ﾃｰﾌﾟを貼る", keywords="けんこう")
    assert "ケンコウ" in text and "テープヲ貼ル" in text
    assert faq.query_words("けんこう　テープ") == ["ケンコウ", "テープ"]
    assert set(faq.bigrams("ケンコウ")) == {"ケン", "ンコ", "コウ"}


def test_a_one_character_faq_search_is_refused_in_japanese() -> None:
    for q in ("健", " 健 ", "健 康"):
        with pytest.raises(FaqError) as refused:
            faq.query_words(q)
        assert "2文字以上" in refused.value.message and refused.value.field == "q"
    assert faq.query_words("健康 テ") == ["健康", "テ"]  # a longer word carries a short one


def test_an_interaction_lists_every_wrong_field() -> None:
    with pytest.raises(HistoryError) as refused:
        histories.check_interaction(kind="fax", body="", next_step=None,
                                    next_due=date(2000, 1, 1), today=date(2026, 12, 2))  # fmt: skip
    assert {e["field"] for e in refused.value.errors or []} == {"kind", "body", "next_due",
                                                                "next_step"}  # fmt: skip
    body, step = histories.check_interaction(kind="call_in", body=" 折り返し ", next_step=" ",
                                             next_due=None, today=date(2026, 12, 2))  # fmt: skip
    assert (body, step) == ("折り返し", None)
