import time
import uuid

import jwt
import pytest
from kit.auth import InvalidToken, Principal, mint_service_token, verify_service_token

SECRET = "test-secret-" + "x" * 32


def test_token_round_trip_carries_tenant_role_and_stores() -> None:
    p = Principal(
        tenant_id=uuid.uuid4(), role="admin", user_id=uuid.uuid4(), store_ids=(uuid.uuid4(),)
    )
    assert verify_service_token(mint_service_token(p, secret=SECRET), secret=SECRET) == p


def test_token_signed_with_another_secret_is_refused() -> None:
    token = mint_service_token(
        Principal(tenant_id=uuid.uuid4(), role="general"), secret="other-" + "y" * 32
    )
    with pytest.raises(InvalidToken):
        verify_service_token(token, secret=SECRET)


def test_expired_token_is_refused() -> None:
    token = mint_service_token(
        Principal(tenant_id=uuid.uuid4(), role="general"), secret=SECRET, ttl_s=-5
    )
    with pytest.raises(InvalidToken):
        verify_service_token(token, secret=SECRET)


def test_token_without_tenant_is_refused() -> None:
    now = int(time.time())
    token = jwt.encode(
        {"iss": "crm-gateway", "aud": "crm-services", "iat": now, "exp": now + 60, "role": "admin"},
        SECRET,
        algorithm="HS256",
    )
    with pytest.raises(InvalidToken):
        verify_service_token(token, secret=SECRET)
