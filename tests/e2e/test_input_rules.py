"""Bad input through the gateway, as a new user typed it: a 4xx in Japanese with a stable code
and the field named as the request spells it; never a 500, and nothing changes."""

import uuid

import httpx
import pytest

from tests.e2e.flows import login

pytestmark = [pytest.mark.e2e, pytest.mark.database]

NUL_QUERIES = [
    ("/api/v1/customers", "q"),
    ("/api/v1/customers", "email"),
    ("/api/v1/customers/lookup", "term"),
    ("/api/v1/inquiries", "name"),
    ("/api/v1/inquiries", "kind"),
    ("/api/v1/inquiries", "medium"),
    ("/api/v1/inquiries", "property"),
    ("/api/v1/inquiries.csv", "name"),
    ("/api/v1/booking/sales-reports", "name"),
]

EDGE_DATES = [
    ("/api/v1/inquiries", "received_from", "0001-01-01"),
    ("/api/v1/inquiries.csv", "received_from", "0001-01-01"),
    ("/api/v1/inquiries", "received_to", "9999-12-31"),
    ("/api/v1/customers", "registered_from", "0001-01-01"),
    ("/api/v1/customers", "first_inquiry_from", "0001-01-01"),
    ("/api/v1/customers", "last_visit_to", "9999-12-31"),
    ("/api/v1/booking/sales-reports", "date_from", "0001-01-01"),
    ("/api/v1/booking/sales-reports", "date_to", "9999-12-31"),
]


def _refusal(response: httpx.Response, *, code: str, field: str) -> dict:
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert (detail["code"], detail["field"]) == (code, field)
    assert not detail["message"].isascii(), detail  # Japanese words
    return detail


@pytest.mark.parametrize(("path", "param"), NUL_QUERIES)
async def test_a_nul_in_a_text_parameter_is_refused_naming_it(
    client: httpx.AsyncClient, path: str, param: str
) -> None:
    headers = await login(client)
    r = await client.get(path, params={param: "a\x00b"}, headers=headers)
    _refusal(r, code="invalid_character", field=param)


async def test_a_nul_in_a_form_field_or_json_string_is_refused(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/auth/token", data={"username": "a\x00b", "password": "x"})
    _refusal(r, code="invalid_character", field="username")
    headers = await login(client)
    before = (await client.get("/api/v1/customers", headers=headers)).json()["total"]
    body = {"family_name": "住まい", "given_name": "花\x00子", "phones": ["090-1234-5678"]}
    r = await client.post("/api/v1/customers", json=body, headers=headers)
    _refusal(r, code="invalid_character", field="given_name")
    body = {"family_name": "住まい", "phones": ["090-1234-5678", "03\x00"]}
    r = await client.post("/api/v1/customers", json=body, headers=headers)
    _refusal(r, code="invalid_character", field="phones.1")
    assert (await client.get("/api/v1/customers", headers=headers)).json()["total"] == before
    assert (await client.get("/api/v1/customers/a%00b", headers=headers)).status_code == 404


@pytest.mark.parametrize(("path", "param", "day"), EDGE_DATES)
async def test_a_date_at_the_edge_of_the_calendar_is_refused_naming_it(
    client: httpx.AsyncClient, path: str, param: str, day: str
) -> None:
    headers = await login(client)
    r = await client.get(path, params={param: day}, headers=headers)
    detail = _refusal(r, code="date_out_of_range", field=param)
    assert "1900" in detail["message"] and "2100" in detail["message"]


async def test_dates_inside_the_range_still_filter(client: httpx.AsyncClient) -> None:
    headers = await login(client)
    for path, param, _ in EDGE_DATES:
        day = "1900-01-01" if param.endswith("from") else "2100-12-31"
        r = await client.get(path, params={param: day}, headers=headers)
        assert r.status_code == 200, (path, param, r.text)


async def test_validation_errors_are_japanese_with_codes_and_body_names(
    client: httpx.AsyncClient,
) -> None:
    headers = await login(client)
    r = await client.get("/api/v1/customers/not-a-uuid", headers=headers)
    _refusal(r, code="invalid_uuid", field="customer_id")
    r = await client.get("/api/v1/customers", params={"page": "x"}, headers=headers)
    _refusal(r, code="invalid_integer", field="page")
    r = await client.get("/api/v1/customers", params={"registered_from": "2026/13/01"}, headers=headers)  # fmt: skip
    _refusal(r, code="invalid_date", field="registered_from")
    # Registration's own rule names the body's list, not the setting's name.
    r = await client.put(
        "/api/v1/settings/customer-required-fields",
        json={"required_fields": ["family_name", "phone"]},
        headers=headers,
    )
    assert r.status_code in (200, 204), r.text
    try:
        r = await client.post(
            "/api/v1/customers", json={"family_name": "住まい", "phones": []}, headers=headers
        )
        assert r.status_code == 422 and r.json()["detail"]["field"] == "phones", r.text
    finally:
        await client.put(
            "/api/v1/settings/customer-required-fields",
            json={"required_fields": ["family_name"]},
            headers=headers,
        )
    created = await client.post(
        "/api/v1/customers",
        json={"family_name": "入力", "given_name": "確認", "phones": ["090-5555-0101"],
              "emails": [f"input-{uuid.uuid4().hex[:8]}@example.com"]},
        headers=headers,
    )  # fmt: skip
    assert created.status_code == 201, created.text
    flags = f"/api/v1/customers/{created.json()['id']}/flags"
    r = await client.put(flags, json={"blacklisted": True}, headers=headers)
    assert r.status_code == 422 and r.json()["detail"]["field"] == "blacklist_memo", r.text
    r = await client.put(flags, json={"caution": True, "caution_memo": " "}, headers=headers)
    assert r.status_code == 422 and r.json()["detail"]["field"] == "caution_memo", r.text


async def test_the_public_reservation_api_answers_in_japanese(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/public/demo/reservations", json={"store_code": "00000100101"})
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert {e["field"] for e in detail["errors"]} >= {"menu_id", "starts_at", "guest"}
    assert {e["code"] for e in detail["errors"]} == {"required"}
    assert all(not e["message"].isascii() for e in detail["errors"])
    r = await client.post(
        "/api/v1/public/demo/reservations",
        json={"store_code": "00000100101", "menu_id": "x", "starts_at": "tomorrow",
              "guest": {}, "coupon": 1},
    )  # fmt: skip
    codes = {e["field"]: e["code"] for e in r.json()["detail"]["errors"]}
    assert codes["menu_id"] == "invalid_uuid" and codes["starts_at"] == "invalid_datetime"
    assert codes["coupon"] == "unknown_field"
    r = await client.get(
        "/api/v1/public/demo/salon", params={"store_code": "00000100101", "day": "0001-01-01"}
    )
    _refusal(r, code="date_out_of_range", field="day")


async def test_refusals_without_a_field_have_a_code_and_japanese_words(
    client: httpx.AsyncClient,
) -> None:
    for response, code in [
        (await client.get("/api/v1/me"), "unauthorized"),
        (await client.get("/api/v1/no-such-thing"), "not_found"),
        (await client.delete("/api/v1/me"), "method_not_allowed"),
    ]:
        detail = response.json()["detail"]
        assert detail["code"] == code and not detail["message"].isascii(), detail
