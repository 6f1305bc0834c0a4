"""Partner signatures: the body signed with a tenant's secret, nothing else, matches."""

from kit.signing import body_signature, signature_matches

BODY = b'{"shop_order_number": "W-1"}'


def test_signature_of_the_body_with_one_of_the_secrets_matches() -> None:
    header = body_signature(BODY, "secret-b")
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert signature_matches(BODY, header, ["secret-a", "secret-b"])
    assert signature_matches(BODY, f"  {header} ", ["secret-b"])


def test_anything_else_does_not_match() -> None:
    header = body_signature(BODY, "secret")
    assert not signature_matches(BODY + b" ", header, ["secret"])
    assert not signature_matches(BODY, header, ["other"])
    assert not signature_matches(BODY, None, ["secret"])
    assert not signature_matches(BODY, "", ["secret"])
    assert not signature_matches(BODY, body_signature(BODY, ""), ["", None])
