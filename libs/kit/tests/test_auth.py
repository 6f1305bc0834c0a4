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


def test_during_a_rotation_the_previous_secret_is_still_accepted_and_no_other() -> None:
    """A service restarted with the new secret and the old one as previous accepts the
    tokens of a gateway not yet restarted; a third secret stays refused; an expired token
    signed with the previous one too."""
    new, old, other = SECRET, "old-" + "z" * 32, "other-" + "y" * 32
    p = Principal(tenant_id=uuid.uuid4(), role="general")
    assert verify_service_token(mint_service_token(p, secret=old), secret=new, previous=old) == p
    assert verify_service_token(mint_service_token(p, secret=new), secret=new, previous=old) == p
    with pytest.raises(InvalidToken):
        verify_service_token(mint_service_token(p, secret=other), secret=new, previous=old)
    with pytest.raises(InvalidToken):
        verify_service_token(mint_service_token(p, secret=old, ttl_s=-5), secret=new, previous=old)
    with pytest.raises(InvalidToken):  # the rotation over: the old one is refused again
        verify_service_token(mint_service_token(p, secret=old), secret=new)


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


def test_only_a_general_user_is_scoped_to_their_stores() -> None:
    store = uuid.uuid4()
    tenant = uuid.uuid4()
    assert Principal(tenant_id=tenant, role="general", store_ids=(store,)).store_scope == (store,)
    assert Principal(tenant_id=tenant, role="general").store_scope == ()  # no store: none
    for role in ("admin", "system", "portal", "public"):
        assert Principal(tenant_id=tenant, role=role, store_ids=(store,)).store_scope is None  # type: ignore[arg-type]


def test_the_store_condition_names_the_stores_or_nothing() -> None:
    import sqlalchemy as sa
    from kit.db import in_store_scope
    from sqlalchemy.dialects import postgresql

    column = sa.column("store_id")
    store = uuid.uuid4()

    def sql(clause: object) -> str:
        return str(clause.compile(dialect=postgresql.dialect(),  # type: ignore[attr-defined]
                                  compile_kwargs={"literal_binds": True}))  # fmt: skip

    assert sql(in_store_scope(column, None)) == "true"
    assert sql(in_store_scope(column, ())) == "false"
    assert sql(in_store_scope(column, (store,))) == f"store_id IN ('{store}')"
    assert sql(in_store_scope(column, (store,), unassigned=True)) == (
        f"store_id IN ('{store}') OR store_id IS NULL"
    )
    assert "IS NULL" in sql(in_store_scope(column, (), unassigned=True))
