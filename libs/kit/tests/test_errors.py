"""Request validation errors as the services' error body: a code, Japanese, the field."""

from kit.errors import field_path, validation_detail


def test_field_path_spells_the_field_as_the_request_does() -> None:
    assert field_path(("body", "lines", 0, "quantity")) == "lines[0].quantity"
    assert field_path(("query", "page")) == "page"
    assert field_path(("delivery", "prefecture")) == "delivery.prefecture"
    assert field_path(()) == ""


def test_first_error_becomes_the_detail() -> None:
    detail = validation_detail([
        {"type": "missing", "loc": ("body", "customer_id"), "msg": "Field required"},
        {"type": "int_parsing", "loc": ("body", "lines", 0, "quantity"), "msg": "…"},
    ])  # fmt: skip
    assert detail == {"code": "required", "message": "必須の項目です。", "field": "customer_id"}
    other = validation_detail([{"type": "string_too_long", "loc": ("body",), "msg": "…"}])
    assert other["code"] == "invalid_format" and other["field"] == "body"
