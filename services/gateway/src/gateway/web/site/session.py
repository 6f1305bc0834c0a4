"""The booking site's sign-in (予約サイト): a signed cookie, not a staff session. It carries the
tenant, the customer (the subject the services' ``public`` token names), the name and mail
shown on the pages, and whether the temporary password must still be changed. It is scoped
to the tenant's path (/r/{tenant}/), HttpOnly and SameSite=Lax, and lasts 12 hours; signing
out deletes it (docs/decisions.md 56). The done page's summary travels the same way, once."""

import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import jwt
from fastapi import Request
from fastapi.responses import Response

COOKIE = "crm_site"
DONE_COOKIE = "crm_site_done"
TTL_S = 12 * 3600
DONE_TTL_S = 600
AUDIENCE = "crm-booking-site"


@dataclass(frozen=True)
class SiteCustomer:
    tenant_id: UUID
    customer_id: UUID
    name: str
    email: str
    must_change: bool


def _key(request: Request) -> bytes:
    """A key of its own, derived from the services' secret: a site cookie is never a
    service token, nor the other way round."""
    secret = request.app.state.runtime.common.service_token_secret.encode()
    return hmac.new(secret, b"booking-site-session", hashlib.sha256).digest()


def _path(tenant: str) -> str:
    return f"/r/{tenant}/"


def _encode(request: Request, claims: dict[str, Any], ttl_s: int) -> str:
    now = int(time.time())
    return jwt.encode({**claims, "aud": AUDIENCE, "iat": now, "exp": now + ttl_s},
                      _key(request), algorithm="HS256")  # fmt: skip


def _decode(request: Request, token: str | None) -> dict[str, Any] | None:
    if not token:
        return None
    try:
        return jwt.decode(token, _key(request), algorithms=["HS256"], audience=AUDIENCE)
    except jwt.PyJWTError:
        return None


def signed_in(request: Request, *, tenant_id: UUID) -> SiteCustomer | None:
    claims = _decode(request, request.cookies.get(COOKIE))
    if claims is None or claims.get("tid") != str(tenant_id):
        return None
    return SiteCustomer(tenant_id=tenant_id, customer_id=UUID(claims["sub"]), name=claims["name"],
                        email=claims["email"], must_change=bool(claims.get("chg")))  # fmt: skip


def sign_in(request: Request, response: Response, *, tenant: str, customer: SiteCustomer) -> None:
    token = _encode(request, {
        "tid": str(customer.tenant_id), "sub": str(customer.customer_id), "name": customer.name,
        "email": customer.email, "chg": customer.must_change}, TTL_S)  # fmt: skip
    secure = request.app.state.runtime.settings.cookie_secure
    response.set_cookie(COOKIE, token, max_age=TTL_S, path=_path(tenant), httponly=True,
                        samesite="lax", secure=secure)  # fmt: skip


def sign_out(response: Response, *, tenant: str) -> None:
    response.delete_cookie(COOKIE, path=_path(tenant))


def remember_done(request: Request, response: Response, *, tenant: str, summary: dict) -> None:
    secure = request.app.state.runtime.settings.cookie_secure
    response.set_cookie(DONE_COOKIE, _encode(request, {"done": summary}, DONE_TTL_S),
                        max_age=DONE_TTL_S, path=_path(tenant), httponly=True, samesite="lax",
                        secure=secure)  # fmt: skip


def take_done(request: Request, response: Response, *, tenant: str) -> dict | None:
    """The reservation just made, shown once: the cookie goes with this answer."""
    claims = _decode(request, request.cookies.get(DONE_COOKIE))
    response.delete_cookie(DONE_COOKIE, path=_path(tenant))
    return claims.get("done") if claims else None
