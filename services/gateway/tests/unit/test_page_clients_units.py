"""What the pages take from the typed clients, without I/O: a write's Reply read into the
service's words or the form's hint, and the notation filters fed either the service's ISO
strings or the models' datetimes and dates."""

from datetime import UTC, date, datetime

import httpx
from gateway.clients.base import Reply
from gateway.web.common.answers import refusal
from gateway.web.common.formatting import FILTERS, jst

HINT = "入力内容を確認してください。"


def test_a_refusal_shows_the_services_words_and_field_errors_the_forms_hint() -> None:
    rule = Reply(409, {"detail": {"code": "slot_full", "message": "満席です。"}})
    assert (rule.ok, rule.code, refusal(rule, HINT)) == (False, "slot_full", "満席です。")
    fields = Reply(422, {"detail": {"code": "invalid", "message": "x", "errors": [{}]}})
    assert refusal(fields, "登録できませんでした。", invalid=HINT) == HINT
    assert refusal(fields, "登録できませんでした。") == "登録できませんでした。"
    assert Reply(201, {"id": "1"}).ok and Reply(204, None).message is None


def test_an_answer_that_is_not_json_is_a_reply_without_data() -> None:
    text = Reply.of(httpx.Response(400, text="Bad Request"))
    assert (text.status_code, text.data, refusal(text, HINT)) == (400, None, HINT)
    empty = Reply.of(httpx.Response(204))
    assert (empty.ok, empty.data) == (True, None)
    assert Reply.of(httpx.Response(201, json={"id": "c1"})).data == {"id": "c1"}


def test_filters_take_iso_strings_and_the_models_datetimes_alike() -> None:
    instant = datetime(2026, 12, 16, 3, 30, tzinfo=UTC)  # 12:30 in Japan
    for value in (instant, "2026-12-16T03:30:00+00:00", "2026-12-16T12:30:00+09:00"):
        assert jst(value).hour == 12
        assert (FILTERS["jtime"](value), FILTERS["jday"](value)) == ("12:30", "2026-12-16")
        assert FILTERS["jdatetime"](value) == "2026/12/16(水) 12:30"
    for day in (date(2026, 12, 16), "2026-12-16"):
        assert FILTERS["jdate_only"](day) == "2026/12/16(水)"
        assert FILTERS["jmonthday"](day) == "12/16(水)"
